// Timestamp parsing honours zones and rejects impossible dates.
#include <catch2/catch.hpp>

#include "vetter/model/time.h"

using namespace vetter::model;

TEST_CASE("ISO 8601 with zones becomes UTC") {
  auto z = parse_iso8601("2026-10-01T08:02:11Z");
  REQUIRE(z);
  CHECK(format_iso8601(*z) == "2026-10-01T08:02:11Z");
  auto plus = parse_iso8601("2026-10-01T10:02:11+02:00");
  REQUIRE(plus);
  CHECK(*plus == *z);
  auto minus = parse_iso8601("2026-10-01T03:02:11-0500");
  REQUIRE(minus);
  CHECK(*minus == *z);
  auto frac = parse_iso8601("2019-10-18T09:45:48.0729893Z");
  REQUIRE(frac);
  CHECK(format_iso8601(*frac) == "2019-10-18T09:45:48.072989Z");
  CHECK(parse_iso8601("2026-10-01 08:02:11") == z);
  CHECK(*parse_iso8601("1970-01-01T00:00:00Z") == 0);
}

TEST_CASE("impossible and malformed timestamps are rejected") {
  CHECK_FALSE(parse_iso8601("2017-09-31T22:23:07.777Z"));  // Okta's own doc example
  CHECK_FALSE(parse_iso8601("2025-02-29T00:00:00Z"));
  CHECK(parse_iso8601("2024-02-29T00:00:00Z"));
  CHECK_FALSE(parse_iso8601("2026-13-01T00:00:00Z"));
  CHECK_FALSE(parse_iso8601("2026-10-01T24:00:00Z"));
  CHECK_FALSE(parse_iso8601("2026-10-01T08:02:11Zjunk"));
  CHECK_FALSE(parse_iso8601("not a time"));
  CHECK_FALSE(parse_iso8601(""));
}

TEST_CASE("durations") {
  CHECK(parse_duration_us("30s") == 30'000'000);
  CHECK(parse_duration_us("24h") == 24LL * 3600 * 1'000'000);
  CHECK(parse_duration_us("7d") == 7LL * 86400 * 1'000'000);
  CHECK_FALSE(parse_duration_us("7"));
  CHECK_FALSE(parse_duration_us("h"));
  CHECK_FALSE(parse_duration_us("-1h"));
  CHECK_FALSE(parse_duration_us("3y"));
}
