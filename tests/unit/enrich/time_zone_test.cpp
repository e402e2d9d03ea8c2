// The TZif reader and POSIX rules: DST changes, historical offsets, far-future footers.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>

#include "time_zone.h"
#include "vetter/model/time.h"

using namespace vetter;
using enrich::LocalTime;
using enrich::PosixRule;
using enrich::TimeZone;

namespace {

std::int64_t utc(const char* iso) {
  auto us = model::parse_iso8601(iso);
  REQUIRE(us);
  return *us / 1'000'000;
}

const TimeZone& zone(const char* name) {
  const TimeZone* z = enrich::find_time_zone(name);
  REQUIRE(z);
  return *z;
}

LocalTime local(const TimeZone& z, const char* iso) {
  const std::int64_t t = utc(iso);
  return enrich::local_time(t, z.utc_offset(t));
}

}  // namespace

TEST_CASE("America/New_York across the March DST change") {
  const TimeZone& ny = zone("America/New_York");
  // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT (07:00 UTC).
  CHECK(ny.utc_offset(utc("2026-03-08T06:59:59Z")) == -5 * 3600);
  CHECK(ny.utc_offset(utc("2026-03-08T07:00:00Z")) == -4 * 3600);
  CHECK(local(ny, "2026-03-08T06:59:59Z").hour == 1);
  CHECK(local(ny, "2026-03-08T07:00:00Z").hour == 3);
  CHECK(local(ny, "2026-03-08T07:00:00Z").weekday == 0);  // a Sunday
}

TEST_CASE("America/New_York across the November DST change") {
  const TimeZone& ny = zone("America/New_York");
  // 2026-11-01: 02:00 EDT becomes 01:00 EST (06:00 UTC); the hour 01:xx happens twice.
  CHECK(local(ny, "2026-11-01T05:30:00Z").hour == 1);
  CHECK(ny.utc_offset(utc("2026-11-01T05:59:59Z")) == -4 * 3600);
  CHECK(ny.utc_offset(utc("2026-11-01T06:00:00Z")) == -5 * 3600);
  CHECK(local(ny, "2026-11-01T06:30:00Z").hour == 1);
  CHECK(local(ny, "2026-11-01T07:00:00Z").hour == 2);
  // A summer and a winter afternoon.
  CHECK(local(ny, "2026-07-15T18:00:00Z").hour == 14);
  CHECK(local(ny, "2026-01-15T18:00:00Z").hour == 13);
}

TEST_CASE("times past the last listed transition use the footer rule") {
  const TimeZone& ny = zone("America/New_York");
  CHECK(ny.utc_offset(utc("2090-07-01T12:00:00Z")) == -4 * 3600);
  CHECK(ny.utc_offset(utc("2090-12-01T12:00:00Z")) == -5 * 3600);
  // 2090-03-12 is the second Sunday of March.
  CHECK(ny.utc_offset(utc("2090-03-12T06:59:59Z")) == -5 * 3600);
  CHECK(ny.utc_offset(utc("2090-03-12T07:00:00Z")) == -4 * 3600);
}

TEST_CASE("Asia/Pyongyang, including its 2015-2018 half-hour offset") {
  const TimeZone& pyongyang = zone("Asia/Pyongyang");
  const LocalTime morning = local(pyongyang, "2026-01-15T00:30:00Z");
  CHECK(morning.hour == 9);
  CHECK(morning.weekday == 4);  // Thursday
  const LocalTime next_day = local(pyongyang, "2026-01-15T20:00:00Z");
  CHECK(next_day.hour == 5);
  CHECK(next_day.weekday == 5);  // already Friday in Pyongyang
  CHECK(pyongyang.utc_offset(utc("2016-06-01T00:00:00Z")) == 8 * 3600 + 1800);
  CHECK(pyongyang.utc_offset(utc("2019-06-01T00:00:00Z")) == 9 * 3600);
}

TEST_CASE("southern hemisphere DST wraps the new year") {
  const TimeZone& sydney = zone("Australia/Sydney");
  CHECK(sydney.utc_offset(utc("2026-01-15T00:00:00Z")) == 11 * 3600);
  CHECK(sydney.utc_offset(utc("2026-07-15T00:00:00Z")) == 10 * 3600);
  CHECK(sydney.utc_offset(utc("2095-01-15T00:00:00Z")) == 11 * 3600);
  CHECK(sydney.utc_offset(utc("2095-07-15T00:00:00Z")) == 10 * 3600);
}

