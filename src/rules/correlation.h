// Sliding-window state of one correlation rule: groups, their windows, and when they fire.
//
// Window: an event at time t sees the group's events with time in [t - timespan, t] (both ends
// inclusive: an event exactly one timespan older still counts).
// Firing: a group fires when its condition first holds; it then stays quiet for one timespan.
// An event at t' > t_fire + timespan re-evaluates the group, and since its window starts after
// t_fire, no event that made the first hit is counted again.
// Bounds: per group at most kMaxEntriesPerGroup events are kept (oldest dropped first); groups
// whose newest event is older than the timespan are dropped in a sweep that runs at most once per
// timespan of event time. Events lacking a group-by field (or value_count's field) are ignored.
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

  // `event` matched the rule at position `pos` of the correlation's `rules`. `summary` is the
  // base rule's "field=value" text for the evidence. Appends a Hit when the group fires.
  void feed(std::size_t pos, const model::Event& event, std::string_view summary,
            std::vector<Hit>& out);

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
    std::int64_t quiet_until = 0;
  };

  void drop_front(Group& g);
  void slide(Group& g, std::int64_t now);
  std::int64_t count(const Group& g) const;
  void sweep(std::int64_t now);

  const CorrelationRule& rule_;
  const RuleInfo* info_;
  std::unordered_map<std::string, Group> groups_;
  std::int64_t last_sweep_ = 0;
  bool swept_once_ = false;
};

}  // namespace vetter::rules
