// Sigma filter documents and local x-tuning files: disable, level/points, extra filters.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "rules_test_support.h"
#include "vetter/rules/codes.h"
#include "vetter/rules/explain.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

namespace {

const char* const kPack = R"(title: VPN from an anonymizer
name: anon_vpn
id: 00000000-0000-4000-8000-000000000001
level: high
detection:
  sel: {source.anonymous.vpn: true}
  condition: sel
---
title: Success
name: success
detection:
  sel: {event.outcome: success}
  condition: sel
---
title: Shared IP
name: shared_ip
correlation:
  type: value_count
  rules: [success]
  group-by: [source.ip]
  timespan: 1d
  condition: {field: user.name, gte: 2}
level: high
)";

model::Event anon(const char* user, const char* ip) {
  return make_event({{"user.name", user}, {"source.anonymous.vpn", "true"}, {"source.ip", ip}});
}

}  // namespace

TEST_CASE("a Sigma filter document is ANDed onto its rules, as pySigma applies it") {
  // pySigma (sigma/filters.py, SigmaFilter.apply_on_rule): `(rule) and (filter condition)`.
  // The standard form `condition: not pilot` excludes the pilot group.
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(std::string(kPack) + R"(---
title: Privacy VPN pilot group
logsource: {product: vetter}
filter:
  rules:
    - 00000000-0000-4000-8000-000000000001
  pilot:
    user.name|startswith: pilot-
  condition: not pilot
)",
                                   "f.yml", {}, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  CHECK(diags.items().empty());  // `not`: no W-RULE-FILTER-NO-NOT
  CHECK(run(set, {anon("pilot-ann", "192.0.2.1")}).empty());
  CHECK(run(set, {anon("bob", "192.0.2.1")}).size() == 1);
  // The filter narrows its rule only: the look-alike non-anonymous sign-in still does not match.
  CHECK(run(set, {make_event({{"user.name", "bob"}, {"source.ip", "192.0.2.1"}})}).empty());

  // explain says which filter excluded the event.
  const auto why = explain_detection(set, "anon_vpn", anon("pilot-ann", "192.0.2.1"));
  REQUIRE(why);
  CHECK_FALSE(why->matched);
  CHECK(why->condition);
  REQUIRE(why->filters_matched.size() == 1);
  CHECK(why->filters_matched[0] == "Sigma filter pilot");
  const auto kept = explain_detection(set, "anon_vpn", anon("bob", "192.0.2.1"));
  REQUIRE(kept);
  CHECK(kept->matched);
  CHECK(kept->filters_matched.empty());
}

TEST_CASE("a Sigma filter without 'not' keeps only what it names, and lint warns") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(std::string(kPack) + R"(---
title: Positive filter, almost always a mistake
filter:
  rules: [anon_vpn, success]
  pilot:
    user.name|startswith: pilot-
  condition: pilot
)",
                                   "f.yml", {}, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  // One warning per filter document (not per rule it names), at its condition's value.
  std::size_t warnings = 0;
  for (const auto& d : diags.items()) {
    if (d.code != codes::kFilterNoNot) continue;
    ++warnings;
    CHECK(d.severity == model::Severity::kWarning);
    CHECK(d.where == "f.yml:30:14");
    CHECK_THAT(d.message, Catch::Contains("Positive filter") &&
                              Catch::Contains(std::string(messages::kFilterNoNot)));
  }
  CHECK(warnings == 1);
  // pySigma's meaning, warning or not: the rule now fires only for the named events.
  CHECK(run(set, {anon("pilot-ann", "192.0.2.1")}).size() == 1);
  CHECK(run(set, {anon("bob", "192.0.2.1")}).empty());
}

TEST_CASE("'not' anywhere in a Sigma filter's condition silences the warning") {
  for (const char* condition : {"NOT pilot", "sel and not pilot", "not (pilot or sel)"}) {
    model::CollectingDiagnostics diags;
    RuleSet::load_text(std::string(kPack) + R"(---
title: F
filter:
  rules: [anon_vpn]
  pilot: {user.name|startswith: pilot-}
  sel: {source.ip|cidr: 192.0.2.0/24}
  condition: )" + condition +
                           "\n",
                       "f.yml", {}, diags);
    INFO(condition << "\n" << dump(diags));
    CHECK(errors(diags) == 0);
    for (const auto& d : diags.items())
      CHECK(d.code != codes::kFilterNoNot);
  }
  // A selection whose name merely contains "not" is no negation.
  model::CollectingDiagnostics diags;
  RuleSet::load_text(std::string(kPack) + R"(---
title: F
filter:
  rules: [anon_vpn]
  not_pilot: {user.name|startswith: pilot-}
  condition: not_pilot
)",
                     "f.yml", {}, diags);
  INFO(dump(diags));
  CHECK(find(diags, codes::kFilterNoNot).severity == model::Severity::kWarning);
}

