// Open addressing keyed by short text, for the lookups every event makes (the directory's alias
// index, the enricher's per-IP cache). Each slot holds the key's 64-bit hash, the value and, when
// it fits, the key itself: a hit reads one cache line, and a probe compares bytes only when the
// whole hash matches. A node-based map costs a miss for the bucket, the node and the key's heap
// block instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "vetter/model/text_hash.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace vetter::model {

// Slot storage: a table of 2 MB or more is put on transparent huge pages where the kernel offers
// them (madvise mode), because its lookups land anywhere in it and with 4 KB pages nearly every
// one also misses the TLB.
template <typename T>
struct SlotAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  SlotAllocator() = default;
  template <typename U>
  SlotAllocator(const SlotAllocator<U>&) {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugePage)
      return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
    void* p = std::aligned_alloc(kHugePage, rounded(bytes));
    if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    madvise(p, rounded(bytes), MADV_HUGEPAGE);  // a hint: without huge pages it works as before
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) {
    if (n * sizeof(T) < kHugePage)
      ::operator delete (p, std::align_val_t{alignof(T)});
    else
      std::free(p);
  }
  friend bool operator==(const SlotAllocator&, const SlotAllocator&) {
    return true;
  }

 private:
  static std::size_t rounded(std::size_t bytes) {
    return (bytes + kHugePage - 1) / kHugePage * kHugePage;
  }
};

// Text -> V (trivially copyable: a pointer, an index). kSlotBytes (a multiple of 8) is one slot's
// size; what the hash, the value and the size leave of it holds keys inline, longer keys live in
// one shared buffer. Load factor at most 3/4, linear probing. Not thread-safe for writes;
// concurrent finds on an unchanging table are fine.
template <typename V, std::size_t kSlotBytes>
class TextTable {
  static_assert(std::is_trivially_copyable_v<V>);

  struct Head {
    std::uint64_t hash;
    V value;
    std::uint32_t size_plus_one;  // 0: empty slot
  };
  static constexpr std::size_t kInline = kSlotBytes - sizeof(Head);
  static_assert(kSlotBytes % 8 == 0 && kInline >= sizeof(std::uint32_t));
  // Aligned so that a slot never straddles two cache lines.
  struct alignas(kSlotBytes) Slot {
    Head head;
    char key[kInline];  // the key when it fits, else its offset (uint32) in long_keys_
  };
  static_assert(sizeof(Slot) == kSlotBytes);

 public:
  static std::uint64_t hash(std::string_view key) { return text_hash(key); }

  const V* find(std::string_view key) const { return find(key, hash(key)); }
  // `hash` must be hash(key).
  const V* find(std::string_view key, std::uint64_t hash) const {
    if (slots_.empty()) return nullptr;
    const Slot& slot = slots_[probe(key, hash)];
    return slot.head.size_plus_one != 0 ? &slot.head.value : nullptr;
  }

  // The same, for changing the value in place (valid until the next insert or clear).
  V* find_mutable(std::string_view key, std::uint64_t hash) {
    return const_cast<V*>(std::as_const(*this).find(key, hash));
  }
  // Starts loading the slot where a key of this hash would be looked up first.
  void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }

  // Adds key -> value unless the key is there; returns its value's place and whether it was added.
  // The place stays valid until the next insert or clear.
  std::pair<V*, bool> insert(std::string_view key, std::uint64_t hash, const V& value) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    Slot& slot = slots_[probe(key, hash)];
    if (slot.head.size_plus_one != 0) return {&slot.head.value, false};
    slot.head = Head{hash, value, static_cast<std::uint32_t>(key.size() + 1)};
    if (key.size() <= kInline) {
      if (!key.empty()) std::memcpy(slot.key, key.data(), key.size());
    } else {
      const auto offset = static_cast<std::uint32_t>(long_keys_.size());
      std::memcpy(slot.key, &offset, sizeof offset);
      long_keys_.append(key);
    }
    ++count_;
    return {&slot.head.value, true};
  }

  std::size_t size() const { return count_; }
  // Drops every entry; keeps the slots' memory for the next ones.
  void clear() {
    for (Slot& slot : slots_)
      slot.head.size_plus_one = 0;
    long_keys_.clear();
    count_ = 0;
  }

 private:
  std::string_view key_of(const Slot& slot) const {
    const std::size_t size = slot.head.size_plus_one - 1;
    if (size <= kInline) return {slot.key, size};
    std::uint32_t offset;
    std::memcpy(&offset, slot.key, sizeof offset);
    return {long_keys_.data() + offset, size};
  }
  // The key's slot, or the empty slot where it would go.
  std::size_t probe(std::string_view key, std::uint64_t hash) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.head.size_plus_one == 0) return i;
      if (slot.head.hash == hash && slot.head.size_plus_one == key.size() + 1 &&
          key_of(slot) == key)
        return i;
    }
  }
  void grow() {
    std::vector<Slot, SlotAllocator<Slot>> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.head.size_plus_one == 0) continue;
      std::size_t i = slot.head.hash & mask;
      while (slots_[i].head.size_plus_one != 0)
        i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot, SlotAllocator<Slot>> slots_;  // a power of two of them, or none
  std::string long_keys_;
  std::size_t count_ = 0;
};

}  // namespace vetter::model
