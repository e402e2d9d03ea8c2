// Texts that many correlation entries share (evidence, value_count values), each held once with a
// use count, and freed when the last user lets go.
//
// Hot path of every correlation feed, so built for it:
//   - a flat open-addressing table (linear probing, power-of-two size, at most half full) of
//     (64-bit hash, node) pairs: a probe compares stored hashes and reads a node's bytes only when
//     the full hashes agree, so a lookup costs about one cache line of table plus, on a hit, one
//     compare of the text;
//   - nodes (header + bytes) come from a BlockPool (block_pool.h): a released node's memory takes
//     the next text of its size. In steady state (windows sliding, old entries released) holding a
//     new text costs no heap allocation, and acquiring a text already held never does.
//   - release finds the node's slot by hash and address (no text compare) and closes the gap by
//     shifting later entries back (no tombstones, so probes stay short after many releases).
// The table shrinks when it falls below 1/16 full; pool memory is kept for reuse until the owner
// (one CorrelationWindow) is destroyed, so memory follows the largest state held, not the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "block_pool.h"
#include "vetter/model/text_hash.h"

namespace vetter::rules {

class SharedTexts {
 public:
  struct Node {
    std::uint64_t hash = 0;
    std::uint32_t count = 0;  // users
    std::uint32_t size = 0;   // bytes of text, which follow the header
    const char* data() const { return reinterpret_cast<const char*>(this + 1); }
  };
  using Ref = Node*;  // nullptr stands for ""

  SharedTexts() = default;
  SharedTexts(const SharedTexts&) = delete;
  SharedTexts& operator=(const SharedTexts&) = delete;
  SharedTexts(SharedTexts&&) noexcept;
  SharedTexts& operator=(SharedTexts&&) noexcept;
  ~SharedTexts();

  // One more user of `text` (nullptr for ""); the same Ref for equal texts while any is held.
  Ref acquire(std::string_view text) { return acquire(text, hash(text)); }
  Ref acquire(std::string_view text, std::uint64_t text_hash);  // text_hash: hash(text)
  // Loads the cache line a lookup of `text_hash` starts at (overlaps the miss with other work).
  void prefetch(std::uint64_t text_hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[text_hash & (slots_.size() - 1)]);
  }
  void release(Ref ref);
  static std::string_view text(Ref ref) {
    return ref ? std::string_view(ref->data(), ref->size) : "";
  }
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return slots_.size(); }  // table slots (for tests)

  static std::uint64_t hash(std::string_view text) { return model::text_hash(text); }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    Node* node = nullptr;  // nullptr: empty
  };

  void reset();  // frees everything (the texts must no longer be used)
  void rehash(std::size_t capacity);

  std::vector<Slot> slots_;  // empty until the first text
  std::size_t size_ = 0;

  BlockPool pool_;  // the nodes
};

}  // namespace vetter::rules
