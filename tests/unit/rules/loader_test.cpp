// Rule loader: metadata, error codes with file:line:col, all errors at once, caps, directories.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "rules_test_support.h"
#include "vetter/rules/codes.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

TEST_CASE("a valid rule fills RuleInfo") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(R"(title: Sign-in from North Korea
id: 11111111-2222-3333-4444-555555555555
name: kp_signin
status: test
description: A sign-in geolocated to KP.
references:
  - https://example.org/advisory
tags: [attack.initial-access, dprk]
falsepositives:
  - GeoIP errors
level: high
logsource: {product: iam, category: authentication}
detection:
  sel:
    source.geo.country_iso_code: KP
  condition: sel
---
title: Scored rule
level: low
x-score: {points: 42, decay_half_life: 14d}
x-notes: anything under x- is allowed
detection:
  sel: {user.name: a}
  condition: sel
)",
                                   "pack.yml", {}, diags);
  INFO(dump(diags));
  REQUIRE(diags.items().empty());
  REQUIRE(set.size() == 2);
  const RuleInfo& r = set.rules()[0];
  CHECK(r.title == "Sign-in from North Korea");
  CHECK(r.id == "11111111-2222-3333-4444-555555555555");
  CHECK(r.name == "kp_signin");
  CHECK(r.status == "test");
  CHECK(r.level == "high");
  CHECK(r.points == 60);
  CHECK(r.references == std::vector<std::string>{"https://example.org/advisory"});
  CHECK(r.tags.size() == 2);
  CHECK(r.falsepositives == std::vector<std::string>{"GeoIP errors"});
  CHECK(r.file == "pack.yml:1");
  CHECK(r.logsource_category == "authentication");
  CHECK(r.logsource_product == "iam");
  CHECK_FALSE(r.correlation);
  const RuleInfo& s = set.rules()[1];
  CHECK(s.points == 42);
  CHECK(s.decay_half_life_us == 14 * kDay);
  CHECK(s.file == "pack.yml:18");
}

TEST_CASE("default points follow the level") {
  CHECK(default_points("informational") == 5);
  CHECK(default_points("low") == 15);
  CHECK(default_points("medium") == 35);
  CHECK(default_points("high") == 60);
  CHECK(default_points("critical") == 90);
}

TEST_CASE("YAML syntax errors carry line and column") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text("title: x\ndetection:\n  sel: [a, b\n", "bad.yml", {}, diags);
  CHECK(set.size() == 0);
  const model::Diagnostic d = find(diags, codes::kYaml);
  REQUIRE(d.code == codes::kYaml);
  CHECK_THAT(d.where, Catch::StartsWith("bad.yml:"));
  CHECK_THAT(d.message, Catch::StartsWith(std::string(messages::kYamlSyntax)));
}

TEST_CASE("a file with several mistakes reports all of them with line:col") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(R"(title: Many mistakes
level: severe
colour: red
detection:
  sel:
    source.ipp: 1.2.3.4
    user.name|startwith: bob
    host.name|base64: abc
  other:
    source.ip|cidr: 300.1.2.3/8
  condition: sel and (other or missing)
---
title: Good base
name: good_base
detection:
  sel: {event.outcome: success}
  condition: sel
---
title: Broken correlation
correlation:
  type: value_count
  rules: [good_base, no_such_rule]
  group-by: [source.ip]
  timespan: 7days
  condition: {field: user.nam, gte: 3}
level: high
)",
                                   "mistakes.yml", {}, diags);
  INFO(dump(diags));
  auto at = [&](std::string_view code) { return find(diags, code).where; };
  CHECK(at(codes::kLevel) == "mistakes.yml:2:8");
  CHECK(at(codes::kKey) == "mistakes.yml:3:1");
  CHECK(at(codes::kField) == "mistakes.yml:6:5");
  CHECK_THAT(find(diags, codes::kField).message, Catch::Contains("did you mean 'source.ip'?"));
  CHECK_THAT(find(diags, codes::kField).message, Catch::Contains("rule 'Many mistakes'"));
  CHECK(at(codes::kModifier) == "mistakes.yml:7:5");
  CHECK_THAT(find(diags, codes::kModifier).message,
             Catch::Contains(std::string(messages::kUnknownModifier) + " 'startwith'"));
  CHECK(at(codes::kValue) == "mistakes.yml:10:21");
  CHECK(at(codes::kCondition) == "mistakes.yml:11:32");
  CHECK_THAT(find(diags, codes::kCondition).message,
             Catch::Contains(std::string(messages::kConditionUnknown)));
  CHECK(at(codes::kRef) == "mistakes.yml:22:22");
  CHECK_THAT(find(diags, codes::kRef).message, Catch::Contains("'no_such_rule'"));
  CHECK_THAT(find(diags, codes::kRef).message, Catch::Contains("rule 'Broken correlation'"));
  CHECK(at(codes::kCorrelation) == "mistakes.yml:24:13");
  // base64 is a real Sigma modifier that vetter refuses by name.
  std::size_t modifier_errors = 0, field_errors = 0;
  for (const auto& d : diags.items()) {
    modifier_errors += d.code == codes::kModifier;
    field_errors += d.code == codes::kField;
  }
  CHECK(modifier_errors == 2);
  CHECK(field_errors == 2);  // source.ipp and user.nam
  // Only the good base rule survives; it is referenced by a correlation that failed, so it
  // reports on its own.
  REQUIRE(set.size() == 1);
  CHECK(set.rules()[0].title == "Good base");
}

