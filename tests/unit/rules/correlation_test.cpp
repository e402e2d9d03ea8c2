// Correlations: value_count and event_count windows, emit-once, generate, temporal, aliases.
#include <catch2/catch.hpp>

#include "rules_test_support.h"
#include "vetter/rules/codes.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

namespace {

const char* const kFarm = R"(title: Remote sign-in
name: remote_signin
detection:
  sel: {event.outcome: success}
  condition: sel
---
title: One IP, three accounts
id: farm-1
correlation:
  type: value_count
  rules: [remote_signin]
  group-by: [source.ip]
  timespan: 7d
  condition: {field: user.name, gte: 3}
level: high
)";

RuleSet load(const std::string& text, model::CollectingDiagnostics& diags) {
  return RuleSet::load_text(text, "corr.yml", {}, diags);
}

model::Event signin(const char* user, const char* ip, std::int64_t t) {
  return make_event({{"user.name", user}, {"source.ip", ip}, {"event.outcome", "success"}}, t);
}

}  // namespace

TEST_CASE("value_count: base rules do not report; the correlation does") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(kFarm, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  REQUIRE(set.size() == 1);
  CHECK(set.all_rules().size() == 2);
  CHECK(set.rules()[0].title == "One IP, three accounts");
  CHECK(set.rules()[0].correlation);
  CHECK_FALSE(set.all_rules()[0].generate);
}

TEST_CASE("value_count window includes an event exactly one timespan old") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(kFarm, diags);
  const std::vector<Hit> hits =
      run(set, {signin("alice", "203.0.113.5", 0), signin("bob", "203.0.113.5", 3 * kDay),
                signin("carol", "203.0.113.5", 7 * kDay)});
  REQUIRE(hits.size() == 1);
  const Hit& h = hits[0];
  CHECK(h.rule->id == "farm-1");
  CHECK(h.accounts == std::vector<std::string>{"alice", "bob", "carol"});
  CHECK(h.group_key == "source.ip=203.0.113.5");
  CHECK(h.window_us == 7 * kDay);
  CHECK(h.first_us == 0);
  CHECK(h.last_us == 7 * kDay);
  REQUIRE(h.evidence.size() == 3);
  CHECK(h.evidence[1].account == "bob");
  // The fields the rule tested, then where the event came from.
  CHECK(h.evidence[1].summary == "event.outcome=success, source.ip=203.0.113.5");
}

TEST_CASE("value_count window excludes an event one microsecond older than the timespan") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(kFarm, diags);
  CHECK(run(set, {signin("alice", "203.0.113.5", 0), signin("bob", "203.0.113.5", 3 * kDay),
                  signin("carol", "203.0.113.5", 7 * kDay + 1)})
            .empty());
}

TEST_CASE("value_count counts distinct values, per group") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(kFarm, diags);
  CHECK(run(set, {signin("alice", "203.0.113.5", 0), signin("alice", "203.0.113.5", 1),
                  signin("alice", "203.0.113.5", 2), signin("bob", "203.0.113.6", 3),
                  signin("carol", "203.0.113.7", 4)})
            .empty());
  // An event without the group-by field is not counted.
  CHECK(run(set, {signin("alice", "203.0.113.5", 0), signin("bob", "203.0.113.5", 1),
                  make_event({{"user.name", "carol"}, {"event.outcome", "success"}}, 2)})
            .empty());
}

TEST_CASE("a group fires once, then stays quiet for one timespan") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(kFarm, diags);
  const char* ip = "198.51.100.9";
  std::vector<model::Event> events = {signin("a", ip, 0),           signin("b", ip, kDay),
                                      signin("c", ip, 2 * kDay),       // fires; quiet until 9d
                                      signin("d", ip, 3 * kDay),       // absorbed
                                      signin("e", ip, 9 * kDay),       // still quiet (inclusive)
                                      signin("f", ip, 9 * kDay + 1)};  // window (2d+1, 9d+1]: d,e,f
  const std::vector<Hit> hits = run(set, events);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].last_us == 2 * kDay);
  CHECK(hits[1].last_us == 9 * kDay + 1);
  CHECK(hits[1].accounts == std::vector<std::string>{"d", "e", "f"});
}

TEST_CASE("generate: true keeps the base rule's own hits") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(std::string(kFarm) + "generate: true\n", diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  CHECK(set.size() == 2);
  const std::vector<Hit> hits = run(set, {signin("a", "192.0.2.1", 0)});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->title == "Remote sign-in");
}

