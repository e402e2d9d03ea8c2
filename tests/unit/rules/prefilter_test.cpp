// The value index: an indexed engine gives exactly the hits of one that evaluates every rule.
#include <catch2/catch.hpp>

#include "rules_test_support.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

namespace {

std::vector<std::string> fired(const RuleSet& set, const std::vector<model::Event>& events,
                               bool index) {
  Engine engine(set, EngineOptions{index});
  std::vector<Hit> hits;
  for (const model::Event& e : events)
    engine.process(e, hits);
  engine.finish(hits);
  std::vector<std::string> out;
  for (const Hit& h : hits)
    out.push_back(h.rule->title + " @" + std::to_string(h.last_us));
  return out;
}

// One rule per shape the index treats differently; each has events that fire it and benign
// look-alikes that do not.
const char* const kRules = R"(title: equals upper
logsource: {category: authentication}
detection: {sel: {event.action: MFA-Deny}, condition: sel}
---
title: equals cased
detection: {sel: {host.name|cased: Farm-01}, condition: sel}
---
title: contains
detection: {sel: {user_agent.original|contains: [python-requests, curl/]}, condition: sel}
---
title: short contains
detection: {sel: {host.name|contains: x}, condition: sel}
---
title: startswith endswith
detection: {a: {host.name|startswith: dprk-}, b: {user.name|endswith: '@mail.example'}, condition: a and b}
---
title: glob
detection: {sel: {app.name: 'any*desk?'}, condition: sel}
---
title: regex quantified
detection: {sel: {host.name|re: '^wsx*-[0-9]+$'}, condition: sel}
---
title: regex alternation
detection: {sel: {host.name|re: 'alpha|beta'}, condition: sel}
---
title: regex case-insensitive
detection: {sel: {host.name|re|i: '^KVM-'}, condition: sel}
---
title: cidr v4 and v6
detection: {sel: {source.ip|cidr: [175.45.176.0/22, '2001:db8::/32']}, condition: sel}
---
title: list field
detection: {sel: {source.lists: kp_ranges}, condition: sel}
---
title: number and bool
detection: {sel: {event.duration_s: 32400, source.anonymous.vpn: true}, condition: sel}
---
title: greater than
detection: {sel: {event.duration_s|gte: 86400}, condition: sel}
---
title: not only
logsource: {category: hr}
detection: {sel: {hr.status: active}, condition: not sel}
---
title: or with an unindexable side
detection: {a: {user.name: root}, b: {host.serial: null}, condition: a or b}
---
title: all values
detection: {sel: {user_agent.original|contains|all: [mozilla, linux]}, condition: sel}
---
title: neq
detection: {sel: {source.geo.country_iso_code|neq: [US, CA]}, condition: sel}
---
title: exists false
detection: {sel: {usb.vendor_id|exists: false}, condition: sel}
---
title: one of
detection: {sel_a: {app.name: AnyDesk}, sel_b: {app.name|contains: teamviewer}, condition: 1 of sel_*}
)";

}  // namespace

TEST_CASE("the value index finds every rule that full evaluation finds, and no other") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(kRules, "index.yml", {}, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  std::vector<model::Event> events;
  std::int64_t t = 0;
  auto add = [&](std::initializer_list<std::pair<const char*, const char*>> fields) {
    events.push_back(make_event(fields, t += kSecond));
  };
  add({{"event.category", "AUTHENTICATION"}, {"event.action", "mfa-deny"}});
  add({{"event.category", "vpn"}, {"event.action", "mfa-deny"}});  // wrong category
  add({{"host.name", "Farm-01"}});
  add({{"host.name", "farm-01"}});  // cased: no
  add({{"user_agent.original", "Python-Requests/2.31"}});
  add({{"user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"}});
  add({{"host.name", "dprk-07"}, {"user.name", "kim@MAIL.example"}});
  add({{"host.name", "dprk-07"}, {"user.name", "kim@corp.example"}});
  add({{"app.name", "AnyDesk1"}});
  add({{"app.name", "AnyDesk"}});  // glob needs one more character; `1 of` fires
  add({{"host.name", "ws-12"}});   // `x*`: the literal before a quantifier is optional
  add({{"host.name", "wsxx-12"}});
  add({{"host.name", "gamma-beta"}});
  add({{"host.name", "kvm-3"}});
  add({{"source.ip", "175.45.177.3"}});
  add({{"source.ip", "2001:db8::1"}});
  add({{"source.ip", "175.45.180.1"}});
  add({{"source.lists", "residential,KP_RANGES"}});
  add({{"event.duration_s", "32400"}, {"source.anonymous.vpn", "true"}});
  add({{"event.duration_s", "90000"}});
  add({{"event.category", "hr"}, {"hr.status", "terminated"}});
  add({{"event.category", "hr"}, {"hr.status", "active"}});
  add({{"user.name", "ROOT"}, {"host.serial", "S1"}});
  add({{"source.geo.country_iso_code", "KP"}, {"usb.vendor_id", "1209"}});
  add({{"app.name", "TeamViewer Host"}, {"usb.vendor_id", "1209"}});
  const std::vector<std::string> full = fired(set, events, false);
  const std::vector<std::string> indexed = fired(set, events, true);
  CHECK(indexed == full);
  // Every rule fires somewhere, so a rule the index wrongly skips shows up above.
  for (const RuleInfo& info : set.rules()) {
    INFO(info.title);
    CHECK(std::any_of(full.begin(), full.end(),
                      [&](const std::string& s) { return s.rfind(info.title + " @", 0) == 0; }));
  }
  // The benign look-alikes stay quiet (spot checks of the expectations above).
  CHECK(std::count(full.begin(), full.end(), "equals upper @" + std::to_string(2 * kSecond)) == 0);
  CHECK(std::count(full.begin(), full.end(), "equals cased @" + std::to_string(4 * kSecond)) == 0);
  CHECK(std::count(full.begin(), full.end(), "regex quantified @" + std::to_string(11 * kSecond)) ==
        1);
}
