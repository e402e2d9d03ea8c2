// A read-only set of fields that many events share, such as a worker's HR profile.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "vetter/model/field.h"
#include "vetter/model/value.h"

namespace vetter::model {

// One presence bit per catalogue field (Event and FieldSet).
inline constexpr std::size_t kPresenceWords = (kMaxFields + 63) / 64;
using PresenceBits = std::array<std::uint64_t, kPresenceWords>;

// Fields held once and shared by reference. Every event of a known worker carries the worker's
// hr.* profile; an Event takes the profile's FieldSet as its base (Event::set_base) instead of
// copying a dozen strings into itself, into the packed buffer and out again for every sign-in.
// Build it fully, then share it read-only: nothing may change a set that events point at.
class FieldSet {
 public:
  // Sets (or replaces) a field; an absent value removes it.
  void set(FieldId id, Value v);
  // Room for `n` fields, so that building a set costs one allocation.
  void reserve(std::size_t n) { values_.reserve(n); }

  bool has(FieldId id) const { return (present_[id >> 6] >> (id & 63)) & 1; }
  // The field's value, or nullptr when the set does not hold it.
  const Value* find(FieldId id) const { return has(id) ? &values_[rank(id)] : nullptr; }
  bool empty() const { return values_.empty(); }
  std::size_t size() const { return values_.size(); }
  const PresenceBits& bits() const { return present_; }
  // The first value's address, to prefetch before the set is read (nullptr when empty).
  const Value* data() const { return values_.data(); }

  // Calls f(id, value) for every field in id order.
  template <typename F>
  void for_each(F&& f) const {
    std::size_t i = 0;
    for (std::size_t w = 0; w < present_.size(); ++w) {
      for (std::uint64_t bits = present_[w]; bits; bits &= bits - 1)
        f(static_cast<FieldId>(w * 64 + std::countr_zero(bits)), values_[i++]);
    }
  }

 private:
  // How many held fields have a smaller id than `id`: the index of id's value.
  std::size_t rank(FieldId id) const {
    const std::size_t word = id >> 6;
    std::size_t n = 0;
    for (std::size_t w = 0; w < word; ++w)
      n += static_cast<std::size_t>(std::popcount(present_[w]));
    const std::uint64_t below = (std::uint64_t{1} << (id & 63)) - 1;
    return n + static_cast<std::size_t>(std::popcount(present_[word] & below));
  }

  PresenceBits present_{};
  std::vector<Value> values_;  // in id order
};

}  // namespace vetter::model