TEST_CASE("event_count counts events per group in a sliding window") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(R"(title: Failed sign-in
name: failed
detection:
  sel: {event.outcome: failure}
  condition: sel
---
title: Three failures in an hour
correlation:
  type: event_count
  rules: failed
  group-by: [user.name]
  timespan: 1h
  condition: {gte: 3}
level: medium
)",
                     diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  auto fail = [](const char* user, std::int64_t t) {
    return make_event({{"user.name", user}, {"event.outcome", "failure"}}, t);
  };
  CHECK(run(set, {fail("a", 0), fail("a", 30 * 60 * kSecond), fail("a", kHour + 1)}).empty());
  const std::vector<Hit> hits =
      run(set, {fail("a", 0), fail("b", 1), fail("a", 2), fail("a", kHour)});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].group_key == "user.name=a");
  CHECK(hits[0].accounts == std::vector<std::string>{"a"});
  CHECK(hits[0].evidence.size() == 3);
}

TEST_CASE("temporal and temporal_ordered") {
  const std::string bases = R"(title: Step A
name: step_a
detection:
  sel: {event.action: a}
  condition: sel
---
title: Step B
name: step_b
detection:
  sel: {event.action: b}
  condition: sel
---
)";
  auto ev = [](const char* action, std::int64_t t) {
    return make_event({{"user.name", "u"}, {"event.action", action}}, t);
  };
  model::CollectingDiagnostics diags;
  RuleSet ordered = load(bases + R"(title: A then B
correlation:
  type: temporal_ordered
  rules: [step_a, step_b]
  group-by: [user.name]
  timespan: 1h
level: high
)",
                         diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  CHECK(run(ordered, {ev("a", 0), ev("b", 10)}).size() == 1);
  CHECK(run(ordered, {ev("b", 0), ev("a", 10)}).empty());
  CHECK(run(ordered, {ev("a", 0), ev("b", kHour + 1)}).empty());

  RuleSet any_order = load(bases + R"(title: A and B
correlation:
  type: temporal
  rules: [step_a, step_b]
  group-by: [user.name]
  timespan: 1h
level: high
)",
                           diags);
  REQUIRE(errors(diags) == 0);
  CHECK(run(any_order, {ev("b", 0), ev("a", 10)}).size() == 1);
  CHECK(run(any_order, {ev("b", 0), ev("b", 10)}).empty());
}

TEST_CASE("aliases map one group-by name to different fields per rule") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(R"(title: Shipped
name: shipped
detection:
  sel: {event.action: ship}
  condition: sel
---
title: Lives
name: lives
detection:
  sel: {event.action: hire}
  condition: sel
---
title: Shipped to someone else's home
correlation:
  type: temporal
  rules: [shipped, lives]
  group-by: [address]
  timespan: 30d
  aliases:
    address:
      shipped: hr.ship_to_key
      lives: hr.address_key
level: medium
)",
                     diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  const std::vector<Hit> hits = run(
      set,
      {make_event({{"user.name", "a"}, {"event.action", "ship"}, {"hr.ship_to_key", "k1"}}, 0),
       make_event({{"user.name", "b"}, {"event.action", "hire"}, {"hr.address_key", "k1"}}, 5)});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].group_key == "address=k1");
  CHECK(hits[0].accounts == std::vector<std::string>{"a", "b"});
}

TEST_CASE("correlation mistakes are reported") {
  model::CollectingDiagnostics diags;
  load(R"(title: Base
name: base
detection:
  sel: {event.outcome: success}
  condition: sel
---
title: Bad type
correlation:
  type: value_median
  rules: [base]
  timespan: 1h
---
title: Needs field
correlation:
  type: value_count
  rules: [base]
  timespan: 1h
  condition: {gte: 2}
---
title: Not a number
correlation:
  type: event_count
  rules: [base]
  timespan: 1h
  condition: {lt: two}
)",
       diags);
  INFO(dump(diags));
  CHECK(find(diags, codes::kCorrelation).where == "corr.yml:9:9");
  CHECK(find(diags, codes::kUnsupported).code.empty());
  std::size_t correlation_errors = 0;
  for (const auto& d : diags.items())
    correlation_errors += d.code == codes::kCorrelation;
  CHECK(correlation_errors == 4);  // bad type, no field, 'two', and no usable bound
}

