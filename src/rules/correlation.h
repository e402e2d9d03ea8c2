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
// time), or at Engine::finish. A closed window fires if its measure satisfies the condition.
// Windows closed together are reported in (start, group key) order so replays are repeatable.
//
// The measure the condition judges:
//   event_count       events in the window
//   value_count       distinct texts of `field` in the window
//   value_sum         sum of `field` over the window's events
//   value_avg         their mean
//   value_percentile  their p-th percentile (condition.percentile, 0-100), linear interpolation
//                     between the closest ranks: sorted values v[0..n-1], rank r = p/100 * (n-1),
//                     v[floor r] + (r - floor r) * (v[floor r + 1] - v[floor r]); p 50 is the
//                     median
//   temporal          rules of the correlation seen in the window
//   temporal_ordered  the longest prefix of the rules seen in that order
// value_sum and value_avg keep a running sum (O(1) per event); value_percentile copies the
// window's numbers and selects (O(n) per event of the group, n <= kMaxEntriesPerGroup).
// value_sum/avg/percentile take numbers, or text that is entirely a number ("1500", "2.5e3");
// an event whose field is absent is ignored, as for value_count, and one whose field is not a
// number (text, a bool, a list) is ignored and counted (non_numeric(), Engine::non_numeric()).
//
// Late events: the engine expects time order, and app::EventStream reorders each input within
// its allowance, but merged inputs can still hand a group an event older than its newest. Such
// an event is placed in time order within the group and judged at the group's newest time, as
// if it had arrived in order: the window is [newest - timespan, newest], and the hit's last time
// is `newest`. One older than that window start is dropped and counted (too_late()).
//
// x-geo_velocity (geo_velocity.h) compares each located event with the group's previous one
// (if at most one timespan older) and fires once per pair that meets its condition.
//
// Bounds: per group at most kMaxEntriesPerGroup events are kept (oldest dropped first); idle
// groups are dropped in the same once-per-timespan sweep. Events lacking a group-by field (or
// the condition's field) are ignored.
//
// Memory: a group is one 64-byte record of a GroupTable (group_table.h: its 40-byte header and
// its key, inline up to 20 bytes) and an 8-byte slot, plus a ring of 32-byte entries in one
// block. Long keys and rings come from the window's BlockPool (block_pool.h), so a group that
// starts after another went idle reuses its memory instead of the heap's.
// into a pool of shared texts (file + account + summary evidence, value_count values) held once
// with a use count, so a million groups fit in well under 200 MB (tests/unit/rules/rules_bench.cpp,
// `bench_rules groups`). State that only some types need (per-rule counts, a large value_count
// group's value table, the running sum, x-geo_velocity's previous point) sits behind one pointer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "block_pool.h"
#include "compiled.h"
#include "group_table.h"
#include "shared_texts.h"
#include "vetter/rules/engine.h"

namespace vetter::rules {

inline constexpr std::size_t kMaxEntriesPerGroup = 100'000;
inline constexpr std::size_t kMaxEvidence = 20;

class CorrelationWindow {
 public:
  CorrelationWindow(const CorrelationRule& rule, const RuleInfo* info);
  CorrelationWindow(CorrelationWindow&&) = default;
  ~CorrelationWindow();

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
  // value_sum/avg/percentile: events ignored because the field held no number.
  std::size_t non_numeric() const { return non_numeric_; }
  // Sliding windows: late events older than the group's newest event minus the timespan.
  std::size_t too_late() const { return too_late_; }

 private:
  struct Entry {
    std::int64_t time_us = 0;
    std::uint64_t line_pos = 0;  // Origin::line (low 48 bits), rule position (high 16 bits)
    SharedTexts::Ref evidence = nullptr;  // 4 bytes of files_ index, account, '\0', summary
    std::uint64_t value = 0;  // value_count: a SharedTexts::Ref; value_sum/avg/percentile: double

    std::uint64_t line() const { return line_pos & kLineMask; }
    std::uint32_t pos() const { return static_cast<std::uint32_t>(line_pos >> 48); }
  };
  static constexpr std::uint64_t kLineMask = (std::uint64_t{1} << 48) - 1;
  // What only some correlation types need, allocated on first use.
  struct Extra {
    std::vector<std::uint32_t> per_rule;                         // temporal: events per position
    std::unordered_map<SharedTexts::Ref, std::uint32_t> values;  // value_count, large groups
    bool values_active = false;
    double sum = 0;  // value_sum, value_avg: running sum (reset whenever the window empties)
    // x-geo_velocity: the group's previous located event
    bool has_last = false;
    Entry last;
    double last_lat = 0, last_lon = 0, last_accuracy = 0;
  };
  struct Group {
    Entry* ring = nullptr;   // capacity 1 << cap_log2 when set; a block of pool_
    std::uint32_t head = 0;  // live entries: ring[(head + i) & (capacity - 1)], i < size
    std::uint32_t size = 0;
    std::uint32_t distinct = 0;  // value_count: distinct values in the window
    std::uint8_t cap_log2 = 0;
    bool fired = false;
    std::int64_t mark_us = 0;  // sliding: quiet until then; window end: the window's start
    std::unique_ptr<Extra> extra;

    Entry& at(std::size_t i) { return ring[(head + i) & ((1u << cap_log2) - 1)]; }
    const Entry& at(std::size_t i) const { return ring[(head + i) & ((1u << cap_log2) - 1)]; }
  };

  struct Ending {  // close_all: a window that ended
    std::int64_t start;
    std::string_view key;
    Group* group;
  };

  void resize_ring(Group& g, std::uint8_t log2);
  void free_ring(Group& g);
  Extra& extra(Group& g);
  void push(Group& g, const Entry& e);
  void drop_front(Group& g);
  void release(const Entry& e);
  void clear(Group& g);
  void slide(Group& g, std::int64_t now);
  void add_value(Group& g, SharedTexts::Ref value);
  void remove_value(Group& g, SharedTexts::Ref value);
  double measure(const Group& g);
  std::string display_key(std::string_view key) const;
  void emit(std::string_view key, const Group& g, std::int64_t last_us, std::vector<Hit>& out);
  void close(std::string_view key, Group& g, std::vector<Hit>& out);
  void close_all(std::int64_t before, std::vector<Hit>& out);
  void feed_geo(std::string_view key, Group& g, const Entry& entry, const model::Event& event,
                std::vector<Hit>& out);
  Evidence evidence_of(const Entry& e) const;
  std::uint32_t file_index(std::string_view file);

  const CorrelationRule& rule_;
  const RuleInfo* info_;
  bool window_end_;                  // lt/lte present
  std::unique_ptr<BlockPool> pool_;  // before groups_: their nodes and rings live in it
  GroupTable<Group> groups_;
  SharedTexts texts_;
  std::vector<std::string_view> files_;  // Origin::file views (the run keeps them alive)
  std::string scratch_;                  // reused to build group keys
  std::string value_scratch_;            // reused for value_count's value text
  std::string evidence_scratch_;         // reused for the entry's evidence text
  std::vector<double> sorted_;           // reused by value_percentile
  std::vector<Ending> ending_;           // reused by close_all
  std::int64_t last_sweep_ = 0;
  bool swept_once_ = false;
  std::size_t non_numeric_ = 0;
  std::size_t too_late_ = 0;
};

}  // namespace vetter::rules
