// Shared texts: a flat hash table over pooled, use-counted nodes (see shared_texts.h).
#include "shared_texts.h"

#include <cstring>
#include <new>
#include <utility>

#include "linear_probe.h"

namespace vetter::rules {

SharedTexts::SharedTexts(SharedTexts&& other) noexcept {
  *this = std::move(other);
}

SharedTexts& SharedTexts::operator=(SharedTexts&& other) noexcept {
  if (this == &other) return *this;
  reset();
  slots_ = std::exchange(other.slots_, {});
  size_ = std::exchange(other.size_, 0);
  pool_ = std::move(other.pool_);
  return *this;
}

SharedTexts::~SharedTexts() {
  reset();
}

void SharedTexts::reset() {
  // Nodes too large for the pool's slabs are heap blocks: give each back.
  for (Slot& s : slots_) {
    if (s.node) pool_.deallocate(s.node, sizeof(Node) + s.node->size);
  }
  slots_.clear();
  size_ = 0;
}

void SharedTexts::rehash(std::size_t capacity) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
  const std::size_t mask = capacity - 1;
  for (const Slot& s : old) {
    if (!s.node) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].node)
      i = (i + 1) & mask;
    slots_[i] = s;
  }
}

SharedTexts::Ref SharedTexts::acquire(std::string_view text, std::uint64_t h) {
  if (text.empty()) return nullptr;
  if (!slots_.empty()) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask; slots_[i].node; i = (i + 1) & mask) {
      Node* n = slots_[i].node;
      if (slots_[i].hash == h && n->size == text.size() &&
          std::memcmp(n->data(), text.data(), text.size()) == 0) {
        ++n->count;
        return n;
      }
    }
  }
  // New text. Growing only here keeps a lookup of a held text free of allocation.
  if ((size_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
  Node* n = new (pool_.allocate(sizeof(Node) + text.size())) Node;
  n->hash = h;
  n->count = 1;
  n->size = static_cast<std::uint32_t>(text.size());
  std::memcpy(reinterpret_cast<char*>(n + 1), text.data(), text.size());
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = h & mask;
  while (slots_[i].node)
    i = (i + 1) & mask;
  slots_[i] = Slot{h, n};
  ++size_;
  return n;
}

void SharedTexts::release(Ref ref) {
  if (!ref || --ref->count != 0) return;
  const std::size_t mask = slots_.size() - 1;
  std::size_t hole = ref->hash & mask;
  while (slots_[hole].node != ref)
    hole = (hole + 1) & mask;
  erase_shifting(
      slots_, hole, [](const Slot& s) { return s.node != nullptr; },
      [](const Slot& s) { return s.hash; });
  --size_;
  pool_.deallocate(ref, sizeof(Node) + ref->size);
  if (slots_.size() > 64 && size_ * 16 < slots_.size()) rehash(slots_.size() / 4);
}

}  // namespace vetter::rules
