// Detection rules: selections, modifiers, wildcards, null, lists and condition precedence.
#include <catch2/catch.hpp>

#include "rules_test_support.h"
#include "vetter/rules/codes.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

namespace {

// Loads a one-rule file whose `detection:` body is `detection` (already indented by two).
RuleSet detection_rule(const std::string& detection, model::CollectingDiagnostics& diags,
                       const LoadOptions& options = {}) {
  const std::string text = "title: Test rule\nlevel: low\ndetection:\n" + detection;
  return RuleSet::load_text(text, "test.yml", options, diags);
}

bool fires(const RuleSet& set, const model::Event& e) {
  return !run(set, {e}).empty();
}

struct Case {
  const char* detection;
  std::initializer_list<std::pair<const char*, const char*>> event;
  bool expected;
};

void check(const std::string& detection,
           std::initializer_list<std::pair<const char*, const char*>> event, bool expected,
           const LoadOptions& options = {}) {
  model::CollectingDiagnostics diags;
  RuleSet set = detection_rule(detection, diags, options);
  INFO(detection << "\n" << dump(diags));
  REQUIRE(errors(diags) == 0);
  REQUIRE(set.size() == 1);
  CHECK(fires(set, make_event(event)) == expected);
}

}  // namespace

TEST_CASE("plain values are case-insensitive equality; maps AND, lists OR") {
  const std::string d =
      "  sel:\n    event.outcome: success\n    event.category: [authentication, vpn]\n"
      "  condition: sel\n";
  check(d, {{"event.outcome", "SUCCESS"}, {"event.category", "vpn"}}, true);
  check(d, {{"event.outcome", "success"}, {"event.category", "hr"}}, false);
  check(d, {{"event.category", "vpn"}}, false);
}

TEST_CASE("a list of maps is an OR of ANDs") {
  const std::string d =
      "  sel:\n    - event.outcome: success\n      event.category: vpn\n    - user.name: root\n"
      "  condition: sel\n";
  check(d, {{"event.outcome", "success"}, {"event.category", "vpn"}}, true);
  check(d, {{"event.outcome", "success"}}, false);
  check(d, {{"user.name", "ROOT"}}, true);
}

TEST_CASE("contains, startswith, endswith") {
  check("  sel:\n    user_agent.original|contains: Remote\n  condition: sel\n",
        {{"user_agent.original", "Chrome remote desktop"}}, true);
  check("  sel:\n    user_agent.original|startswith: chrome\n  condition: sel\n",
        {{"user_agent.original", "Chrome remote desktop"}}, true);
  check("  sel:\n    user_agent.original|startswith: remote\n  condition: sel\n",
        {{"user_agent.original", "Chrome remote desktop"}}, false);
  check("  sel:\n    user_agent.original|endswith: DESKTOP\n  condition: sel\n",
        {{"user_agent.original", "Chrome remote desktop"}}, true);
  check("  sel:\n    user_agent.original|endswith: chrome\n  condition: sel\n",
        {{"user_agent.original", "Chrome remote desktop"}}, false);
}

TEST_CASE("contains|all needs every value") {
  const std::string d = "  sel:\n    app.name|contains|all: [any, desk]\n  condition: sel\n";
  check(d, {{"app.name", "AnyDesk"}}, true);
  check(d, {{"app.name", "TeamViewer Desk"}}, false);
}

TEST_CASE("wildcards and escapes") {
  check("  sel:\n    host.name: 'lap*-?1'\n  condition: sel\n", {{"host.name", "LAPTOP-X1"}}, true);
  check("  sel:\n    host.name: 'lap*-?1'\n  condition: sel\n", {{"host.name", "LAPTOP-XY1"}},
        false);
  // An escaped `*` is a literal star.
  check("  sel:\n    host.name: 'a\\*b'\n  condition: sel\n", {{"host.name", "a*b"}}, true);
  check("  sel:\n    host.name: 'a\\*b'\n  condition: sel\n", {{"host.name", "axxb"}}, false);
  check("  sel:\n    host.name: 'a\\?b'\n  condition: sel\n", {{"host.name", "axb"}}, false);
  check("  sel:\n    host.name: 'a\\?b'\n  condition: sel\n", {{"host.name", "a?b"}}, true);
  // `\\` is one backslash; a backslash before another character stays literal.
  check("  sel:\n    host.name: 'dom\\\\user'\n  condition: sel\n", {{"host.name", "dom\\user"}},
        true);
  check("  sel:\n    host.name: 'dom\\user'\n  condition: sel\n", {{"host.name", "dom\\user"}},
        true);
  check("  sel:\n    host.name: '*'\n  condition: sel\n", {{"host.name", "x"}}, true);
  check("  sel:\n    host.name: '*'\n  condition: sel\n", {{"user.name", "x"}}, false);
}

