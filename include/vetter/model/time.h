// Timestamps: parsing the forms sources use into UTC microseconds, and printing them back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vetter::model {

// RFC 3339 / ISO 8601: "2026-10-01T08:02:11Z", "…T08:02:11.123456+02:00", "2026-10-01 08:02:11"
// (no zone means UTC). nullopt for malformed text and impossible dates such as 2017-09-31.
std::optional<std::int64_t> parse_iso8601(std::string_view text);

// Days since 1970-01-01 for a civil date, and back (proleptic Gregorian; Hinnant's algorithm).
std::int64_t days_from_civil(int y, unsigned m, unsigned d);
bool valid_civil(int y, int m, int d);

// "2026-10-01T08:02:11Z", with ".ffffff" only when the microseconds are not zero.
std::string format_iso8601(std::int64_t time_us);

// Durations such as "30s", "15m", "24h", "7d" (Sigma timespan). nullopt when malformed.
std::optional<std::int64_t> parse_duration_us(std::string_view text);

}  // namespace vetter::model
