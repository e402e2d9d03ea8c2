// Scoring: noisy-OR over family maxima, corroboration, decay, ranking, clusters.
#include <catch2/catch.hpp>

#include "vetter/score/score.h"

using namespace vetter;

namespace {

rules::RuleInfo rule(std::string title, double points, std::string family = {},
                     bool decisive = false) {
  rules::RuleInfo r;
  r.id = title;
  r.title = std::move(title);
  r.points = points;
  r.family = std::move(family);  // empty: the rule is its own family
  r.decisive = decisive;
  return r;
}

rules::Hit hit(const rules::RuleInfo& r, std::vector<std::string> accounts, std::int64_t t,
               std::string key = {}) {
  rules::Hit h;
  h.rule = &r;
  h.accounts = std::move(accounts);
  h.first_us = h.last_us = t;
  h.group_key = std::move(key);
  return h;
}

const auto kAllInHr = [](std::string_view) { return true; };

}  // namespace

TEST_CASE("noisy-OR combines independent rules") {
  CHECK(score::combine({}) == Approx(0));
  CHECK(score::combine({60}) == Approx(60));
  CHECK(score::combine({60, 35}) == Approx(74));  // 1 - 0.4*0.65
  CHECK(score::combine({100, 15}) == Approx(100));
  CHECK(score::combine({150}) == Approx(100));  // clamped
}

TEST_CASE("one rule firing many times counts once; three rules outweigh it") {
  auto noisy = rule("noisy", 35);
  auto a = rule("a", 35), b = rule("b", 35), c = rule("c", 35);
  std::vector<rules::Hit> hits;
  for (int i = 0; i < 500; ++i)
    hits.push_back(hit(noisy, {"loud@corp"}, i));
  hits.push_back(hit(a, {"quiet@corp"}, 1));
  hits.push_back(hit(b, {"quiet@corp"}, 2));
  hits.push_back(hit(c, {"quiet@corp"}, 3));
  auto result = score::score_accounts(hits, {.threshold = 50}, kAllInHr);
  REQUIRE(result.accounts.size() == 2);
  CHECK(result.accounts[0].account == "quiet@corp");
  CHECK(result.accounts[0].score == Approx(100 * (1 - 0.65 * 0.65 * 0.65)));
  CHECK(result.accounts[1].account == "loud@corp");
  CHECK(result.accounts[1].score == Approx(17.5));  // one family: half its points
  CHECK_FALSE(result.accounts[1].flagged);
  CHECK(result.accounts[1].contributions[0].hit_count == 500);
  CHECK(result.accounts[1].contributions[0].hits.size() == 5);  // evidence is capped
  CHECK(result.accounts[1].contributions[0].first_us == 0);
  CHECK(result.accounts[1].contributions[0].last_us == 499);
  CHECK(result.flagged() == 1);
}

TEST_CASE("correlations on a shared key form clusters") {
  auto farm = rule("shared ip", 60);
  auto vpn = rule("vpn", 60);
  std::vector<rules::Hit> hits{
      hit(farm, {"a@corp", "b@corp", "c@corp"}, 10, "source.ip=203.0.113.7"),
      hit(farm, {"c@corp", "d@corp", "e@corp"}, 20, "source.ip=192.0.2.9"),
      hit(vpn, {"a@corp"}, 30), hit(vpn, {"x@corp"}, 30),  // a single account never makes a cluster
  };
  auto result = score::score_accounts(hits, {}, [](std::string_view a) { return a != "e@corp"; });
  REQUIRE(result.clusters.size() == 1);
  CHECK(result.clusters[0].accounts ==
        std::vector<std::string>{"a@corp", "b@corp", "c@corp", "d@corp", "e@corp"});
  CHECK(result.clusters[0].keys ==
        std::vector<std::string>{"source.ip=192.0.2.9", "source.ip=203.0.113.7"});
  CHECK(result.clusters[0].max_score == Approx(84));
  for (const auto& a : result.accounts) {
    CHECK(a.cluster.has_value() == (a.account != "x@corp"));
    CHECK(a.in_hr == (a.account != "e@corp"));
  }
  CHECK(result.accounts[0].account == "a@corp");
}