TEST_CASE("lt/lte conditions are judged when a group's window ends") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(R"(title: VPN session
name: vpn
detection:
  sel: {event.category: vpn}
  condition: sel
---
title: Fewer than three sessions in an hour
correlation:
  type: event_count
  rules: [vpn]
  group-by: [user.name]
  timespan: 1h
  condition: {lt: 3}
level: low
---
title: Two or three sessions in an hour
correlation:
  type: event_count
  rules: [vpn]
  group-by: [user.name]
  timespan: 1h
  condition: {gte: 2, lte: 3}
level: low
)",
                     diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  auto vpn = [](const char* user, std::int64_t t) {
    return make_event({{"user.name", user}, {"event.category", "vpn"}}, t);
  };
  auto titles = [](const std::vector<Hit>& hits) {
    std::vector<std::string> out;
    for (const Hit& h : hits)
      out.push_back(h.rule->title + " " + h.group_key);
    return out;
  };
  // Nothing is known until the window is over; finish() closes it.
  Engine engine(set);
  std::vector<Hit> hits;
  engine.process(vpn("a", 0), hits);
  engine.process(vpn("a", 10 * 60 * kSecond), hits);
  CHECK(hits.empty());
  engine.finish(hits);
  CHECK(titles(hits) == std::vector<std::string>{"Fewer than three sessions in an hour user.name=a",
                                                 "Two or three sessions in an hour user.name=a"});
  // Three events: not fewer than three, but in the range.
  CHECK(titles(run(set, {vpn("a", 0), vpn("a", 1), vpn("a", kHour)})) ==
        std::vector<std::string>{"Two or three sessions in an hour user.name=a"});
  // A later event of another group closes a's window (the event exactly at the end still
  // belonged to it); the hits come out while that event is processed, before finish().
  Engine e2(set);
  std::vector<Hit> h2;
  e2.process(vpn("a", 0), h2);
  e2.process(vpn("b", kHour + 1), h2);
  REQUIRE(h2.size() == 1);
  CHECK(h2[0].group_key == "user.name=a");
  CHECK(h2[0].window_us == kHour);
  // The same group's next event after the window opens a new window.
  const std::vector<Hit> h3 = run(set, {vpn("a", 0), vpn("a", 2 * kHour), vpn("a", 2 * kHour + 1)});
  CHECK(titles(h3) == std::vector<std::string>{"Fewer than three sessions in an hour user.name=a",
                                               "Fewer than three sessions in an hour user.name=a",
                                               "Two or three sessions in an hour user.name=a"});
}

TEST_CASE("chained correlations: many failures, then a success") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(R"(title: Failures then success
correlation:
  type: temporal_ordered
  rules: [many_failures, success]
  group-by: [user.name]
  timespan: 10m
level: high
---
title: Many failures
name: many_failures
correlation:
  type: event_count
  rules: [failure]
  group-by: [user.name]
  timespan: 10m
  condition: {gte: 3}
---
title: Failure
name: failure
detection:
  sel: {event.outcome: failure}
  condition: sel
---
title: Success
name: success
detection:
  sel: {event.outcome: success}
  condition: sel
)",
                     diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  REQUIRE(set.size() == 1);  // the building blocks do not report (no generate: true)
  auto ev = [](const char* outcome, std::int64_t t) {
    return make_event({{"user.name", "bob"}, {"event.outcome", outcome}}, t);
  };
  const std::int64_t m = 60 * kSecond;
  const std::vector<Hit> hits =
      run(set, {ev("failure", 0), ev("failure", m), ev("failure", 2 * m), ev("success", 3 * m)});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->title == "Failures then success");
  CHECK(hits[0].group_key == "user.name=bob");
  REQUIRE(hits[0].evidence.size() == 2);
  CHECK(hits[0].evidence[0].summary == "Many failures: user.name=bob");
  CHECK(hits[0].evidence[1].summary == "event.outcome=success");
  // A success before the failures is the wrong order.
  CHECK(run(set, {ev("success", 0), ev("failure", m), ev("failure", 2 * m), ev("failure", 3 * m)})
            .empty());
}

TEST_CASE("correlation cycles and window-end chains are refused") {
  model::CollectingDiagnostics diags;
  load(R"(title: A
name: a
correlation: {type: event_count, rules: [b], timespan: 1h, condition: {gte: 1}}
---
title: B
name: b
correlation: {type: event_count, rules: [a], timespan: 1h, condition: {gte: 1}}
---
title: Self
name: self
correlation: {type: event_count, rules: [self], timespan: 1h, condition: {gte: 1}}
---
title: Base
name: base
detection: {sel: {event.outcome: success}, condition: sel}
---
title: Few
name: few
correlation: {type: event_count, rules: [base], timespan: 1h, condition: {lt: 2}}
---
title: Uses few
correlation: {type: event_count, rules: [few], timespan: 1h, condition: {gte: 1}}
)",
       diags);
  INFO(dump(diags));
  std::vector<std::string> cycles;
  for (const auto& d : diags.items()) {
    if (d.code == codes::kCorrelation) cycles.push_back(d.where);
  }
  CHECK(cycles == std::vector<std::string>{"corr.yml:11:42", "corr.yml:3:14", "corr.yml:7:14"});
  CHECK_THAT(find(diags, codes::kUnsupported).message,
             Catch::Contains(std::string(messages::kChainedWindowEnd)));
}