TEST_CASE("condition errors point into the condition") {
  model::CollectingDiagnostics diags;
  RuleSet::load_text(
      "title: T\nlevel: low\ndetection:\n  sel: {user.name: a}\n"
      "  condition: 'sel and and sel'\n",
      "c.yml", {}, diags);
  const model::Diagnostic d = find(diags, codes::kCondition);
  CHECK(d.where == "c.yml:5:23");
  CHECK_THAT(d.message, Catch::Contains("column 9"));
  CHECK_THAT(d.message, Catch::Contains(std::string(messages::kConditionSyntax)));

  model::CollectingDiagnostics d2;
  RuleSet::load_text(
      "title: T\nlevel: low\ndetection:\n  sel: {user.name: a}\n"
      "  condition: 1 of nope*\n",
      "c.yml", {}, d2);
  CHECK_THAT(find(d2, codes::kCondition).message,
             Catch::Contains(std::string(messages::kConditionNoMatch)));

  model::CollectingDiagnostics d3;
  RuleSet::load_text(
      "title: T\nlevel: low\ndetection:\n  sel: {user.name: a}\n"
      "  condition: (sel\n",
      "c.yml", {}, d3);
  CHECK(find(d3, codes::kCondition).code == codes::kCondition);
}

TEST_CASE("condition nesting is capped") {
  const auto load = [](const std::string& condition) {
    model::CollectingDiagnostics diags;
    RuleSet::load_text(
        "title: Deep\nlevel: low\ndetection:\n  sel: {user.name: a}\n  condition: '" + condition +
            "'\n",
        "deep.yml", {}, diags);
    return find(diags, codes::kCondition);
  };
  const model::Diagnostic d = load(std::string(100'000, '('));
  CHECK(d.code == codes::kCondition);
  CHECK_THAT(d.message, Catch::Contains(std::string(messages::kConditionDepth)));
  std::string nots;
  for (int i = 0; i < 100'000; ++i)
    nots += "not ";
  CHECK_THAT(load(nots + "sel").message, Catch::Contains(std::string(messages::kConditionDepth)));
  // 64 levels are fine.
  CHECK(load(std::string(64, '(') + "sel" + std::string(64, ')')).code.empty());
}

TEST_CASE("unused selections warn but load") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(
      "title: T\nlevel: low\ndetection:\n  sel: {user.name: a}\n  spare: {user.name: b}\n"
      "  condition: sel\n",
      "w.yml", {}, diags);
  CHECK(set.size() == 1);
  CHECK(errors(diags) == 0);
  const model::Diagnostic d = find(diags, codes::kUnusedSelection);
  CHECK(d.severity == model::Severity::kWarning);
  CHECK(d.where == "w.yml:5:3");
}

TEST_CASE("missing pieces and duplicates") {
  model::CollectingDiagnostics diags;
  RuleSet::load_text(
      "level: low\ndetection:\n  sel: {user.name: a}\n---\n"
      "title: No body\n---\n"
      "title: A\nid: same\ndetection:\n  sel: {user.name: a}\n  condition: sel\n---\n"
      "title: B\nid: same\ndetection:\n  sel: {user.name: a}\n  condition: sel\n---\n"
      "title: K\ndetection:\n  sel:\n    - alpha\n  condition: sel\n",
      "m.yml", {}, diags);
  INFO(dump(diags));
  CHECK(find(diags, codes::kMissing).code == codes::kMissing);
  CHECK(find(diags, codes::kDuplicate).where == "m.yml:14:5");
  CHECK(find(diags, codes::kSelection).where == "m.yml:22:7");
}

TEST_CASE("a directory loads its rule files in name order") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "vetter_rules_dir_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "b.yml")
      << "title: B\nlevel: low\ndetection:\n  s: {user.name: b}\n  condition: s\n";
  std::ofstream(dir / "a.yaml")
      << "title: A\nlevel: low\ndetection:\n  s: {user.name: a}\n  condition: s\n";
  std::ofstream(dir / "notes.txt") << "not a rule";
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load({dir.string()}, {}, diags);
  REQUIRE(set.size() == 2);
  CHECK(set.rules()[0].title == "A");
  CHECK(set.rules()[1].title == "B");

  model::CollectingDiagnostics missing;
  RuleSet::load({(dir / "nope.yml").string()}, {}, missing);
  CHECK(find(missing, codes::kIo).code == codes::kIo);
  fs::remove_all(dir);
}

TEST_CASE("the shipped dprk pack loads cleanly") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load({std::string(VETTER_SOURCE_DIR) + "/rules/dprk"},
                              testing::shipped_options(), diags);
  INFO(dump(diags));
  CHECK(errors(diags) == 0);
  CHECK(set.size() >= 2);
}

TEST_CASE("duplicate keys are errors; the document is left out") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(R"(title: Dup
level: low
detection:
  sel:
    user.name: a
    user.name: b
  condition: sel
---
title: Fine
level: low
detection:
  sel: {user.name: a}
  condition: sel
)",
                                   "d.yml", {}, diags);
  const model::Diagnostic d = find(diags, codes::kYaml);
  CHECK(d.where == "d.yml:6:5");
  CHECK_THAT(d.message, Catch::Contains(std::string(messages::kDuplicateKey) +
                                        " 'user.name' (first at d.yml:5:5)"));
  REQUIRE(set.size() == 1);
  CHECK(set.rules()[0].title == "Fine");
}

