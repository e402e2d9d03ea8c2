// Reading x-tuning items; the loader applies them between collecting and compiling.
#include "tuning.h"

#include <cstdlib>
#include <set>

#include "vetter/rules/codes.h"

namespace vetter::rules {
namespace {

const std::set<std::string> kItemKeys = {"rule", "reason", "level", "points", "disabled", "filter"};
const std::set<std::string> kLevels = {"informational", "low", "medium", "high", "critical"};

}  // namespace

std::vector<TuningItem> read_tuning(const YAML::Node& items, CompileContext& ctx) {
  std::vector<TuningItem> out;
  if (!items.IsSequence()) {
    ctx.error(codes::kTuning, items,
              std::string(messages::kBadTuning) + ": 'x-tuning' must be a list");
    return out;
  }
  for (const YAML::Node& item : items) {
    if (!item.IsMap()) {
      ctx.error(codes::kTuning, item,
                std::string(messages::kBadTuning) + ": each item must be a map");
      continue;
    }
    TuningItem t;
    bool ok = true;
    for (const auto& kv : item) {
      const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
      if (!kItemKeys.count(k)) {
        ctx.error(codes::kTuning, kv.first,
                  std::string(messages::kBadTuning) + ": unknown key '" + k +
                      "' (rule, reason, level, points, disabled, filter)");
        ok = false;
      }
    }
    const YAML::Node rule = item["rule"];
    if (!rule || !rule.IsScalar() || rule.Scalar().empty()) {
      ctx.error(codes::kTuning, rule ? rule : item,
                std::string(messages::kBadTuning) + ": 'rule' must name a rule (its name or id)");
      continue;
    }
    t.rule = rule.Scalar();
    t.at.reset(rule);
    if (const YAML::Node n = item["disabled"]) {
      const std::string v = n.IsScalar() ? n.Scalar() : std::string();
      if (v != "true" && v != "false") {
        ctx.error(codes::kTuning, n,
                  std::string(messages::kBadTuning) + ": 'disabled' is true or false");
        ok = false;
      }
      t.disabled = v == "true";
    }
    if (const YAML::Node n = item["level"]) {
      const std::string v = n.IsScalar() ? n.Scalar() : std::string();
      if (!kLevels.count(v)) {
        ctx.error(codes::kLevel, n, std::string(messages::kBadLevel) + " (got '" + v + "')");
        ok = false;
      }
      t.level = v;
    }
    if (const YAML::Node n = item["points"]) {
      const std::string v = n.IsScalar() ? n.Scalar() : std::string();
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      if (v.empty() || end != v.c_str() + v.size() || d < 0 || d > 100) {
        ctx.error(codes::kTuning, n, std::string(messages::kBadTuning) + ": 'points' is 0-100");
        ok = false;
      }
      t.points = d;
    }
    if (const YAML::Node n = item["filter"]) {
      t.has_filter = true;
      t.filter.reset(n);
    }
    if (ok) out.push_back(std::move(t));
  }
  return out;
}

}  // namespace vetter::rules