namespace {

// Session ends with their durations; `value` is text so the numeric tests can feed non-numbers.
const char* const kSessions = R"(title: Session end
name: session_end
detection:
  sel: {event.action: session-end}
  condition: sel
---
title: Ten hours online in a day
id: sum-1
correlation:
  type: value_sum
  rules: [session_end]
  group-by: [user.name]
  timespan: 1d
  condition: {field: event.duration_s, gte: 36000}
level: medium
)";

model::Event session(const char* user, const char* seconds, std::int64_t t) {
  return make_event(
      {{"user.name", user}, {"event.action", "session-end"}, {"event.duration_s", seconds}}, t);
}

std::string with_condition(const char* type, const char* condition) {
  std::string text = kSessions;
  text.replace(text.find("value_sum"), 9, type);
  text.replace(text.find("{field: event.duration_s, gte: 36000}"), 37, condition);
  return text;
}

}  // namespace

TEST_CASE("value_sum: the window includes an event exactly one timespan old, not one older") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(kSessions, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  std::vector<Hit> hits = run(set, {session("a", "20000", 0), session("a", "16000", kDay)});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].rule->id == "sum-1");
  CHECK(hits[0].group_key == "user.name=a");
  CHECK(hits[0].first_us == 0);
  CHECK(hits[0].last_us == kDay);
  CHECK(hits[0].evidence.size() == 2);
  // Benign look-alike: the first session is one microsecond too old.
  CHECK(run(set, {session("b", "20000", 0), session("b", "16000", kDay + 1)}).empty());
  // Another account's time does not add up with this one's.
  CHECK(run(set, {session("c", "20000", 0), session("d", "16000", kHour)}).empty());
}

TEST_CASE("value_avg and value_percentile judge the window's numbers") {
  model::CollectingDiagnostics diags;
  RuleSet avg = load(with_condition("value_avg", "{field: event.duration_s, gt: 30000}"), diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  // Judged after each event: 10000, then (10000 + 40000) / 2 = 25000: no; with 50000 the mean
  // is 33333: yes.
  CHECK(run(avg, {session("a", "10000", 0), session("a", "40000", kHour)}).empty());
  std::vector<Hit> hits = run(avg, {session("a", "10000", 0), session("a", "40000", kHour),
                                    session("a", "50000", 2 * kHour)});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].last_us == 2 * kHour);

  // Medians after each of 1, 2, 3, 100: 1, 1.5, 2, then 2.5 (linear interpolation between the
  // middle ranks).
  const std::vector<model::Event> four = {session("m", "1", 0), session("m", "2", 1),
                                          session("m", "3", 2), session("m", "100", 3)};
  RuleSet above = load(
      with_condition("value_percentile", "{field: event.duration_s, percentile: 50, gte: 2.5}"),
      diags);
  RuleSet below =
      load(with_condition("value_percentile", "{field: event.duration_s, percentile: 50, gt: 2.5}"),
           diags);
  REQUIRE(errors(diags) == 0);
  hits = run(above, four);
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].last_us == 3);
  CHECK(run(below, four).empty());
  // The 95th percentile of 1..k grows with k; for 1..20, rank 0.95 * 19 = 18.05, so 19.05.
  RuleSet p95 = load(
      with_condition("value_percentile", "{field: event.duration_s, percentile: 95, gte: 19.04}"),
      diags);
  RuleSet p95_high = load(
      with_condition("value_percentile", "{field: event.duration_s, percentile: 95, gte: 19.06}"),
      diags);
  REQUIRE(errors(diags) == 0);
  std::vector<model::Event> twenty;
  std::vector<std::string> texts;
  for (int i = 1; i <= 20; ++i)
    texts.push_back(std::to_string(i));
  for (int i = 0; i < 20; ++i)
    twenty.push_back(session("p", texts[i].c_str(), i));
  CHECK(run(p95, twenty).size() == 1);
  CHECK(run(p95_high, twenty).empty());
}

