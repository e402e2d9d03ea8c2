// Rule loading (stub: implemented by the rule-engine work).
#include "vetter/rules/rule_set.h"

namespace vetter::rules {

class CompiledRules {
 public:
  std::vector<RuleInfo> infos;
};

double default_points(const std::string& level) {
  if (level == "informational") return 5;
  if (level == "low") return 15;
  if (level == "medium") return 35;
  if (level == "high") return 60;
  if (level == "critical") return 90;
  return 0;
}

RuleSet RuleSet::load(const std::vector<std::string>&, const LoadOptions&, model::Diagnostics&) {
  RuleSet set;
  set.compiled_ = std::make_shared<CompiledRules>();
  return set;
}

const std::vector<RuleInfo>& RuleSet::rules() const { return compiled_->infos; }

}  // namespace vetter::rules