TEST_CASE("the accumulator gives what score_accounts gives, keeping only evidence hits") {
  auto farm = rule("shared ip", 60);
  auto vpn = rule("vpn", 35);
  std::vector<rules::Hit> hits{
      hit(farm, {"a@corp", "b@corp"}, 10, "source.ip=203.0.113.7"),
      hit(farm, {"c@corp", "b@corp"}, 20, "source.ip=203.0.113.7"),  // c joins through b
  };
  for (int i = 0; i < 1000; ++i)
    hits.push_back(hit(vpn, {"a@corp"}, 100 + i));
  auto expected = score::score_accounts(hits, {}, kAllInHr);
  score::Accumulator acc;
  {
    std::vector<rules::Hit> copy = hits;  // the accumulator must not need the originals
    for (const auto& h : copy)
      acc.add(h);
  }
  auto got = acc.finish(kAllInHr);
  REQUIRE(got.accounts.size() == expected.accounts.size());
  for (std::size_t i = 0; i < got.accounts.size(); ++i) {
    CHECK(got.accounts[i].account == expected.accounts[i].account);
    CHECK(got.accounts[i].score == Approx(expected.accounts[i].score));
    REQUIRE(got.accounts[i].contributions.size() == expected.accounts[i].contributions.size());
    for (std::size_t j = 0; j < got.accounts[i].contributions.size(); ++j) {
      const auto& g = got.accounts[i].contributions[j];
      CHECK(g.hit_count == expected.accounts[i].contributions[j].hit_count);
      REQUIRE(g.hits.size() == expected.accounts[i].contributions[j].hits.size());
      for (std::size_t k = 0; k < g.hits.size(); ++k)
        CHECK(g.hits[k]->first_us == expected.accounts[i].contributions[j].hits[k]->first_us);
    }
  }
  REQUIRE(got.clusters.size() == 1);
  CHECK(got.clusters[0].accounts == std::vector<std::string>{"a@corp", "b@corp", "c@corp"});
  CHECK(got.accounts[1].account == "b@corp");
  CHECK(got.accounts[1].contributions[0].hit_count == 2);  // b is in both farm hits
  CHECK(got.accounts[0].contributions[1].hit_count == 1000);
}

TEST_CASE("two rules of one family count once: the stronger") {
  auto impossible = rule("impossible travel", 40, "travel");
  auto two_countries = rule("two countries in an hour", 40, "travel");
  auto night = rule("night", 30, "timing");
  std::vector<rules::Hit> hits{hit(impossible, {"t@corp"}, 1), hit(two_countries, {"t@corp"}, 2),
                               hit(night, {"t@corp"}, 3)};
  auto result = score::score_accounts(hits, {.threshold = 50}, kAllInHr);
  REQUIRE(result.accounts.size() == 1);
  const auto& a = result.accounts[0];
  CHECK(a.score == Approx(100 * (1 - 0.6 * 0.7)));  // 58, not 1 - 0.6*0.6*0.7 = 74.8
  CHECK(a.corroborated);
  CHECK(a.flagged);
  REQUIRE(a.families.size() == 2);
  CHECK(a.families[0].family == "travel");
  CHECK(a.families[1].family == "timing");
  REQUIRE(a.contributions.size() == 3);
  // Counted ones first; the travel rule that lost the tie on title is listed, not counted.
  CHECK(a.contributions[0].counted);
  CHECK(a.contributions[1].counted);
  CHECK_FALSE(a.contributions[2].counted);
  CHECK(a.contributions[2].rule->family == "travel");
  CHECK(a.verdict.find("2 independent families") != std::string::npos);
}

