// Runs a compiled RuleSet over events in time order and emits hits with their evidence.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "vetter/model/event.h"
#include "vetter/rules/rule_set.h"

namespace vetter::rules {

// One event behind a hit.
struct Evidence {
  model::Origin origin;
  std::int64_t time_us = 0;
  std::string account;  // user.name of that event
  std::string summary;  // short "field=value" text of the fields the rule tested
};

struct Hit {
  const RuleInfo* rule = nullptr;     // points into the RuleSet, which must outlive the hit
  std::vector<std::string> accounts;  // accounts that receive the points (README "Scores")
  std::int64_t first_us = 0;          // first and last evidence time
  std::int64_t last_us = 0;
  std::string group_key;           // correlations: "source.ip=1.2.3.4"; empty for detections
  std::int64_t window_us = 0;      // correlations: the timespan
  std::vector<Evidence> evidence;  // capped; the first events that made the hit
};

struct EngineOptions {
  // Find each event's candidate rules through the value index (src/rules/prefilter.h). false:
  // evaluate every rule of the event's logsource category in full; same hits, slower (for the
  // benchmark's baseline and the test that both ways agree).
  bool index = true;
};

// Events the correlations set aside, for the run's summary.
struct EngineCounters {
  std::size_t non_numeric = 0;  // value_sum/avg/percentile: the field held no number
  std::size_t too_late = 0;     // older than a group's sliding window when they arrived
};

// The half of Engine::process that keeps no state between events: which detection rules an
// event matches. Each stream thread of a scan runs a Matcher of its own over the scan's RuleSet
// and records the result in the event (model::Event::matches), so that the one thread that feeds
// the correlations in time order does not also match every event.
class Matcher {
 public:
  // `rules` must be the RuleSet the Engine runs (and outlive the Matcher), with the same options.
  explicit Matcher(const RuleSet& rules, EngineOptions options = {});
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // Sets event.matches: known, and the detections the event matches.
  void match(model::Event& event);
  // The detections `event` matches, into `out` (replaced), in the order Engine::process applies
  // them.
  void match(const model::Event& event, std::vector<std::uint32_t>& out);

  struct State;

 private:
  std::unique_ptr<State> state_;
};

class Engine {
 public:
  explicit Engine(const RuleSet& rules, EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Feed events in time order (a late one is placed in order within its correlation groups, see
  // src/rules/correlation.h; counters() says how many were too late). Hits are appended to `out`.
  // A detection rule gives one hit per matching event; a correlation gives one hit per group
  // each time its condition becomes true in a window (not once per further event). An event whose
  // matches are known (Matcher::match ran on it) is not matched again.
  void process(const model::Event& event, std::vector<Hit>& out);

  // End of input: correlations that only resolve at window end (lt/lte conditions) report here.
  // Window semantics (inclusive bounds, emit-once, state bounds): src/rules/correlation.h.
  void finish(std::vector<Hit>& out);

  EngineCounters counters() const;

  struct State;

 private:
  const RuleSet& rules_;
  std::unique_ptr<State> state_;
};

}  // namespace vetter::rules
