// Window state of one correlation rule: groups, their windows, and when they fire.
//
// Two modes, chosen by the condition:
//
// Sliding (gt, gte, eq only): an event at time t sees the group's events with time in
// [t - timespan, t] (both ends inclusive: an event exactly one timespan older still counts). The
// group fires on the event that first makes the condition hold, and then stays quiet for one
// timespan: an event at t' > t_fire + timespan re-evaluates it, and since that window starts
// after t_fire, no event that made the first hit is counted twice.
//
// Window end (any lt or lte bound, e.g. {lt: 3} or {gte: 2, lte: 5}): "fewer than" can only be
// known once a window is over. A group's window opens at its first event and covers
// [start, start + timespan]; it closes when the group sees an event after that (the next window
// opens there), when any later event passes it (checked at most once per timespan of event
// time), or at Engine::finish. A closed window fires if its count satisfies the condition.
// Windows closed together are reported in (start, group key) order so replays are repeatable.
//
// x-geo_velocity (geo_velocity.h) compares each located event with the group's previous one
// (if at most one timespan older) and fires once per pair that meets its condition.
//
// Bounds: per group at most kMaxEntriesPerGroup events are kept (oldest dropped first); idle
// groups are dropped in the same once-per-timespan sweep. Events lacking a group-by field (or
// value_count's field) are ignored.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiled.h"
#include "vetter/rules/engine.h"

namespace vetter::rules {

inline constexpr std::size_t kMaxEntriesPerGroup = 100'000;
inline constexpr std::size_t kMaxEvidence = 20;

class CorrelationWindow {
 public:
  CorrelationWindow(const CorrelationRule& rule, const RuleInfo* info);

  // Event time moved to `now` (called for every event): expires idle groups and closes windows
  // that ended before `now`.
  void advance(std::int64_t now, std::vector<Hit>& out);

  // `event` matched the rule at position `pos` of the correlation's `rules`. `summary` is the
  // base rule's "field=value" text for the evidence. Appends a Hit when the group fires.
  void feed(std::size_t pos, const model::Event& event, std::string_view summary,
            std::vector<Hit>& out);

  // End of input: closes every open window (window-end mode).
  void finish(std::vector<Hit>& out);

  std::size_t group_count() const { return groups_.size(); }

 private:
  struct Entry {
    std::int64_t time_us = 0;
    model::Origin origin;
    std::string account;
    std::string value;  // value_count: the counted field's text
    std::string summary;
    std::uint32_t pos = 0;
  };
  struct Group {
    std::deque<Entry> entries;
    std::unordered_map<std::string, std::uint32_t> values;  // value_count: distinct values
    std::vector<std::uint32_t> per_rule;                    // events per rule position
    bool fired = false;
    std::int64_t quiet_until = 0;   // sliding mode
    std::int64_t window_start = 0;  // window-end mode
    // x-geo_velocity: the group's previous located event
    bool has_last = false;
    Entry last;
    double last_lat = 0, last_lon = 0, last_accuracy = 0;
  };

  void drop_front(Group& g);
  void slide(Group& g, std::int64_t now);
  std::int64_t count(const Group& g) const;
  void emit(const std::string& key, const Group& g, std::int64_t last_us, std::vector<Hit>& out);
  void close(const std::string& key, Group& g, std::vector<Hit>& out);
  void close_all(std::int64_t before, std::vector<Hit>& out);
  void feed_geo(const std::string& key, Group& g, Entry entry, const model::Event& event,
                std::vector<Hit>& out);

  const CorrelationRule& rule_;
  const RuleInfo* info_;
  bool window_end_;  // lt/lte present
  std::unordered_map<std::string, Group> groups_;
  std::int64_t last_sweep_ = 0;
  bool swept_once_ = false;
};

}  // namespace vetter::rules