TEST_CASE("one family is not a flag however strong; a decisive rule is") {
  auto tools = rule("two remote-access tools", 45, "remote-access");
  auto tool = rule("a remote-access tool", 15, "remote-access");
  auto farm_ip = rule("shared residential ip", 100, "shared-infrastructure");
  auto kvm = rule("ip-kvm", 75, "device", /*decisive=*/true);
  std::vector<rules::Hit> hits{hit(tools, {"admin@corp"}, 1), hit(tool, {"admin@corp"}, 1),
                               hit(farm_ip, {"cgnat@corp"}, 2), hit(kvm, {"kvm@corp"}, 3)};
  auto result = score::score_accounts(hits, {.threshold = 50}, kAllInHr);
  REQUIRE(result.accounts.size() == 3);
  CHECK(result.accounts[0].account == "kvm@corp");  // flagged accounts lead
  CHECK(result.accounts[0].flagged);
  CHECK(result.accounts[0].score == Approx(75));
  CHECK(result.accounts[0].verdict.find("decisive") != std::string::npos);
  CHECK(result.accounts[1].account == "cgnat@corp");
  CHECK(result.accounts[1].score == Approx(50));  // 100 halved reaches 50 ...
  CHECK_FALSE(result.accounts[1].flagged);        // ... but is not corroborated
  CHECK(result.accounts[1].verdict.find("one family only") != std::string::npos);
  CHECK(result.accounts[2].account == "admin@corp");
  CHECK(result.accounts[2].score == Approx(22.5));
  CHECK(result.flagged() == 1);
}

TEST_CASE("x-score.decay_half_life halves points per half-life before the end of the data") {
  constexpr std::int64_t kDay = 86'400'000'000;
  CHECK(score::decayed(60, 0, 0, 100 * kDay) == Approx(60));         // no half-life: no decay
  CHECK(score::decayed(60, 14 * kDay, 0, 14 * kDay) == Approx(30));  // one half-life
  CHECK(score::decayed(60, 14 * kDay, 0, 28 * kDay) == Approx(15));  // two
  CHECK(score::decayed(60, 14 * kDay, 20 * kDay, 10 * kDay) == Approx(60));  // after the end
  auto old_vpn = rule("old", 60, "anonymizer");
  old_vpn.decay_half_life_us = 7 * kDay;
  auto geo = rule("geo", 60, "geo");
  std::vector<rules::Hit> hits{hit(old_vpn, {"a@corp"}, 0), hit(geo, {"a@corp"}, 21 * kDay)};
  auto result = score::score_accounts(hits, {.threshold = 50}, kAllInHr, 21 * kDay);
  REQUIRE(result.accounts.size() == 1);
  const auto& a = result.accounts[0];
  CHECK(a.score == Approx(100 * (1 - 0.4 * (1 - 0.075))));  // 60 decayed three halvings: 7.5
  const auto& old = a.contributions[1].rule == &old_vpn ? a.contributions[1] : a.contributions[0];
  CHECK(old.base_points == Approx(60));
  CHECK(old.points == Approx(7.5));
}

TEST_CASE("a low second family adds to the score but does not corroborate a flag") {
  auto ship = rule("shared ship-to", 70, "shipping");
  auto tool = rule("a remote-access tool", 15, "remote-access");
  auto night = rule("night work", 30, "timing");
  std::vector<rules::Hit> hits{hit(ship, {"pickup@corp"}, 1), hit(tool, {"pickup@corp"}, 2),
                               hit(ship, {"farm@corp"}, 1), hit(night, {"farm@corp"}, 2)};
  auto result = score::score_accounts(hits, {.threshold = 50}, kAllInHr);
  REQUIRE(result.accounts.size() == 2);
  CHECK(result.accounts[0].account == "farm@corp");
  CHECK(result.accounts[0].flagged);  // 70 and 30: two families of 25 points or more
  const auto& pickup = result.accounts[1];
  CHECK(pickup.score == Approx(100 * (1 - 0.3 * 0.85)));  // two families: not halved
  CHECK_FALSE(pickup.corroborated);
  CHECK_FALSE(pickup.flagged);
  CHECK(pickup.verdict.find("1 of at least 25 points") != std::string::npos);
}