TEST_CASE("cased makes comparisons case-sensitive") {
  check("  sel:\n    usb.serial|cased: CAFEBABE\n  condition: sel\n", {{"usb.serial", "CAFEBABE"}},
        true);
  check("  sel:\n    usb.serial|cased: CAFEBABE\n  condition: sel\n", {{"usb.serial", "cafebabe"}},
        false);
  check("  sel:\n    usb.serial|contains|cased: FEB\n  condition: sel\n",
        {{"usb.serial", "cafebabe"}}, false);
  check("  sel:\n    usb.serial: CAFEBABE\n  condition: sel\n", {{"usb.serial", "cafebabe"}}, true);
}

TEST_CASE("re uses RE2, case-sensitive unless |i") {
  check("  sel:\n    host.name|re: '^LAP-[0-9]+$'\n  condition: sel\n", {{"host.name", "LAP-42"}},
        true);
  check("  sel:\n    host.name|re: '^LAP-[0-9]+$'\n  condition: sel\n", {{"host.name", "lap-42"}},
        false);
  check("  sel:\n    host.name|re|i: '^LAP-[0-9]+$'\n  condition: sel\n", {{"host.name", "lap-42"}},
        true);
  check("  sel:\n    host.name|re: 'AP'\n  condition: sel\n", {{"host.name", "LAP-42"}}, true);
}

TEST_CASE("cidr matches IPv4 and IPv6") {
  const std::string d =
      "  sel:\n    source.ip|cidr: [175.45.176.0/22, '2001:db8::/32']\n  condition: sel\n";
  check(d, {{"source.ip", "175.45.179.9"}}, true);
  check(d, {{"source.ip", "175.45.180.1"}}, false);
  check(d, {{"source.ip", "2001:db8:1::5"}}, true);
  check(d, {{"source.ip", "2001:db9::5"}}, false);
  check(d, {{"source.ip", "not-an-ip"}}, false);
}

TEST_CASE("exists") {
  check("  sel:\n    host.serial|exists: true\n  condition: sel\n", {{"host.serial", ""}}, true);
  check("  sel:\n    host.serial|exists: true\n  condition: sel\n", {{"user.name", "a"}}, false);
  check("  sel:\n    host.serial|exists: false\n  condition: sel\n", {{"user.name", "a"}}, true);
}

TEST_CASE("null matches an absent field") {
  check("  sel:\n    hr.employee_id: null\n  condition: sel\n", {{"user.name", "a"}}, true);
  check("  sel:\n    hr.employee_id: null\n  condition: sel\n", {{"hr.employee_id", "E1"}}, false);
  check("  sel:\n    hr.employee_id: ''\n  condition: sel\n", {{"user.name", "a"}}, false);
  check("  sel:\n    hr.employee_id: ''\n  condition: sel\n", {{"hr.employee_id", ""}}, true);
}

TEST_CASE("lt, lte, gt, gte on ints, floats and numeric text") {
  check("  sel:\n    event.local_hour|lt: 6\n  condition: sel\n", {{"event.local_hour", "5"}},
        true);
  check("  sel:\n    event.local_hour|lt: 6\n  condition: sel\n", {{"event.local_hour", "6"}},
        false);
  check("  sel:\n    event.local_hour|lte: 6\n  condition: sel\n", {{"event.local_hour", "6"}},
        true);
  check("  sel:\n    source.distance_from_home_km|gt: 500\n  condition: sel\n",
        {{"source.distance_from_home_km", "500.5"}}, true);
  check("  sel:\n    source.distance_from_home_km|gte: 500\n  condition: sel\n",
        {{"source.distance_from_home_km", "499.9"}}, false);
  check("  sel:\n    hr.region|gte: 10\n  condition: sel\n", {{"hr.region", "12"}}, true);
  check("  sel:\n    hr.region|gte: 10\n  condition: sel\n", {{"hr.region", "north"}}, false);
}

TEST_CASE("neq: present and different from every value") {
  const std::string d =
      "  sel:\n    source.connection_type|neq: [Cellular, Corporate]\n  condition: sel\n";
  check(d, {{"source.connection_type", "Cable/DSL"}}, true);
  check(d, {{"source.connection_type", "cellular"}}, false);
  check(d, {{"user.name", "a"}}, false);
}

