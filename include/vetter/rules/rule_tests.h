// `x-tests` in rule files: replays each case's events on a fixed clock and checks the rule's hits.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "vetter/model/diagnostics.h"
#include "vetter/rules/rule_set.h"

namespace vetter::rules {

struct RuleTestResult {
  std::string rule_title;
  std::string rule_id;
  std::string test_name;
  std::string where;  // file:line:col of the test case
  bool passed = false;
  std::string detail;  // on failure: what was expected and what happened, one fact per line
};

struct RuleTestReport {
  std::vector<RuleTestResult> results;
  std::size_t rules_tested = 0;       // rules with at least one case
  std::vector<std::string> untested;  // titles of reporting rules without x-tests
  std::size_t failed() const;
  bool ok() const { return failed() == 0; }
};

// Runs every case of every rule in `rules`. Each case gets a fresh engine over the whole set (so
// a correlation's base rules take part); base rules with `generate: false` are tested on their
// own hits too. Offset 0 is 2026-01-05T00:00:00Z. Malformed x-tests are load errors
// (E-RULE-TESTS), reported by RuleSet::load.
RuleTestReport run_rule_tests(const RuleSet& rules);

// Loads `paths` (errors go to `diags`) and runs their tests.
RuleTestReport run_rule_tests(const std::vector<std::string>& paths, const LoadOptions& options,
                              model::Diagnostics& diags);

// "PASS where title: name" or "FAIL ..." followed by the detail lines, indented.
std::string format(const RuleTestResult& result);

}  // namespace vetter::rules
