// Size-class pool of small blocks (see block_pool.h).
#include "block_pool.h"

#include <new>
#include <utility>

namespace vetter::rules {

BlockPool& BlockPool::operator=(BlockPool&& other) noexcept {
  if (this == &other) return *this;
  for (std::size_t c = 0; c < kClasses; ++c)
    free_[c] = std::exchange(other.free_[c], nullptr);
  slabs_ = std::exchange(other.slabs_, {});
  cursor_ = std::exchange(other.cursor_, nullptr);
  end_ = std::exchange(other.end_, nullptr);
  return *this;
}

void* BlockPool::allocate(std::size_t bytes) {
  const std::size_t granules = (bytes + kGranule - 1) / kGranule;
  if (granules >= kClasses) return ::operator new(bytes);
  const std::size_t c = granules == 0 ? 1 : granules;
  if (FreeBlock* f = free_[c]) {
    free_[c] = f->next;
    return f;
  }
  const std::size_t need = c * kGranule;
  if (static_cast<std::size_t>(end_ - cursor_) < need) {
    // The old slab's tail becomes a free block of the largest size it holds.
    const std::size_t tail = static_cast<std::size_t>(end_ - cursor_) / kGranule;
    if (tail > 0) free_[tail] = new (cursor_) FreeBlock{free_[tail]};
    slabs_.emplace_back(new std::byte[kSlab]);
    cursor_ = slabs_.back().get();
    end_ = cursor_ + kSlab;
  }
  std::byte* at = cursor_;
  cursor_ += need;
  return at;
}

void BlockPool::deallocate(void* block, std::size_t bytes) {
  if (!block) return;
  const std::size_t granules = (bytes + kGranule - 1) / kGranule;
  if (granules >= kClasses) {
    ::operator delete(block);
    return;
  }
  const std::size_t c = granules == 0 ? 1 : granules;
  free_[c] = new (block) FreeBlock{free_[c]};
}

}  // namespace vetter::rules
