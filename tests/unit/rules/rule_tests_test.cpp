// x-tests: parsing errors, pass/fail with readable detail, and the shipped pack's own cases.
#include <catch2/catch.hpp>

#include "rules_test_support.h"
#include "vetter/rules/codes.h"
#include "vetter/rules/rule_tests.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

TEST_CASE("x-tests pass and fail with a readable diff") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(R"(title: Sign-in
name: signin
detection:
  sel: {event.outcome: success}
  condition: sel
x-tests:
  - name: success matches
    expect: match
    event: {event.outcome: success, user.name: a}
---
title: Shared IP
correlation:
  type: value_count
  rules: [signin]
  group-by: [source.ip]
  timespan: 1d
  condition: {field: user.name, gte: 2}
level: high
x-tests:
  - name: two accounts in a day
    expect: match
    accounts: [b, a]
    events:
      - {offset: 0s, event: {event.outcome: success, user.name: a, source.ip: 192.0.2.1}}
      - {offset: 23h, event: {event.outcome: success, user.name: b, source.ip: 192.0.2.1}}
  - name: wrongly expects nothing
    expect: no-match
    events:
      - {offset: 1h, event: {event.outcome: success, user.name: b, source.ip: 192.0.2.1}}
      - {offset: 0s, event: {event.outcome: success, user.name: a, source.ip: 192.0.2.1}}
  - name: wrongly expects a hit
    expect: match
    events:
      - {offset: 0s, event: {event.outcome: success, user.name: a, source.ip: 192.0.2.1}}
      - {offset: 2d, event: {event.outcome: success, user.name: b, source.ip: 192.0.2.1}}
)",
                                   "t.yml", {}, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  const RuleTestReport report = run_rule_tests(set);
  REQUIRE(report.results.size() == 4);
  CHECK(report.rules_tested == 2);
  CHECK(report.failed() == 2);
  CHECK(report.results[0].passed);  // the base rule is tested though it does not report
  CHECK(report.results[1].passed);
  const RuleTestResult& unexpected = report.results[2];
  CHECK_FALSE(unexpected.passed);
  CHECK(unexpected.where == "t.yml:26:5");
  CHECK_THAT(unexpected.detail, Catch::Contains("expected: no-match"));
  CHECK_THAT(unexpected.detail,
             Catch::Contains("hit at +1h: accounts a, b; group source.ip=192.0.2.1"));
  CHECK_THAT(unexpected.detail, Catch::Contains("event #2 +0s event.outcome=success"));
  CHECK_THAT(report.results[3].detail, Catch::Contains("actual:   no hit from 2 event(s)"));
  CHECK_THAT(format(report.results[3]),
             Catch::StartsWith("FAIL t.yml:31:5 Shared IP: wrongly expects a hit"));
}

TEST_CASE("malformed x-tests are load errors with positions") {
  model::CollectingDiagnostics diags;
  RuleSet::load_text(R"(title: T
level: low
detection:
  sel: {event.outcome: success}
  condition: sel
x-tests:
  - name: bad
    expect: maybe
    event: {event.outcom: success, source.ip: not-an-ip}
)",
                     "x.yml", {}, diags);
  INFO(dump(diags));
  std::vector<std::string> wheres;
  for (const auto& d : diags.items()) {
    if (d.code == codes::kTests) wheres.push_back(d.where);
  }
  CHECK(wheres == std::vector<std::string>{"x.yml:8:13", "x.yml:9:13", "x.yml:9:47"});
}

TEST_CASE("the shipped dprk pack passes its own x-tests") {
  model::CollectingDiagnostics diags;
  const RuleTestReport report = run_rule_tests({std::string(VETTER_SOURCE_DIR) + "/rules/dprk"},
                                               testing::shipped_options(), diags);
  INFO(dump(diags));
  CHECK(errors(diags) == 0);
  std::string failures;
  for (const RuleTestResult& r : report.results) {
    if (!r.passed) failures += format(r) + "\n";
  }
  INFO(failures);
  CHECK(report.failed() == 0);
  CHECK(report.results.size() >= 8);
  CHECK(report.untested.empty());
}

TEST_CASE("x-tests of value_sum, value_avg and value_percentile correlations") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(R"(title: VPN session end
name: vpn_end
detection:
  sel: {event.category: vpn, event.action: session-end}
  condition: sel
---
title: More than 16 hours of VPN sessions in a day
correlation:
  type: value_sum
  rules: [vpn_end]
  group-by: [user.name]
  timespan: 1d
  condition: {field: event.duration_s, gt: 57600}
level: medium
x-tests:
  - name: two long sessions in a day
    expect: match
    accounts: [a]
    events:
      - {offset: 0h, event: {event.category: vpn, event.action: session-end, user.name: a, event.duration_s: 36000}}
      - {offset: 24h, event: {event.category: vpn, event.action: session-end, user.name: a, event.duration_s: 28800}}
  - name: benign - the same sessions a day and a second apart
    expect: no-match
    events:
      - {offset: 0s, event: {event.category: vpn, event.action: session-end, user.name: a, event.duration_s: 36000}}
      - {offset: 86401s, event: {event.category: vpn, event.action: session-end, user.name: a, event.duration_s: 28800}}
---
title: Typical session over 12 hours
correlation:
  type: value_percentile
  rules: [vpn_end]
  group-by: [user.name]
  timespan: 7d
  condition: {field: event.duration_s, percentile: 50, gte: 43200}
level: low
x-tests:
  - name: wrongly expects a hit from one short session among long ones
    expect: match
    events:
      - {offset: 0h, event: {event.category: vpn, event.action: session-end, user.name: a, event.duration_s: 3600}}
      - {offset: 1h, event: {event.category: vpn, event.action: session-end, user.name: a, event.duration_s: 3600}}
      - {offset: 2h, event: {event.category: vpn, event.action: session-end, user.name: a, event.duration_s: 50000}}
)",
                                   "metric.yml", {}, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  const RuleTestReport report = run_rule_tests(set);
  REQUIRE(report.results.size() == 3);
  CHECK(report.results[0].passed);
  CHECK(report.results[1].passed);
  CHECK_FALSE(report.results[2].passed);  // the median of 3600, 3600, 50000 is 3600
  CHECK(report.failed() == 1);
}
