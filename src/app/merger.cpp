// The deterministic k-way merge behind app::scan.
#include "merger.h"

#include <utility>

namespace vetter::app {

Merger::Merger(std::vector<EventSource*> streams)
    : streams_(std::move(streams)), heads_(streams_.size()) {
  for (std::size_t i = 0; i < streams_.size(); ++i) {
    if (streams_[i]->next(heads_[i])) order_.push({heads_[i].time_us, i});
  }
}

bool Merger::next(model::Event& out) {
  if (order_.empty()) return false;
  const std::size_t i = order_.top().stream;
  order_.pop();
  // Swapped, not moved: the stream refills the consumer's previous event in place, so no event
  // storage is allocated or freed per event.
  std::swap(out, heads_[i]);
  if (streams_[i]->next(heads_[i])) order_.push({heads_[i].time_us, i});
  return true;
}

}  // namespace vetter::app
