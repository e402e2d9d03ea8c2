// The compiled form of a RuleSet: detection rules over field slots, correlations over rule indexes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "condition.h"
#include "matcher.h"
#include "vetter/rules/rule_set.h"

namespace vetter::rules {

// A detection section, or a Sigma filter's selections and condition.
struct DetectionBody {
  std::vector<Selection> selections;
  Condition condition;
  std::vector<model::FieldId> summary_fields;  // fields the used selections test, in order
};

struct DetectionRule {
  std::size_t info = 0;  // index into CompiledRules::infos
  std::string category;  // logsource.category, lower-case; empty = any event
  DetectionBody body;
  // Sigma filter documents, applied as pySigma does: `(rule condition) and (filter condition)`,
  // so the rule matches only when every one of these holds (`condition: not sel` excludes).
  std::vector<DetectionBody> filters;
  // x-tuning filters: "the rule no longer matches these events", so it matches only when none
  // of these holds.
  std::vector<DetectionBody> vetoes;
  bool generate = true;  // false when only correlations use it (Sigma `generate`)
};

enum class CorrelationType : std::uint8_t {
  kEventCount,
  kValueCount,
  kTemporal,
  kTemporalOrdered,
  kGeoVelocity,  // vetter extension `x-geo_velocity`
  kValueSum,
  kValueAvg,
  kValuePercentile,
};

// x-geo_velocity: speed between consecutive located events of a group.
struct GeoVelocity {
  model::FieldId lat = 0;
  model::FieldId lon = 0;
  std::optional<model::FieldId> accuracy;  // km; both events' radii are taken off the distance
  std::optional<double> speed_gt, speed_gte, distance_gt, distance_gte;
  Selection ignore;  // events matching it are not used (no branches: nothing ignored)
};

// A correlation condition: every present bound must hold (`gt: 100, lte: 200` is a range). Counts
// are whole numbers (checked at load); value_sum/avg/percentile bounds may have fractions.
struct CountCondition {
  std::optional<double> gt, gte, lt, lte, eq;
  bool window_end() const { return lt.has_value() || lte.has_value(); }
  bool holds(double n) const {
    return (!gt || n > *gt) && (!gte || n >= *gte) && (!lt || n < *lt) && (!lte || n <= *lte) &&
           (!eq || n == *eq);
  }
};

// A rule a correlation uses: a detection, or another correlation (Sigma chaining).
struct RuleRef {
  bool correlation = false;
  std::size_t index = 0;  // into detections or correlations
};

struct CorrelationRule {
  std::size_t info = 0;
  CorrelationType type = CorrelationType::kEventCount;
  std::vector<RuleRef> rules;         // in the order written
  std::vector<std::string> group_by;  // names as written (a field or an alias)
  // group_fields[i][j]: the field of group_by[j] for events of rules[i] (aliases resolved).
  std::vector<std::vector<model::FieldId>> group_fields;
  std::int64_t timespan_us = 0;
  CountCondition condition;
  model::FieldId value_field = 0;  // value_count, value_sum, value_avg, value_percentile
  double percentile = 50;          // value_percentile: condition.percentile, 0-100
  GeoVelocity geo;                 // x-geo_velocity
};

// One `x-tests` case of a rule file: events on a fixed clock and what the rule should do.
struct RuleTestEvent {
  std::int64_t offset_us = 0;
  model::Event event;
};

struct RuleTestSpec {
  std::string name;
  std::string where;  // file:line:col of the test
  bool expect_match = true;
  std::optional<std::size_t> count;                  // exact number of hits, when given
  std::optional<std::vector<std::string>> accounts;  // accounts of the first hit, when given
  std::vector<RuleTestEvent> events;                 // sorted by offset (stable)
};

class CompiledRules {
 public:
  std::vector<RuleInfo> infos;               // every rule, reporting or not
  std::vector<RuleInfo> reporting;           // copies of the infos of rules that report hits
  std::vector<std::size_t> reporting_index;  // infos index -> reporting index (or npos)
  std::vector<DetectionRule> detections;
  std::vector<CorrelationRule> correlations;
  // detection index -> (correlation index, position of the rule in that correlation)
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> feeds;
  // correlation index -> the correlations that use its hits, same pairs
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> correlation_feeds;
  std::vector<std::vector<RuleTestSpec>> tests;  // per infos index: the rule's x-tests
};

}  // namespace vetter::rules