TEST_CASE("a Sigma filter's mistakes are found even when its rules are not loaded") {
  model::CollectingDiagnostics diags;
  RuleSet::load_text(R"(title: F
filter:
  rules: [elsewhere]
  pilot: {no.such.field: x}
  condition: not pilot
)",
                     "f.yml", {}, diags);
  INFO(dump(diags));
  CHECK(find(diags, codes::kField).where == "f.yml:4:11");
  CHECK(find(diags, codes::kUnmatchedTarget).severity == model::Severity::kWarning);
}

TEST_CASE("filter mistakes") {
  model::CollectingDiagnostics diags;
  RuleSet::load_text(std::string(kPack) + R"(---
title: On a correlation
filter:
  rules: [shared_ip, no_such_rule]
  s: {user.name: x}
  condition: not s
---
title: No rules
filter:
  s: {user.name: x}
  condition: not s
)",
                     "f.yml", {}, diags);
  INFO(dump(diags));
  CHECK(find(diags, codes::kUnmatchedTarget).severity == model::Severity::kWarning);
  std::vector<std::string> filter_errors;
  for (const auto& d : diags.items()) {
    if (d.code == codes::kFilter) filter_errors.push_back(d.where + " " + d.message);
  }
  REQUIRE(filter_errors.size() == 2);
  CHECK_THAT(filter_errors[0], Catch::StartsWith("f.yml:33:3 ") &&
                                   Catch::Contains(std::string(messages::kFilterShape)));
  CHECK_THAT(filter_errors[1], Catch::StartsWith("f.yml:27:3 ") &&
                                   Catch::Contains(std::string(messages::kFilterOnCorrelation)));
}

TEST_CASE("x-tuning disables, re-levels, re-points and filters rules") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "vetter_tuning_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "pack.yml") << kPack;
  const fs::path local = dir / "local.yml";
  std::ofstream(local) << R"(title: ACME tuning
x-tuning:
  - rule: anon_vpn
    reason: SEC-1 privacy VPN pilot
    level: medium
    filter:
      office:
        source.ip|cidr: 198.51.100.0/24
      condition: office
  - rule: shared_ip
    points: 7
  - rule: renamed_upstream_rule
    disabled: true
)";
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load({(dir / "pack.yml").string(), local.string()}, {}, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  CHECK(find(diags, codes::kUnmatchedTarget).where == local.string() + ":12:11");
  REQUIRE(set.size() == 2);
  CHECK(set.rules()[0].level == "medium");
  CHECK(set.rules()[0].points == 35);
  CHECK(set.rules()[1].points == 7);
  CHECK(run(set, {anon("bob", "198.51.100.20")}).empty());
  CHECK(run(set, {anon("bob", "203.0.113.20")}).size() == 1);

  std::ofstream(local) << "x-tuning:\n  - rule: success\n    disabled: true\n";
  model::CollectingDiagnostics d2;
  RuleSet off = RuleSet::load({(dir / "pack.yml").string(), local.string()}, {}, d2);
  INFO(dump(d2));
  CHECK(errors(d2) == 0);
  CHECK(find(d2, codes::kDisabledInfo).severity == model::Severity::kInfo);
  CHECK(find(d2, codes::kDisabled).severity == model::Severity::kWarning);  // shared_ip is off
  REQUIRE(off.size() == 1);
  CHECK(off.rules()[0].title == "VPN from an anonymizer");
  fs::remove_all(dir);
}

TEST_CASE("x-tuning mistakes are errors with positions") {
  model::CollectingDiagnostics diags;
  RuleSet::load_text(std::string(kPack) + R"(---
x-tuning:
  - rule: anon_vpn
    level: urgent
    points: 500
    mute: true
)",
                     "t.yml", {}, diags);
  INFO(dump(diags));
  CHECK(find(diags, codes::kLevel).where == "t.yml:27:12");
  CHECK(find(diags, codes::kTuning).where == "t.yml:29:5");
}
