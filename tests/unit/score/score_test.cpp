// Scoring: noisy-OR over per-rule maxima, ranking, clusters from shared-key correlations.
#include <catch2/catch.hpp>

#include "vetter/score/score.h"

using namespace vetter;

namespace {

rules::RuleInfo rule(std::string title, double points) {
  rules::RuleInfo r;
  r.id = title;
  r.title = std::move(title);
  r.points = points;
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
  CHECK(result.accounts[1].score == Approx(35));
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
