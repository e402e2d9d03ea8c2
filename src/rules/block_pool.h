// Small blocks for the correlation state (shared texts, group nodes, window rings) without a heap
// allocation per block once the state has reached its size.
//
// Blocks are rounded up to 16-byte granules; sizes up to kMaxPooled bytes are carved from 64 KiB
// slabs and, when freed, go on a free list of their size that the next block of that size takes.
// Larger blocks come from the heap. A freed block is never given back to the heap before the pool
// goes: memory follows the largest state held, not the input. Not thread-safe (one pool per
// correlation window, which one thread feeds).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace vetter::rules {

class BlockPool {
 public:
  static constexpr std::size_t kGranule = 16;
  static constexpr std::size_t kMaxPooled = 512;

  BlockPool() = default;
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;
  BlockPool(BlockPool&& other) noexcept { *this = std::move(other); }
  BlockPool& operator=(BlockPool&& other) noexcept;
  ~BlockPool() = default;  // slabs go; heap blocks must have been deallocated by their users

  // 16-byte aligned, uninitialized.
  void* allocate(std::size_t bytes);
  // `bytes` as given to allocate.
  void deallocate(void* block, std::size_t bytes);

 private:
  static constexpr std::size_t kClasses = kMaxPooled / kGranule + 1;  // by granules, 1..32
  static constexpr std::size_t kSlab = 64 * 1024;
  struct FreeBlock {
    FreeBlock* next;
  };
  FreeBlock* free_[kClasses] = {};
  std::vector<std::unique_ptr<std::byte[]>> slabs_;
  std::byte* cursor_ = nullptr;  // unused rest of the newest slab
  std::byte* end_ = nullptr;
};

// A std allocator over a BlockPool, for containers of the correlation state. The pool must outlive
// every container using it (and stay at its address).
template <typename T>
struct PoolAllocator {
  using value_type = T;
  BlockPool* pool = nullptr;

  explicit PoolAllocator(BlockPool* p) noexcept : pool(p) {}
  template <typename U>
  PoolAllocator(const PoolAllocator<U>& other) noexcept : pool(other.pool) {}

  T* allocate(std::size_t n) { return static_cast<T*>(pool->allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { pool->deallocate(p, n * sizeof(T)); }

  template <typename U>
  bool operator==(const PoolAllocator<U>& other) const noexcept {
    return pool == other.pool;
  }
};

}  // namespace vetter::rules