TEST_CASE("value_sum reads numbers written as text and sets other values aside, counted") {
  model::CollectingDiagnostics diags;
  // event.action is a text field: "36000" counts, "n/a" does not.
  const std::string text = R"(title: Session end
name: session_end
detection:
  sel: {user.name: a}
  condition: sel
---
title: Sum of text
correlation:
  type: value_sum
  rules: [session_end]
  group-by: [user.name]
  timespan: 1d
  condition: {field: event.action, gte: 36000}
level: low
)";
  RuleSet set = load(text, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  Engine engine(set);
  std::vector<Hit> hits;
  engine.process(make_event({{"user.name", "a"}, {"event.action", "n/a"}}, 0), hits);
  engine.process(make_event({{"user.name", "a"}, {"event.action", "true"}}, 1), hits);
  engine.process(make_event({{"user.name", "a"}}, 2), hits);  // absent: ignored, not counted
  CHECK(hits.empty());
  engine.process(make_event({{"user.name", "a"}, {"event.action", "3.6e4"}}, 3), hits);
  CHECK(hits.size() == 1);
  CHECK(engine.counters().non_numeric == 2);
}

TEST_CASE("value_sum with lt is judged when the window ends") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(with_condition("value_sum", "{field: event.duration_s, lt: 3600}"), diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  // a: 1000 + 2000 in one day: under an hour, reported at finish; b: 3000 + 3000: not.
  std::vector<Hit> hits = run(set, {session("a", "1000", 0), session("b", "3000", 0),
                                    session("a", "2000", kHour), session("b", "3000", kHour)});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].group_key == "user.name=a");
}

TEST_CASE("a late event within the window is counted in time order; an older one is dropped") {
  model::CollectingDiagnostics diags;
  RuleSet set = load(R"(title: Failure
name: failure
detection:
  sel: {event.outcome: failure}
  condition: sel
---
title: Three failures in an hour
correlation:
  type: event_count
  rules: [failure]
  group-by: [user.name]
  timespan: 1h
  condition: {gte: 3}
level: low
)",
                     diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  auto failure = [](std::int64_t t) {
    return make_event({{"user.name", "a"}, {"event.outcome", "failure"}}, t);
  };
  const std::int64_t minute = 60 * kSecond;
  {
    Engine engine(set);
    std::vector<Hit> hits;
    for (std::int64_t t : {0 * minute, 30 * minute, 10 * minute})  // the last one arrives late
      engine.process(failure(t), hits);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].first_us == 0);
    CHECK(hits[0].last_us == 30 * minute);  // judged at the group's newest time
    REQUIRE(hits[0].evidence.size() == 3);
    CHECK(hits[0].evidence[1].time_us == 10 * minute);  // in time order
    CHECK(engine.counters().too_late == 0);
  }
  {
    // Exactly one timespan before the newest event still counts...
    Engine engine(set);
    std::vector<Hit> hits;
    for (std::int64_t t : {60 * minute, 90 * minute, 30 * minute})
      engine.process(failure(t), hits);
    CHECK(hits.size() == 1);
  }
  {
    // ...one microsecond more is dropped and counted.
    Engine engine(set);
    std::vector<Hit> hits;
    for (std::int64_t t : {60 * minute, 90 * minute, 30 * minute - 1})
      engine.process(failure(t), hits);
    CHECK(hits.empty());
    CHECK(engine.counters().too_late == 1);
  }
}

TEST_CASE("value_sum, value_avg and value_percentile mistakes are reported") {
  struct Case {
    const char* type;
    const char* condition;
    std::string_view message;
  };
  for (const Case& c :
       {Case{"value_percentile", "{field: event.duration_s, gte: 10}", messages::kBadPercentile},
        Case{"value_percentile", "{field: event.duration_s, percentile: 150, gte: 10}",
             messages::kBadPercentile},
        Case{"value_sum", "{field: event.duration_s, percentile: 95, gte: 10}",
             messages::kPercentileOnly},
        Case{"value_avg", "{gte: 10}", messages::kBadCorrelationCondition},
        Case{"event_count", "{gte: 2.5}", messages::kBadCorrelationCondition},
        Case{"event_count", "{field: event.duration_s, gte: 2}", messages::kFieldOnlyValueCount}}) {
    model::CollectingDiagnostics diags;
    load(with_condition(c.type, c.condition), diags);
    INFO(c.type << " " << c.condition << "\n" << dump(diags));
    CHECK_THAT(find(diags, codes::kCorrelation).message, Catch::Contains(std::string(c.message)));
  }
  model::CollectingDiagnostics diags;
  load(with_condition("value_avg", "{field: event.duration_s, gt: 0.5}"), diags);
  CHECK(errors(diags) == 0);  // fractions are fine for means
}