TEST_CASE("POSIX TZ rules") {
  auto us = PosixRule::parse("EST5EDT,M3.2.0,M11.1.0");
  REQUIRE(us);
  CHECK(us->utc_offset(utc("2026-03-08T06:59:59Z")) == -5 * 3600);
  CHECK(us->utc_offset(utc("2026-03-08T07:00:00Z")) == -4 * 3600);
  CHECK(us->utc_offset(utc("2026-11-01T05:59:59Z")) == -4 * 3600);
  CHECK(us->utc_offset(utc("2026-11-01T06:00:00Z")) == -5 * 3600);

  auto kst = PosixRule::parse("KST-9");
  REQUIRE(kst);
  CHECK(kst->utc_offset(0) == 9 * 3600);
  auto india = PosixRule::parse("IST-5:30");
  REQUIRE(india);
  CHECK(india->utc_offset(0) == 5 * 3600 + 1800);
  auto quoted = PosixRule::parse("<+0330>-3:30");
  REQUIRE(quoted);
  CHECK(quoted->utc_offset(0) == 3 * 3600 + 1800);
  // Julian days and RFC 8536 extended hours ("DST all year" in America/Godthab style rules).
  auto greenland = PosixRule::parse("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  REQUIRE(greenland);
  CHECK(greenland->utc_offset(utc("2026-07-01T00:00:00Z")) == -3600);
  CHECK(greenland->utc_offset(utc("2026-12-01T00:00:00Z")) == -2 * 3600);
  auto julian = PosixRule::parse("XST3XDT,J60/2,J300/2");
  REQUIRE(julian);
  CHECK(julian->utc_offset(utc("2026-06-01T00:00:00Z")) == -2 * 3600);

  for (const char* bad : {"", "E5", "EST", "EST5EDT,M3.2.0", "EST5EDT,M13.2.0,M11.1.0",
                          "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.2.0,M11.1.0junk", "EST99"}) {
    CAPTURE(bad);
    CHECK_FALSE(PosixRule::parse(bad));
  }
}

TEST_CASE("unknown, hostile and malformed zones are refused") {
  std::string error;
  CHECK_FALSE(TimeZone::load("Mars/Olympus_Mons", &error));
  CHECK_THAT(error, Catch::Contains("no such time zone"));
  CHECK_FALSE(TimeZone::load("../../etc/passwd", &error));
  CHECK(error == "not an IANA time zone name");
  CHECK_FALSE(TimeZone::load("/etc/passwd", &error));
  CHECK_FALSE(TimeZone::load("", &error));
  CHECK_FALSE(TimeZone::parse("TZif2", &error));
  CHECK_FALSE(
      TimeZone::parse("not a zone file at all, but long enough to hold a header.....", &error));
  CHECK(error == "not a TZif file");

  std::string first;
  CHECK_FALSE(enrich::find_time_zone("Nowhere/Land_A", &first));
  CHECK_FALSE(first.empty());
  CHECK_FALSE(enrich::find_time_zone("Nowhere/Land_A", &first));
  CHECK(first.empty());  // reported once
}

TEST_CASE("damaged TZif bytes are refused, not trusted") {
  std::ifstream in("/usr/share/zoneinfo/America/New_York", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(bytes.size() > 1000);
  std::string error;
  REQUIRE(TimeZone::parse(bytes, &error));

  CHECK_FALSE(TimeZone::parse(bytes.substr(0, bytes.size() / 2), &error));
  CHECK(error == "truncated TZif file");

  std::string no_footer = bytes.substr(0, bytes.rfind('\n', bytes.size() - 2));
  CHECK_FALSE(TimeZone::parse(no_footer, &error));

  std::string bad_footer = bytes;
  bad_footer.replace(bad_footer.rfind("EST5EDT"), 7, "E5EDT!!");
  CHECK_FALSE(TimeZone::parse(bad_footer, &error));
  CHECK_THAT(error, Catch::Contains("not a POSIX TZ string"));

  // typecnt (bytes 36-39 of the first header) = 0: a zone with no local time types.
  std::string no_types = bytes;
  no_types.replace(36, 4, std::string(4, '\0'));
  CHECK_FALSE(TimeZone::parse(no_types, &error));
  CHECK(error == "TZif header counts out of range");

  // timecnt (bytes 32-35) far beyond the file: refused before any allocation of that size.
  std::string huge = bytes;
  huge.replace(32, 4, std::string("\x7f\xff\xff\xff", 4));
  CHECK_FALSE(TimeZone::parse(huge, &error));
}

TEST_CASE("UTC and zones with no transitions") {
  CHECK(zone("UTC").utc_offset(utc("2026-05-05T05:05:05Z")) == 0);
  CHECK(zone("Etc/GMT-14").utc_offset(0) == 14 * 3600);
  const LocalTime before_epoch = enrich::local_time(-1, 0);
  CHECK(before_epoch.hour == 23);
  CHECK(before_epoch.weekday == 3);  // 1969-12-31 was a Wednesday
}
