// Matching on stream threads (rules::Matcher) and the engine's own matching give the same hits.
#include <catch2/catch.hpp>

#include <thread>

#include "rules_test_support.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

namespace {

// Detections that report, one that only feeds a correlation, a filter, and the correlation.
const char* const kRules = R"(title: Anydesk
detection: {sel: {app.name|contains: anydesk}, condition: sel}
level: medium
---
title: Remote sign-in
name: remote_signin
detection: {sel: {event.outcome: success}, filter: {source.ip|cidr: 10.0.0.0/8}, condition: sel and not filter}
generate: false
---
title: Denied
detection: {sel: {event.outcome: failure}, condition: sel}
level: low
---
title: One IP, three accounts
correlation:
  type: value_count
  rules: [remote_signin]
  group-by: [source.ip]
  timespan: 1d
  condition: {field: user.name, gte: 3}
level: high
)";

std::vector<model::Event> events() {
  std::vector<model::Event> out;
  std::int64_t t = 0;
  const auto add = [&](std::initializer_list<std::pair<const char*, const char*>> fields) {
    out.push_back(make_event(fields, t += kSecond));
  };
  for (const char* user : {"ann", "bob", "cy", "dee"}) {
    add({{"user.name", user}, {"source.ip", "203.0.113.7"}, {"event.outcome", "success"}});
    add({{"user.name", user}, {"source.ip", "10.1.2.3"}, {"event.outcome", "success"}});
    add({{"user.name", user}, {"event.outcome", "failure"}, {"app.name", "AnyDesk"}});
    add({{"user.name", user}, {"app.name", "Slack"}});  // a look-alike that matches nothing
  }
  return out;
}

std::vector<std::string> describe(const std::vector<Hit>& hits) {
  std::vector<std::string> out;
  for (const Hit& h : hits) {
    std::string s = h.rule->title + " @" + std::to_string(h.last_us) + " " + h.group_key;
    for (const std::string& account : h.accounts)
      s += " " + account;
    for (const Evidence& e : h.evidence)
      s += " [" + e.summary + "]";
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("events matched on other threads give the hits the engine finds by itself") {
  model::CollectingDiagnostics diags;
  const RuleSet set = RuleSet::load_text(kRules, "split.yml", {}, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  const std::vector<model::Event> plain = events();
  const std::vector<std::string> expected = describe(run(set, plain));
  // Sanity: every detection that reports and the correlation fire, so a lost match shows.
  REQUIRE(expected.size() == 4 + 4 + 1);

  // Every event matched on two other threads (a Matcher each), or every other one: the engine
  // matches the rest itself.
  for (const std::size_t stride : {std::size_t{1}, std::size_t{2}}) {
    std::vector<model::Event> matched = plain;
    std::thread threads[2];
    for (std::size_t t = 0; t < 2; ++t) {
      threads[t] = std::thread([&, t] {
        Matcher matcher(set);
        for (std::size_t i = t * stride; i < matched.size(); i += 2 * stride)
          matcher.match(matched[i]);
      });
    }
    for (std::thread& thread : threads)
      thread.join();
    std::size_t known = 0;
    for (const model::Event& e : matched)
      known += e.matches.known;
    CHECK(known == (stride == 1 ? matched.size() : matched.size() / 2));
    CHECK(describe(run(set, matched)) == expected);
  }
}

TEST_CASE("a matcher records what matched, and an empty match is known too") {
  model::CollectingDiagnostics diags;
  const RuleSet set = RuleSet::load_text(kRules, "split.yml", {}, diags);
  REQUIRE(errors(diags) == 0);
  Matcher matcher(set);
  model::Event hit = make_event({{"app.name", "AnyDesk"}, {"event.outcome", "failure"}});
  matcher.match(hit);
  CHECK(hit.matches.known);
  CHECK(hit.matches.rules.size() == 2);  // Anydesk and Denied
  model::Event filtered =
      make_event({{"event.outcome", "success"}, {"source.ip", "10.9.9.9"}});  // the filter holds
  matcher.match(filtered);
  CHECK(filtered.matches.known);
  CHECK(filtered.matches.rules.empty());
  // A known empty match is trusted: the engine does not match the event again.
  model::Event lie = make_event({{"app.name", "AnyDesk"}});
  lie.matches.known = true;
  CHECK(run(set, {lie}).empty());
  lie.matches.known = false;
  CHECK(run(set, {lie}).size() == 1);
}
