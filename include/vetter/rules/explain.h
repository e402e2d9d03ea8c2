// Why a detection rule does or does not match one event: every selection, branch and field test.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vetter/model/event.h"
#include "vetter/rules/rule_set.h"

namespace vetter::rules {

struct TestExplanation {
  std::string text;    // "source.lists contains 'kp_ranges'"
  std::string actual;  // the event's value as text, "<absent>" when the field is not set
  bool matched = false;
};

struct SelectionExplanation {
  std::string name;
  bool matched = false;
  // One entry per branch (Sigma: a list of maps is OR, each map's items AND).
  std::vector<std::vector<TestExplanation>> branches;
};

struct DetectionExplanation {
  std::string title;
  std::string id;
  std::vector<SelectionExplanation> selections;
  std::vector<std::string> filters_matched;  // Sigma filters / tuning filters that exclude it
  bool condition = false;                    // the condition over the selections
  bool category_ok = true;                   // logsource.category fits the event
  std::string category;                      // the rule's logsource.category ("" = any)
  bool matched = false;                      // what the engine would decide
};

// Explains detection rule `rule` (its id, name or title) against `event`. nullopt when no
// detection rule has that id, name or title (correlations are explained through their hits).
std::optional<DetectionExplanation> explain_detection(const RuleSet& rules, std::string_view rule,
                                                      const model::Event& event);

// Human-readable rendering, one fact per line.
std::string format(const DetectionExplanation& explanation);

}  // namespace vetter::rules