TEST_CASE("expand takes %name% values from the placeholders") {
  LoadOptions options;
  options.placeholders["corp_ranges"] = {"10.0.0.0/8", "192.0.2.0/24"};
  const std::string d = "  sel:\n    source.ip|expand|cidr: '%corp_ranges%'\n  condition: sel\n";
  check(d, {{"source.ip", "192.0.2.7"}}, true, options);
  check(d, {{"source.ip", "198.51.100.1"}}, false, options);

  options.placeholders["spare"] = {"x"};
  model::CollectingDiagnostics used;
  detection_rule(d, used, options);
  const model::Diagnostic w = find(used, codes::kUnusedList);
  CHECK(w.severity == model::Severity::kWarning);
  CHECK_THAT(w.message, Catch::StartsWith("value list 'spare' "));
  CHECK(errors(used) == 0);

  model::CollectingDiagnostics diags;
  detection_rule(d, diags);
  const model::Diagnostic e = find(diags, codes::kPlaceholder);
  CHECK(e.where == "test.yml:5:28");
  CHECK_THAT(e.message, Catch::Contains(std::string(messages::kUnknownPlaceholder)));
  CHECK_THAT(e.message, Catch::Contains("rule 'Test rule'"));
}

TEST_CASE("fieldref compares two fields of the event") {
  const std::string d = "  sel:\n    hr.address_key|fieldref: hr.ship_to_key\n  condition: sel\n";
  check(d, {{"hr.address_key", "1 main st"}, {"hr.ship_to_key", "1 Main St"}}, true);
  check(d, {{"hr.address_key", "1 main st"}, {"hr.ship_to_key", "9 oak ave"}}, false);
  check(d, {{"hr.address_key", "1 main st"}}, false);
}

TEST_CASE("string lists match when any element matches") {
  const std::string d = "  sel:\n    source.lists: kp_ranges\n  condition: sel\n";
  check(d, {{"source.lists", "corporate_egress,kp_ranges"}}, true);
  check(d, {{"source.lists", "corporate_egress"}}, false);
  check("  sel:\n    user.aliases|startswith: jdoe\n  condition: sel\n",
        {{"user.aliases", "jane@corp.example,jdoe7"}}, true);
  check("  sel:\n    source.lists|neq: corporate_egress\n  condition: sel\n",
        {{"source.lists", "x,corporate_egress"}}, false);
}

TEST_CASE("bool and int fields compare with their text") {
  check("  sel:\n    source.anonymous.vpn: true\n  condition: sel\n",
        {{"source.anonymous.vpn", "true"}}, true);
  check("  sel:\n    source.anonymous.vpn: true\n  condition: sel\n",
        {{"source.anonymous.vpn", "false"}}, false);
  check("  sel:\n    source.as.number: 9009\n  condition: sel\n", {{"source.as.number", "9009"}},
        true);
}

TEST_CASE("condition precedence: or < and < not") {
  const std::string sels =
      "  a:\n    user.name: a\n  b:\n    host.name: b\n  c:\n    app.name: c\n";
  // a or (b and c)
  check(sels + "  condition: a or b and c\n", {{"user.name", "a"}}, true);
  check(sels + "  condition: a or b and c\n", {{"host.name", "b"}}, false);
  check(sels + "  condition: a or b and c\n", {{"host.name", "b"}, {"app.name", "c"}}, true);
  check(sels + "  condition: (a or b) and c\n", {{"user.name", "a"}}, false);
  // not binds tighter than and
  check(sels + "  condition: not a and b\n", {{"host.name", "b"}}, true);
  check(sels + "  condition: not a and b\n", {{"user.name", "a"}, {"host.name", "b"}}, false);
  check(sels + "  condition: not (a and b)\n", {{"user.name", "a"}}, true);
  check(sels + "  condition: a OR b AND NOT c\n", {{"host.name", "b"}},
        true);  // keywords: any case
}

TEST_CASE("1 of / all of with patterns and them") {
  const std::string sels =
      "  sel_user:\n    user.name: a\n  sel_host:\n    host.name: b\n  filter:\n    app.name: c\n";
  check(sels + "  condition: 1 of sel_*\n", {{"host.name", "b"}}, true);
  check(sels + "  condition: all of sel_*\n", {{"host.name", "b"}}, false);
  check(sels + "  condition: all of sel_*\n", {{"host.name", "b"}, {"user.name", "a"}}, true);
  check(sels + "  condition: all of sel_* and not filter\n",
        {{"host.name", "b"}, {"user.name", "a"}, {"app.name", "c"}}, false);
  check(sels + "  condition: all of them\n", {{"host.name", "b"}, {"user.name", "a"}}, false);
  check(sels + "  condition: all of them\n",
        {{"host.name", "b"}, {"user.name", "a"}, {"app.name", "c"}}, true);
  check(sels + "  condition: 1 of them\n", {{"app.name", "c"}}, true);
}

