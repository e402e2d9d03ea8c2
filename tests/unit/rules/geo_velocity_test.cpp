// x-geo_velocity: impossible travel between consecutive located events of one account.
#include <catch2/catch.hpp>

#include "rules_test_support.h"
#include "vetter/rules/codes.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

namespace {

const char* const kTravel = R"(title: Located sign-in
name: located_signin
detection:
  sel: {event.outcome: success}
  condition: sel
---
title: Impossible travel
correlation:
  type: x-geo_velocity
  rules: [located_signin]
  group-by: [user.name]
  timespan: 24h
  condition:
    speed_kmh: {gt: 900}
    distance_km: {gte: 500}
  ignore:
    - source.lists: corporate_egress
level: high
)";

model::Event at(const char* user, const char* lat, const char* lon, std::int64_t t,
                const char* accuracy = "0", const char* lists = "home") {
  return make_event({{"user.name", user},
                     {"event.outcome", "success"},
                     {"source.geo.location.lat", lat},
                     {"source.geo.location.lon", lon},
                     {"source.geo.accuracy_radius", accuracy},
                     {"source.lists", lists}},
                    t);
}

// New York and Moscow are about 7,500 km apart.
constexpr const char* kNyLat = "40.7128";
constexpr const char* kNyLon = "-74.0060";
constexpr const char* kMoLat = "55.7558";
constexpr const char* kMoLon = "37.6173";

}  // namespace

TEST_CASE("x-geo_velocity fires on impossible speed") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(kTravel, "geo.yml", {}, diags);
  INFO(dump(diags));
  REQUIRE(errors(diags) == 0);
  const std::vector<Hit> hits =
      run(set, {at("jdoe", kNyLat, kNyLon, 0), at("jdoe", kMoLat, kMoLon, 2 * kHour)});
  REQUIRE(hits.size() == 1);
  CHECK(hits[0].group_key == "user.name=jdoe");
  CHECK(hits[0].first_us == 0);
  CHECK(hits[0].last_us == 2 * kHour);
  REQUIRE(hits[0].evidence.size() == 2);
  CHECK_THAT(hits[0].evidence[1].summary, Catch::Contains("distance_km=75"));
  CHECK_THAT(hits[0].evidence[1].summary, Catch::Contains("speed_kmh=37"));
}

TEST_CASE("x-geo_velocity stays quiet for possible travel, GeoIP slack and ignored events") {
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(kTravel, "geo.yml", {}, diags);
  REQUIRE(errors(diags) == 0);
  // A 20-hour flight is possible.
  CHECK(run(set, {at("a", kNyLat, kNyLon, 0), at("a", kMoLat, kMoLon, 20 * kHour)}).empty());
  // Beyond the timespan the previous event is not compared.
  CHECK(run(set, {at("a", kNyLat, kNyLon, 0), at("a", kMoLat, kMoLon, 25 * kHour)}).empty());
  // Different accounts are different groups.
  CHECK(run(set, {at("a", kNyLat, kNyLon, 0), at("b", kMoLat, kMoLon, kHour)}).empty());
  // ~550 km in 5 minutes, but each fix is only good to 100 km: 350 km is under the minimum.
  CHECK(run(set, {at("a", "40.7128", "-74.0060", 0, "100"),
                  at("a", "44.0", "-70.0", 5 * 60 * kSecond, "100")})
            .empty());
  // Corporate egress says nothing about where the person is.
  CHECK(run(set,
            {at("a", kNyLat, kNyLon, 0), at("a", kMoLat, kMoLon, kHour, "0", "corporate_egress")})
            .empty());
  // Unlocated events are skipped, not treated as (0, 0).
  CHECK(run(set, {at("a", kNyLat, kNyLon, 0),
                  make_event({{"user.name", "a"}, {"event.outcome", "success"}}, kHour)})
            .empty());
}

TEST_CASE("x-geo_velocity mistakes") {
  model::CollectingDiagnostics diags;
  RuleSet::load_text(R"(title: Base
name: base
detection:
  sel: {event.outcome: success}
  condition: sel
---
title: Bad travel
correlation:
  type: x-geo_velocity
  rules: [base]
  group-by: [user.name]
  timespan: 1d
  location: {lat: source.geo.city_name}
  condition:
    distance_km: {gte: 500}
level: high
)",
                     "geo.yml", {}, diags);
  INFO(dump(diags));
  std::vector<std::string> wheres;
  for (const auto& d : diags.items()) {
    if (d.code == codes::kCorrelation) wheres.push_back(d.where);
  }
  CHECK(wheres == std::vector<std::string>{"geo.yml:13:19", "geo.yml:15:5"});
}
