// A correlation window's groups by key text, laid out for the feed path's cache misses.
//
// The whole-scan profile showed std::unordered_map<std::string, Group>::find at ~4% of all CPU,
// three dependent cache misses per lookup (bucket, previous node, node) on state the parser's
// stream has pushed out of cache. Here:
//   - slots are 8 bytes (32 bits of the key's hash, record index + 1), linear probing in a
//     power-of-two array at most 3/4 full: one cache line answers almost every probe, and the
//     caller can prefetch it as soon as it has hashed the key;
//   - a record is one 64-byte line: the group and its key, inline when it has at most
//     kInlineKey bytes (IPv4 addresses, most user names), else in a BlockPool block;
//   - records sit in fixed chunks (stable addresses, no reallocation) and a freed record's index
//     is reused by the next new group, so groups coming and going cost no heap allocation.
// Erasing closes the gap in the probe run (backward shift), so there are no tombstones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "block_pool.h"
#include "linear_probe.h"

namespace vetter::rules {

template <typename V>
class GroupTable {
 public:
  static constexpr std::size_t kInlineKey = 64 - sizeof(V) - sizeof(std::uint32_t);
  static_assert(kInlineKey >= sizeof(char*), "the value leaves no room for a key pointer");

  struct alignas(64) Record {
    V value{};
    std::uint32_t key_size = 0;
    char key_bytes[kInlineKey];  // the key, or (longer keys) a pointer to its pool block

    std::string_view key() const {
      if (key_size <= kInlineKey) return {key_bytes, key_size};
      const char* p;
      std::memcpy(&p, key_bytes, sizeof p);
      return {p, key_size};
    }
  };

  explicit GroupTable(BlockPool& pool) : pool_(&pool) {}
  GroupTable(const GroupTable&) = delete;
  GroupTable& operator=(const GroupTable&) = delete;
  GroupTable(GroupTable&& other) noexcept
      : pool_(other.pool_),
        slots_(std::move(other.slots_)),
        chunks_(std::move(other.chunks_)),
        free_(std::move(other.free_)),
        records_(std::exchange(other.records_, 0)),
        size_(std::exchange(other.size_, 0)) {
    other.slots_.clear();
  }
  ~GroupTable() {
    for (const Slot& s : slots_) {
      if (s.record) free_key(record(s.record - 1));
    }
  }

  std::size_t size() const { return size_; }

  // Loads the cache line a lookup of `hash` starts at.
  void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[tag_of(hash) & (slots_.size() - 1)]);
  }

  // `hash` is SharedTexts::hash(key).
  Record* find(std::string_view key, std::uint64_t hash) {
    if (slots_.empty()) return nullptr;
    const std::uint32_t tag = tag_of(hash);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = tag & mask; slots_[i].record; i = (i + 1) & mask) {
      if (slots_[i].tag != tag) continue;
      Record& r = record(slots_[i].record - 1);
      if (r.key() == key) return &r;
    }
    return nullptr;
  }

  // `key` must not be present. The record's value is default-constructed.
  Record& insert(std::string_view key, std::uint64_t hash) {
    if ((size_ + 1) * 4 > slots_.size() * 3) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    std::uint32_t index;
    if (!free_.empty()) {
      index = free_.back();
      free_.pop_back();
    } else {
      if (records_ == chunks_.size() * kChunk) chunks_.emplace_back(new Record[kChunk]);
      index = static_cast<std::uint32_t>(records_++);
    }
    Record& r = record(index);
    r.key_size = static_cast<std::uint32_t>(key.size());
    if (key.size() <= kInlineKey) {
      std::memcpy(r.key_bytes, key.data(), key.size());
    } else {
      auto* p = static_cast<char*>(pool_->allocate(key.size()));
      std::memcpy(p, key.data(), key.size());
      std::memcpy(r.key_bytes, &p, sizeof p);
    }
    place(Slot{tag_of(hash), index + 1});
    ++size_;
    return r;
  }

  // Sweeps: walk slot positions 0..slot_count()-1; erase_at(i) may move a later record into
  // slot i (look at i again) or one already seen to a later slot (seen twice).
  std::size_t slot_count() const { return slots_.size(); }
  Record* at(std::size_t i) { return slots_[i].record ? &record(slots_[i].record - 1) : nullptr; }
  void erase_at(std::size_t i) {
    const std::uint32_t index = slots_[i].record - 1;
    Record& r = record(index);
    free_key(r);
    r.key_size = 0;
    r.value = V{};
    free_.push_back(index);
    erase_shifting(
        slots_, i, [](const Slot& s) { return s.record != 0; },
        [](const Slot& s) { return s.tag; });
    --size_;
  }
  // After a sweep: a table left under 1/16 full gives back most of its slots.
  void shrink() {
    if (slots_.size() > 64 && size_ * 16 < slots_.size()) rehash(slots_.size() / 4);
  }

 private:
  static constexpr std::size_t kChunk = 512;  // records per chunk (32 KiB)
  struct Slot {
    std::uint32_t tag = 0;
    std::uint32_t record = 0;  // index + 1; 0: empty
  };

  static std::uint32_t tag_of(std::uint64_t hash) { return static_cast<std::uint32_t>(hash >> 32); }
  Record& record(std::uint32_t index) { return chunks_[index / kChunk][index % kChunk]; }

  void free_key(Record& r) {
    if (r.key_size <= kInlineKey) return;
    char* p;
    std::memcpy(&p, r.key_bytes, sizeof p);
    pool_->deallocate(p, r.key_size);
  }

  void place(Slot s) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = s.tag & mask;
    while (slots_[i].record)
      i = (i + 1) & mask;
    slots_[i] = s;
  }

  void rehash(std::size_t capacity) {
    std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(capacity));
    for (const Slot& s : old) {
      if (s.record) place(s);
    }
  }

  BlockPool* pool_;
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<Record[]>> chunks_;
  std::vector<std::uint32_t> free_;  // record indexes to reuse
  std::size_t records_ = 0;          // record indexes handed out so far
  std::size_t size_ = 0;
};

}  // namespace vetter::rules