TEST_CASE("detection hit carries the account and a summary of the tested fields") {
  model::CollectingDiagnostics diags;
  RuleSet set = detection_rule(
      "  sel:\n    source.geo.country_iso_code: KP\n    event.outcome: success\n  condition: sel\n",
      diags);
  REQUIRE(errors(diags) == 0);
  model::Event e = make_event({{"user.name", "jdoe"},
                               {"source.geo.country_iso_code", "KP"},
                               {"event.outcome", "success"},
                               {"host.name", "h"}},
                              42);
  e.origin.line = 7;
  const std::vector<Hit> hits = run(set, {e});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->title == "Test rule");
  CHECK(hits[0].accounts == std::vector<std::string>{"jdoe"});
  CHECK(hits[0].first_us == 42);
  REQUIRE(hits[0].evidence.size() == 1);
  CHECK(hits[0].evidence[0].summary == "source.geo.country_iso_code=KP, event.outcome=success");
  CHECK(hits[0].evidence[0].origin.line == 7);
  CHECK(hits[0].group_key.empty());
}

TEST_CASE("logsource.category restricts a rule to events of that category") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(
      "title: T\nlevel: low\nlogsource: {category: vpn}\ndetection:\n  sel:\n    user.name: a\n"
      "  condition: sel\n",
      "t.yml", {}, diags);
  REQUIRE(errors(diags) == 0);
  CHECK(fires(set, make_event({{"user.name", "a"}, {"event.category", "VPN"}})));
  CHECK_FALSE(fires(set, make_event({{"user.name", "a"}, {"event.category", "authentication"}})));
  CHECK_FALSE(fires(set, make_event({{"user.name", "a"}})));
}

TEST_CASE("time modifiers take a part of a UTC date") {
  // 2026-12-31T23:05:00Z is a Thursday in ISO week 53; 2027-01-01 is in week 53 of 2026 too.
  const std::int64_t t = 1798758300LL * kSecond;
  auto fires_at = [](const std::string& detection, std::int64_t time_us) {
    model::CollectingDiagnostics diags;
    RuleSet set =
        RuleSet::load_text("title: T\nlevel: low\ndetection:\n" + detection, "t.yml", {}, diags);
    INFO(dump(diags));
    REQUIRE(errors(diags) == 0);
    return !run(set, {make_event({{"user.name", "a"}}, time_us)}).empty();
  };
  CHECK(fires_at("  s:\n    '@timestamp|hour': 23\n  condition: s\n", t));
  CHECK(fires_at("  s:\n    '@timestamp|minute': 5\n  condition: s\n", t));
  CHECK(fires_at("  s:\n    '@timestamp|day': 31\n  condition: s\n", t));
  CHECK(fires_at("  s:\n    '@timestamp|month': 12\n  condition: s\n", t));
  CHECK(fires_at("  s:\n    '@timestamp|year': 2026\n  condition: s\n", t));
  CHECK(fires_at("  s:\n    '@timestamp|week': 53\n  condition: s\n", t));
  CHECK(fires_at("  s:\n    '@timestamp|week': 53\n  condition: s\n", t + 3600 * kSecond));
  CHECK(fires_at("  s:\n    '@timestamp|week': 1\n  condition: s\n", t + 4 * kDay));  // Mon 4 Jan
  // Working hours in Pyongyang (UTC+9, 09:00-18:00) are 00:00-08:59 UTC.
  const std::string kst = "  s:\n    '@timestamp|hour|lt': 9\n  condition: s\n";
  CHECK_FALSE(fires_at(kst, t));
  CHECK(fires_at(kst, t + 2 * 3600 * kSecond));
  CHECK(fires_at("  s:\n    '@timestamp|hour|neq': [1, 2]\n  condition: s\n", t));
  CHECK_FALSE(fires_at("  s:\n    '@timestamp|hour|neq': [22, 23]\n  condition: s\n", t));
  // ISO 8601 text fields work too.
  check("  s:\n    hr.hire_date|year: 2025\n  condition: s\n", {{"hr.hire_date", "2025-03-01"}},
        true);
  check("  s:\n    hr.hire_date|month|gte: 4\n  condition: s\n", {{"hr.hire_date", "2025-03-01"}},
        false);

  model::CollectingDiagnostics diags;
  detection_rule(
      "  s:\n    source.port|hour: 3\n  t:\n    '@timestamp|hour|contains': 3\n"
      "  condition: s or t\n",
      diags);
  std::size_t modifier_errors = 0;
  for (const auto& d : diags.items())
    modifier_errors += d.code == codes::kModifier;
  CHECK(modifier_errors == 2);
}
