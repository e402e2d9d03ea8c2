// Events already in memory, replayed in time order: the scan's HR records.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "event_source.h"
#include "packed_event.h"

namespace vetter::app {

// Events already in memory (the HR records), in time order. They wait packed: a full Event per
// worker would be ~2.7 KB each.
class VectorSource : public EventSource {
 public:
  VectorSource() = default;
  explicit VectorSource(std::vector<model::Event> events);
  // Adds an event (packed: `event` is left fresh); call sort() after the last one.
  void add(model::Event& event);
  // Orders the events by time, ties in the order they were added.
  void sort();
  // Applies `fn` to every event (unpacked, changed, packed again).
  void transform(const std::function<void(model::Event&)>& fn);
  bool next(model::Event& out) override;

 private:
  std::vector<PackedEvent> events_;
  std::size_t pos_ = 0;
};

}  // namespace vetter::app
