// The deterministic k-way merge of time-ordered event sources.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

#include "event_source.h"

namespace vetter::app {

// Merges streams by (time, stream index): the same inputs always give the same order, whatever
// the threads did.
class Merger : public EventSource {
 public:
  explicit Merger(std::vector<EventSource*> streams);
  bool next(model::Event& out) override;

 private:
  struct Head {
    std::int64_t time_us;
    std::size_t stream;
    bool operator>(const Head& o) const {
      return time_us != o.time_us ? time_us > o.time_us : stream > o.stream;
    }
  };
  std::vector<EventSource*> streams_;
  std::vector<model::Event> heads_;
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> order_;
};

}  // namespace vetter::app
