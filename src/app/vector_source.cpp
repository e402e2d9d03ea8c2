// Events already in memory (the scan's HR records), replayed in time order.
#include "vector_source.h"

#include <algorithm>
#include <string>

namespace vetter::app {

VectorSource::VectorSource(std::vector<model::Event> events) {
  events_.reserve(events.size());
  for (model::Event& e : events)
    add(e);
}

void VectorSource::add(model::Event& event) {
  events_.push_back(PackedEvent::pack(event, events_.size()));
}

void VectorSource::sort() {
  std::stable_sort(events_.begin(), events_.end(), [](const PackedEvent& a, const PackedEvent& b) {
    return a.time_us < b.time_us;
  });
}

void VectorSource::transform(const std::function<void(model::Event&)>& fn) {
  model::Event event;
  for (PackedEvent& packed : events_) {
    packed.unpack(event);
    fn(event);
    packed = PackedEvent::pack(event, packed.seq);
  }
}

bool VectorSource::next(model::Event& out) {
  if (pos_ >= events_.size()) return false;
  events_[pos_].unpack(out);
  std::string().swap(events_[pos_++].data);
  return true;
}

}  // namespace vetter::app
