// IANA time zones from the system's TZif files (g++ 12 has no std::chrono zones): UTC offsets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vetter::model {

// A POSIX TZ rule such as "EST5EDT,M3.2.0,M11.1.0" (a TZif footer), for times after the last
// transition a TZif file lists.
class PosixRule {
 public:
  // nullopt when `text` is not a POSIX TZ string with the RFC 8536 extensions.
  static std::optional<PosixRule> parse(std::string_view text);
  // Seconds east of UTC at `utc_seconds`.
  std::int32_t utc_offset(std::int64_t utc_seconds) const;

  // A rule's "Jn", "n" or "Mm.w.d" day plus the time of day it switches at (seconds).
  struct When {
    enum class Kind { kJulian1, kJulian0, kMonthWeekDay } kind = Kind::kMonthWeekDay;
    int day = 0, month = 0, week = 0, weekday = 0;
    std::int32_t time = 7200;
  };

 private:
  std::int32_t std_offset_ = 0;  // seconds east of UTC
  std::optional<std::int32_t> dst_offset_;
  When start_, end_;
};

class TimeZone {
 public:
  // Parses the bytes of a TZif file (RFC 8536, versions 1-4). nullopt, with `error` set, when
  // they are malformed.
  static std::optional<TimeZone> parse(std::string_view bytes, std::string* error);
  // Reads `name` ("America/New_York") from $TZDIR or /usr/share/zoneinfo. nullopt, with `error`
  // set, for a malformed name, a missing zone or a bad file.
  static std::optional<TimeZone> load(std::string_view name, std::string* error);

  // Seconds east of UTC at `utc_seconds`; DST-aware.
  std::int32_t utc_offset(std::int64_t utc_seconds) const;
  // The UTC instant of a wall-clock time in this zone (`local_seconds`: the wall clock read as if
  // it were UTC). Vendor logs that print local time without an offset are ambiguous twice a year:
  // - in the overlap (the clock falls back, 01:30 happens twice) the earlier instant is taken,
  //   i.e. the offset before the change (daylight time);
  // - in the gap (the clock springs forward, 02:30 never happens) the time is read with the
  //   offset before the gap, so it lands after it as the same distance past the change
  //   (02:30 -> 03:30 daylight time), as POSIX mktime and java.time do.
  std::int64_t to_utc(std::int64_t local_seconds) const;

 private:
  std::vector<std::int64_t> transitions_;   // UTC seconds, ascending
  std::vector<std::int32_t> offset_after_;  // offset in force from transitions_[i] on
  std::int32_t initial_offset_ = 0;         // before the first transition
  std::optional<PosixRule> footer_;         // after the last transition (v2+)
};

// Process-wide, thread-safe registry: each zone is read from disk once and lives until exit.
// Returns nullptr for an unknown zone. `first_error` (when given) is set to the reason only the
// first time a given name fails, and cleared otherwise, so the caller warns once per name.
const TimeZone* find_time_zone(std::string_view name, std::string* first_error = nullptr);

// Local wall-clock hour (0-23) and weekday (0 = Sunday) of a UTC instant at a fixed offset.
struct LocalTime {
  int hour = 0;
  int weekday = 0;
};
LocalTime local_time(std::int64_t utc_seconds, std::int32_t utc_offset);

}  // namespace vetter::model
