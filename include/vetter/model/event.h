// The normalized event every stage after the mappers works on.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vetter/model/field.h"
#include "vetter/model/field_set.h"
#include "vetter/model/value.h"

namespace vetter::model {

// Where an event came from, so every flag can point back at its evidence.
// `file` views storage owned by the run (app::Run keeps the names alive for its whole life).
struct Origin {
  std::string_view file;
  std::uint64_t line = 0;  // 1-based; 0 when the format has no lines (element of a JSON array)
};

// The detection rules an event matched, when they were found where the event was mapped (a stream
// thread runs rules::Matcher), so that the one thread running the correlations does not match the
// event again. Indices into the scan's compiled rule set, in the order the engine applies them.
struct RuleMatches {
  bool known = false;  // false: not matched yet; the engine matches the event itself
  std::vector<std::uint32_t> rules;
};

// One slot per catalogue field plus a bit saying which slots are set. Clearing an event (or a
// field) only drops bits: the slots keep their strings' buffers, so an Event that a mapper, the
// enricher or the consumer reuses costs no allocation once its strings have grown to size.
// A slot whose bit is clear reads as absent (monostate) whatever it still holds.
//
// An event may also have a base: a shared FieldSet (the worker's HR profile) whose fields read
// as the event's own unless the event sets them itself. The base is pointed at, not copied, so it
// must outlive the event (the identity directory lives for the whole scan).
class Event {
 public:
  Event() : slots_(Fields::count()) {}
  Event(const Event&) = default;
  Event& operator=(const Event&) = default;
  // A moved-from event is empty and can be filled again (its slots come back on the first set).
  Event(Event&& other) noexcept
      : time_us(other.time_us),
        origin(other.origin),
        matches(std::exchange(other.matches, {})),
        slots_(std::move(other.slots_)),
        present_(std::exchange(other.present_, {})),
        base_(std::exchange(other.base_, nullptr)) {}
  Event& operator=(Event&& other) noexcept {
    time_us = other.time_us;
    origin = other.origin;
    matches = std::exchange(other.matches, {});
    slots_ = std::move(other.slots_);
    present_ = std::exchange(other.present_, {});
    base_ = std::exchange(other.base_, nullptr);
    return *this;
  }

  std::int64_t time_us = 0;  // @timestamp, microseconds since the Unix epoch, UTC
  Origin origin;
  RuleMatches matches;

  bool has(FieldId id) const { return owns(id) || (base_ && base_->has(id)); }
  const Value& get(FieldId id) const {
    if (owns(id)) return slots_[id];
    if (base_) {
      if (const Value* v = base_->find(id)) return *v;
    }
    return absent();
  }
  // Whether the event sets the field itself (not through its base).
  bool owns(FieldId id) const { return (present_[id >> 6] >> (id & 63)) & 1; }
  // Whether it sets any of the fields `mask` marks itself.
  bool owns_any(const PresenceBits& mask) const {
    for (std::size_t w = 0; w < present_.size(); ++w)
      if (present_[w] & mask[w]) return true;
    return false;
  }
  // The string value of a field, or an empty view when it is absent or not a string.
  std::string_view str(FieldId id) const;

  void set(FieldId id, const Value& v) {
    if (is_absent(v)) return erase(id);
    slot(id) = v;
  }
  void set(FieldId id, Value&& v) {
    if (is_absent(v)) return erase(id);
    slot(id) = std::move(v);
  }
  void set(FieldId id, std::string_view text) { text_slot(id).assign(text); }
  void set(FieldId id, const std::string& text) { text_slot(id).assign(text); }
  void set(FieldId id, const char* text) { text_slot(id).assign(text); }
  void set(FieldId id, const std::vector<std::string>& list) {
    Value& v = slot(id);
    if (auto* held = std::get_if<std::vector<std::string>>(&v))
      *held = list;  // element strings keep their buffers
    else
      v = list;
  }
  void set(FieldId id, std::int64_t v) { slot(id) = v; }
  void set(FieldId id, int v) { slot(id) = std::int64_t{v}; }
  void set(FieldId id, double v) { slot(id) = v; }
  void set(FieldId id, bool v) { slot(id) = v; }

  // The field's string, set (empty) if it was absent, for writing in place: keeps the buffer a
  // previous event left in the slot.
  std::string& text_slot(FieldId id);
  // The field's slot, set, for any other in-place write; the caller must leave a non-absent value.
  Value& slot(FieldId id) {
    if (slots_.empty()) [[unlikely]]
      slots_.resize(Fields::count());
    mark(id);
    return slots_[id];
  }

  void erase(FieldId id) {
    if (base_ && base_->has(id)) [[unlikely]]
      own_base();
    present_[id >> 6] &= ~(std::uint64_t{1} << (id & 63));
  }
  // Every field absent, base and matches dropped, time and origin reset; string buffers are kept
  // for the next event.
  void clear() {
    present_ = {};
    base_ = nullptr;
    time_us = 0;
    origin = {};
    matches.known = false;
    matches.rules.clear();
  }
  bool empty() const {
    for (std::uint64_t word : present_)
      if (word) return false;
    return !base_ || base_->empty();
  }

  // The shared fields under this event's own, or nullptr. Setting a base keeps the event's own
  // fields; they hide the base's fields of the same id.
  const FieldSet* base() const { return base_; }
  void set_base(const FieldSet* base) { base_ = base; }

  // Calls f(id, value) for every set field (its own and its base's) in id order.
  template <typename F>
  void for_each(F&& f) const {
    if (!base_) return for_each_own(f);
    for (std::size_t w = 0; w < present_.size(); ++w) {
      const std::uint64_t own = present_[w];
      for (std::uint64_t bits = own | base_->bits()[w]; bits; bits &= bits - 1) {
        const int bit = std::countr_zero(bits);
        const auto id = static_cast<FieldId>(w * 64 + bit);
        f(id, (own >> bit) & 1 ? slots_[id] : *base_->find(id));
      }
    }
  }
  // The same for the fields the event sets itself, without its base's.
  template <typename F>
  void for_each_own(F&& f) const {
    for (std::size_t w = 0; w < present_.size(); ++w) {
      for (std::uint64_t bits = present_[w]; bits; bits &= bits - 1) {
        const auto id = static_cast<FieldId>(w * 64 + std::countr_zero(bits));
        f(id, slots_[id]);
      }
    }
  }

  // Same set fields with the same values, own or through a base (time and origin not compared).
  bool same_fields(const Event& other) const;

 private:
  static const Value& absent() {
    static const Value kAbsent;
    return kAbsent;
  }
  void mark(FieldId id) { present_[id >> 6] |= std::uint64_t{1} << (id & 63); }
  // Copies the base's fields the event does not set into its own slots and drops the base (before
  // a base field is erased: the shared set cannot change).
  void own_base();

  std::vector<Value> slots_;  // indexed by FieldId
  PresenceBits present_{};
  const FieldSet* base_ = nullptr;
};

}  // namespace vetter::model
