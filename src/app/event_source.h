// What the merger pulls time-ordered events from: an input stream or events already in memory.
#pragma once

#include "vetter/model/event.h"

namespace vetter::app {

// Anything the merger can pull time-ordered events from.
class EventSource {
 public:
  virtual ~EventSource() = default;
  // Overwrites `out` with the next event (reusing its storage); false when exhausted.
  virtual bool next(model::Event& out) = 0;
};

}  // namespace vetter::app
