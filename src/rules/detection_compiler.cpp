// Compiling a `detection` (or filter) section: selections to field tests, the condition to a tree.
#include "detection_compiler.h"

#include <algorithm>

#include "vetter/rules/codes.h"

namespace vetter::rules {
namespace {

// Rough relative cost of a field test, for ordering the items of a branch.
int cost(const FieldTest& test) {
  int worst = 0;
  for (const ValueMatcher& m : test.values) {
    switch (m.kind) {
      case MatchKind::kNull:
      case MatchKind::kExists:
        break;
      case MatchKind::kEquals:
      case MatchKind::kStartsWith:
      case MatchKind::kEndsWith:
        worst = std::max(worst, 1);
        break;
      case MatchKind::kNumEquals:
      case MatchKind::kLt:
      case MatchKind::kLte:
      case MatchKind::kGt:
      case MatchKind::kGte:
      case MatchKind::kFieldRef:
      case MatchKind::kContains:
        worst = std::max(worst, 2);
        break;
      case MatchKind::kGlob:
        worst = std::max(worst, 3);
        break;
      case MatchKind::kCidr:
        worst = std::max(worst, 4);
        break;
      case MatchKind::kRegex:
        worst = std::max(worst, 5);
        break;
    }
  }
  return worst * 64 + static_cast<int>(std::min<std::size_t>(test.values.size(), 63));
}

}  // namespace

std::optional<DetectionBody> compile_detection_body(const YAML::Node& detection,
                                                    std::string_view section,
                                                    const std::set<std::string>& skip,
                                                    const LoadOptions& options,
                                                    CompileContext& ctx) {
  if (!detection.IsMap()) {
    ctx.error(codes::kShape, detection,
              "'" + std::string(section) + "' " + std::string(messages::kDetectionShape));
    return std::nullopt;
  }
  DetectionBody rule;
  YAML::Node condition_node;
  std::vector<YAML::Node> selection_keys;
  for (const auto& item : detection) {
    const YAML::Node& key = item.first;
    const YAML::Node& value = item.second;
    const std::string name = key.IsScalar() ? key.Scalar() : std::string();
    if (skip.count(name)) continue;
    if (name == "condition") {
      condition_node.reset(value);
      continue;
    }
    if (name == "timeframe") {
      ctx.error(codes::kUnsupported, key, std::string(messages::kTimeframe));
      continue;
    }
    Selection selection;
    selection.name = name;
    selection_keys.push_back(key);
    std::vector<YAML::Node> maps;
    if (value.IsMap()) {
      maps.push_back(value);
    } else if (value.IsSequence()) {
      for (const YAML::Node& element : value) {
        if (element.IsMap()) {
          maps.push_back(element);
        } else {
          ctx.error(codes::kSelection, element,
                    "selection '" + name + "': " + std::string(messages::kKeywordSelection));
        }
      }
    } else {
      ctx.error(codes::kSelection, value,
                "selection '" + name + "': " + std::string(messages::kBadSelection));
    }
    for (const YAML::Node& map : maps) {
      std::vector<FieldTest> branch;
      for (const auto& field_item : map) {
        if (!field_item.first.IsScalar()) {
          ctx.error(codes::kSelection, field_item.first, std::string(messages::kFieldNameText));
          continue;
        }
        if (auto test = compile_field_test(field_item.first, field_item.second,
                                           options.placeholders, ctx)) {
          branch.push_back(std::move(*test));
        }
      }
      if (map.size() == 0) {
        ctx.error(codes::kSelection, map,
                  "selection '" + name + "' " + std::string(messages::kEmptySelection));
      }
      // A branch is an AND without side effects: test the cheap items first.
      std::stable_sort(branch.begin(), branch.end(),
                       [](const FieldTest& a, const FieldTest& b) { return cost(a) < cost(b); });
      selection.branches.push_back(std::move(branch));
    }
    rule.selections.push_back(std::move(selection));
  }

  // The condition: one string (a list of strings is Sigma 1's "any of these").
  std::string text;
  if (!condition_node) {
    ctx.error(codes::kMissing, detection,
              "'" + std::string(section) + "' " + std::string(messages::kMissingCondition));
    return std::nullopt;
  }
  if (condition_node.IsScalar()) {
    text = condition_node.Scalar();
  } else if (condition_node.IsSequence() && condition_node.size() == 1 &&
             condition_node[0].IsScalar()) {
    const YAML::Node first = condition_node[0];
    condition_node.reset(first);
    text = condition_node.Scalar();
  } else {
    ctx.error(codes::kCondition, condition_node, std::string(messages::kConditionNotText));
    return std::nullopt;
  }
  std::vector<std::string> names;
  for (const Selection& sel : rule.selections)
    names.push_back(sel.name);
  ConditionError error;
  std::optional<Condition> condition = parse_condition(text, names, error);
  if (!condition) {
    YAML::Mark mark = condition_node.Mark();
    // Point at the character inside the condition; a quoted scalar starts one column later.
    mark.column += static_cast<int>(error.offset) + (condition_node.Tag() == "!" ? 1 : 0);
    ctx.error(codes::kCondition, where(ctx.file, mark),
              error.message + " (in condition \"" + text + "\" at column " +
                  std::to_string(error.offset + 1) + ")");
    return std::nullopt;
  }
  rule.condition = std::move(*condition);
  for (std::size_t i = 0; i < rule.selections.size(); ++i) {
    if (!rule.condition.used[i]) {
      ctx.warning(codes::kUnusedSelection, selection_keys[i],
                  std::string(messages::kUnusedSelection) + ": '" + rule.selections[i].name + "'");
      continue;
    }
    for (const auto& branch : rule.selections[i].branches) {
      for (const FieldTest& test : branch) {
        if (std::find(rule.summary_fields.begin(), rule.summary_fields.end(), test.field) ==
            rule.summary_fields.end()) {
          rule.summary_fields.push_back(test.field);
        }
      }
    }
  }
  return rule;
}

}  // namespace vetter::rules
