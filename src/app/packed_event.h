// The compact form of an event while it waits (reorder buffer, hand-over queue, HR records).
#pragma once

#include <cstdint>
#include <string>

#include "vetter/model/event.h"
#include "vetter/model/field_set.h"

namespace vetter::app {

// An event held compact while it waits (reorder buffer, hand-over queue, HR records): its set
// fields serialized into one buffer. A full Event is a Value slot for every catalogue field
// (~2.7 KB before any string) plus a heap block per string; this is one block of about the size
// of the texts. It also lets the consumer refill one reused Event instead of receiving (and
// freeing) a fresh one per event.
struct PackedEvent {
  std::int64_t time_us = 0;
  std::uint64_t seq = 0;  // arrival order within a stream: ties in time keep it
  model::Origin origin;
  const model::FieldSet* base = nullptr;  // the event's base (HR profile), shared, not copied
  // The event's matches (model::RuleMatches): how many rule indices lead `data`, or kUnmatched.
  static constexpr std::uint32_t kUnmatched = 0xffffffff;
  std::uint32_t matches = kUnmatched;
  std::string data;  // rule indices, then (field id, type, value) records of its own fields

  // Moves `event`'s fields in and leaves `event` fresh (every field absent) for reuse. `buffer`
  // (a spent event's data) is written over, so a big enough one costs no allocation.
  static PackedEvent pack(model::Event& event, std::uint64_t seq, std::string&& buffer = {});
  // Overwrites `out` (every field, the time and the origin) with this event.
  void unpack(model::Event& out) const;
};

}  // namespace vetter::app