TEST_CASE("deeply nested YAML is a YAML error, not a crash") {
  model::CollectingDiagnostics diags;
  RuleSet set =
      RuleSet::load_text("title: " + std::string(100'000, '[') + "\n", "n.yml", {}, diags);
  CHECK(set.size() == 0);
  CHECK(find(diags, codes::kYaml).code == codes::kYaml);
}

TEST_CASE("lint warnings: all with one value, unknown status; refused Sigma features") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(R"(title: Lint
status: beta
level: low
detection:
  sel:
    app.name|contains|all: desk
  condition: sel
---
title: Windows only
level: low
detection:
  sel:
    app.name|windash: '-enc'
  kw:
    - mimikatz
  condition: sel or kw
---
title: Old aggregation
level: low
detection:
  sel: {user.name: a}
  timeframe: 1h
  condition: sel
)",
                                   "lint.yml", {}, diags);
  INFO(dump(diags));
  CHECK(set.size() == 1);
  CHECK(find(diags, codes::kAllSingle).where == "lint.yml:6:5");
  CHECK(find(diags, codes::kStatus).where == "lint.yml:2:9");
  CHECK_THAT(find(diags, codes::kModifier).message,
             Catch::Contains(std::string(messages::kUnsupportedModifier) + ": 'windash'"));
  CHECK_THAT(find(diags, codes::kSelection).message,
             Catch::Contains(std::string(messages::kKeywordSelection)));
  CHECK_THAT(find(diags, codes::kUnsupported).message,
             Catch::Contains(std::string(messages::kTimeframe)));
}

TEST_CASE("a stray comma is a YAML error, not an endless parse") {
  // yaml-cpp 0.7's LoadAll never returns on these (jbeder/yaml-cpp#1040).
  for (const char* text : {",\n", ", gte: 3}\ntitle: x\n", "title: x\n---\n,a\n"}) {
    model::CollectingDiagnostics diags;
    RuleSet set = RuleSet::load_text(text, "comma.yml", {}, diags);
    INFO(text << dump(diags));
    CHECK(set.size() == 0);
    const model::Diagnostic d = find(diags, codes::kYaml);
    CHECK(d.code == codes::kYaml);
    CHECK_THAT(d.where, Catch::StartsWith("comma.yml:"));
  }
  // Empty documents between real ones are still fine.
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(
      "---\n# nothing\n---\n---\ntitle: T\nlevel: low\ndetection: {s: {user.name: a}, "
      "condition: s}\n---\n",
      "empty.yml", {}, diags);
  INFO(dump(diags));
  CHECK(errors(diags) == 0);
  CHECK(set.size() == 1);
}

TEST_CASE("one file with ten different mistakes: all ten reported with line:col and code") {
  const std::string path =
      std::string(VETTER_SOURCE_DIR) + "/tests/unit/rules/data/ten_mistakes.yml";
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load({path}, {}, diags);
  INFO(dump(diags));
  const std::pair<std::string_view, const char*> expected[] = {
      {codes::kKey, ":5:1"},         {codes::kMissing, ":10:1"}, {codes::kField, ":18:9"},
      {codes::kModifier, ":24:9"},   {codes::kValue, ":30:25"},  {codes::kPlaceholder, ":36:26"},
      {codes::kCondition, ":43:22"}, {codes::kLevel, ":46:8"},   {codes::kCorrelation, ":57:13"},
      {codes::kRef, ":64:11"}};
  for (const auto& [code, where] : expected) {
    INFO(code << " at " << where);
    bool found = false;
    for (const model::Diagnostic& d : diags.items()) {
      found |= d.code == code && d.where == path + where;
    }
    CHECK(found);
  }
  CHECK(errors(diags) == 10);  // no cascades: each mistake once
  CHECK(set.size() == 1);      // only the correct rule at the end loads
}
