// The x-tests runner: fresh engine per case, every rule reporting, readable expected/actual text.
#include "vetter/rules/rule_tests.h"

#include <algorithm>

#include "compiled.h"
#include "test_spec.h"
#include "vetter/rules/engine.h"

namespace vetter::rules {
namespace {

std::string offset_text(std::int64_t time_us) {
  const std::int64_t us = time_us - test_epoch_us();
  if (us == 0) return "+0s";
  struct Unit {
    std::int64_t size;
    const char* name;
  };
  static constexpr Unit kUnits[] = {
      {86'400'000'000LL, "d"}, {3'600'000'000LL, "h"}, {60'000'000LL, "m"}, {1'000'000LL, "s"}};
  for (const Unit& u : kUnits) {
    if (us % u.size == 0) return "+" + std::to_string(us / u.size) + u.name;
  }
  return "+" + std::to_string(us) + "us";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(none)" : out;
}

std::string describe(const Hit& h) {
  std::string out = "hit at " + offset_text(h.last_us) + ": accounts " + join(h.accounts);
  if (!h.group_key.empty()) out += "; group " + h.group_key;
  for (const Evidence& e : h.evidence) {
    out += "\n    event #" + std::to_string(e.origin.line) + " " + offset_text(e.time_us) + " " +
           e.summary;
  }
  return out;
}

// A copy of the compiled rules in which every rule reports, so base rules can be tested.
std::shared_ptr<CompiledRules> all_reporting(const CompiledRules& source) {
  auto copy = std::make_shared<CompiledRules>(source);
  for (DetectionRule& d : copy->detections)
    d.generate = true;
  for (RuleInfo& info : copy->infos)
    info.generate = true;
  copy->reporting = copy->infos;
  copy->reporting_index.resize(copy->infos.size());
  for (std::size_t i = 0; i < copy->infos.size(); ++i)
    copy->reporting_index[i] = i;
  return copy;
}

RuleTestResult run_case(const RuleSet& set, const CompiledRules& compiled, std::size_t rule,
                        const RuleTestSpec& spec) {
  RuleTestResult r;
  r.rule_title = compiled.infos[rule].title;
  r.rule_id = compiled.infos[rule].id;
  r.test_name = spec.name;
  r.where = spec.where;

  Engine engine(set);
  std::vector<Hit> all;
  for (const RuleTestEvent& e : spec.events)
    engine.process(e.event, all);
  engine.finish(all);
  std::vector<const Hit*> hits;
  for (const Hit& h : all) {
    if (h.rule == &compiled.reporting[rule]) hits.push_back(&h);
  }

  std::vector<std::string> problems;
  if (spec.expect_match && hits.empty()) {
    problems.push_back("expected: match\n  actual:   no hit from " +
                       std::to_string(spec.events.size()) + " event(s)");
  }
  if (!spec.expect_match && !hits.empty()) {
    std::string text = "expected: no-match\n  actual:   " + std::to_string(hits.size()) + " hit(s)";
    for (const Hit* h : hits)
      text += "\n  " + describe(*h);
    problems.push_back(text);
  }
  if (spec.count && hits.size() != *spec.count) {
    problems.push_back("expected: " + std::to_string(*spec.count) +
                       " hit(s)\n  actual:   " + std::to_string(hits.size()) + " hit(s)");
  }
  if (spec.accounts && !hits.empty()) {
    std::vector<std::string> want = *spec.accounts;
    std::vector<std::string> got = hits.front()->accounts;
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    if (want != got) {
      problems.push_back("expected: accounts " + join(want) + "\n  actual:   accounts " +
                         join(got) + "\n  " + describe(*hits.front()));
    }
  }
  r.passed = problems.empty();
  for (const std::string& p : problems)
    r.detail += (r.detail.empty() ? "" : "\n") + p;
  return r;
}

}  // namespace

std::size_t RuleTestReport::failed() const {
  return static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                [](const RuleTestResult& r) { return !r.passed; }));
}

RuleTestReport run_rule_tests(const RuleSet& rules) {
  RuleTestReport report;
  if (!rules.compiled()) return report;
  std::shared_ptr<CompiledRules> compiled = all_reporting(*rules.compiled());
  const RuleSet set(compiled);
  for (std::size_t i = 0; i < compiled->infos.size(); ++i) {
    const std::vector<RuleTestSpec>& specs = compiled->tests[i];
    if (specs.empty()) {
      if (rules.compiled()->infos[i].generate) report.untested.push_back(compiled->infos[i].title);
      continue;
    }
    ++report.rules_tested;
    for (const RuleTestSpec& spec : specs) {
      report.results.push_back(run_case(set, *compiled, i, spec));
    }
  }
  return report;
}

RuleTestReport run_rule_tests(const std::vector<std::string>& paths, const LoadOptions& options,
                              model::Diagnostics& diags) {
  return run_rule_tests(RuleSet::load(paths, options, diags));
}

std::string format(const RuleTestResult& r) {
  std::string out = std::string(r.passed ? "PASS " : "FAIL ") + r.where + " " + r.rule_title +
                    ": " + (r.test_name.empty() ? "(unnamed)" : r.test_name);
  if (!r.passed) out += "\n  " + r.detail;
  return out;
}

}  // namespace vetter::rules
