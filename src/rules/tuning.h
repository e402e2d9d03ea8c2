// Local tuning documents (`x-tuning`): disable a rule, change its level or points, add a filter.
//
// A tuning document lives in its own file, passed with the rule packs, so that tuning survives
// pack updates:
//
//   title: ACME tuning            # optional
//   x-tuning:
//     - rule: signin_kp_or_anonymizer   # the rule's name or id
//       reason: SEC-123 privacy VPN pilot  # free text, for reviewers
//       level: medium               # new level; points follow it unless `points` is given
//       points: 20                  # new points (0-100)
//       disabled: true              # the rule reports nothing and feeds no correlation
//       filter:                     # selections and a condition, as in Sigma; the rule no
//         office:                   # longer matches events for which this condition holds
//                                   # (the opposite sense of a Sigma filter document, which is
//                                   # ANDed onto its rules: `condition: not office` there)
//           source.ip|cidr: 198.51.100.0/24
//         condition: office
//
// A tuning item naming a rule that is not loaded is a warning, not an error (packs change).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "compile_context.h"

namespace vetter::rules {

struct TuningItem {
  std::string rule;
  YAML::Node at;  // the `rule` value, for messages
  bool disabled = false;
  std::optional<std::string> level;
  std::optional<double> points;
  bool has_filter = false;
  YAML::Node filter;  // when has_filter
};

// Parses `x-tuning`; problems go to ctx (E-RULE-TUNING). Items with problems are left out.
std::vector<TuningItem> read_tuning(const YAML::Node& items, CompileContext& ctx);

}  // namespace vetter::rules
