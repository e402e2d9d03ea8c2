// Timestamps, UTC offsets and durations in the texts vendors write: ISO 8601, dates, epochs,
// strftime-like patterns (%Y %m %d %e %H %M %S %f %b %z %%) and "1d 2h:03m:04s" durations.
#include "mapping.h"

#include <cctype>
#include <chrono>

#include "vetter/model/time.h"

namespace vetter::sources {
namespace {

// Reads 1..max digits; the strftime patterns vendors use pad inconsistently ("Oct  1", "Oct 01").
bool read_digits(std::string_view text, std::size_t& i, std::size_t max, int& out) {
  std::size_t start = i;
  out = 0;
  while (i < text.size() && i - start < max && std::isdigit(static_cast<unsigned char>(text[i]))) {
    out = out * 10 + (text[i] - '0');
    ++i;
  }
  return i > start;
}

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};

std::optional<std::int64_t> parse_pattern(std::string_view text, std::string_view pat) {
  int year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  bool have_year = false;
  std::int64_t micros = 0, offset_s = 0;
  std::size_t i = 0;
  for (std::size_t p = 0; p < pat.size(); ++p) {
    char c = pat[p];
    if (c == '%' && p + 1 < pat.size()) {
      char f = pat[++p];
      switch (f) {
        case 'Y':
          if (!read_digits(text, i, 4, year)) return std::nullopt;
          have_year = true;
          break;
        case 'm':
          if (!read_digits(text, i, 2, month)) return std::nullopt;
          break;
        case 'e':
          while (i < text.size() && text[i] == ' ')
            ++i;
          [[fallthrough]];
        case 'd':
          if (!read_digits(text, i, 2, day)) return std::nullopt;
          break;
        case 'H':
          if (!read_digits(text, i, 2, hour)) return std::nullopt;
          break;
        case 'M':
          if (!read_digits(text, i, 2, minute)) return std::nullopt;
          break;
        case 'S':
          if (!read_digits(text, i, 2, second)) return std::nullopt;
          break;
        case 'f': {
          int digits = 0;
          micros = 0;
          while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            if (digits < 6) micros = micros * 10 + (text[i] - '0');
            ++digits;
            ++i;
          }
          if (digits == 0) return std::nullopt;
          for (int k = digits; k < 6; ++k)
            micros *= 10;
          break;
        }
        case 'b': {
          if (i + 3 > text.size()) return std::nullopt;
          month = 0;
          char abbr[3];
          for (int k = 0; k < 3; ++k)
            abbr[k] = static_cast<char>(text[i + k] | 0x20);  // ASCII lower case; digits miss
          for (int m = 0; m < 12 && month == 0; ++m) {
            if (std::string_view(abbr, 3) == kMonths[m]) month = m + 1;
          }
          if (month == 0) return std::nullopt;
          i += 3;
          while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
            ++i;
          break;
        }
        case 'z': {
          if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
            ++i;
            break;
          }
          if (i >= text.size() || (text[i] != '+' && text[i] != '-')) return std::nullopt;
          const int sign = text[i++] == '-' ? -1 : 1;
          int oh = 0, om = 0;
          std::size_t before = i;
          if (!read_digits(text, i, 2, oh) || i - before != 2) return std::nullopt;
          if (i < text.size() && text[i] == ':') ++i;
          before = i;
          if (read_digits(text, i, 2, om) && i - before != 2) return std::nullopt;
          if (oh > 23 || om > 59) return std::nullopt;
          offset_s = sign * (oh * 3600 + om * 60);
          break;
        }
        case '%':
          if (i >= text.size() || text[i] != '%') return std::nullopt;
          ++i;
          break;
        default:
          return std::nullopt;  // rejected at load time; kept for safety
      }
    } else if (c == ' ') {
      while (i < text.size() && text[i] == ' ')
        ++i;
    } else {
      if (i >= text.size() || text[i] != c) return std::nullopt;
      ++i;
    }
  }
  if (i != text.size()) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  if (!have_year) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    // Classic syslog has no year: take the current one, or the previous one when that would put
    // the event more than a day in the future (December logs read in January).
    const std::int64_t days = now / 86400;
    year = 1970 + static_cast<int>(days / 366);
    while (model::days_from_civil(year + 1, 1, 1) <= days)
      ++year;
    if (model::valid_civil(year, month, day)) {
      std::int64_t t =
          model::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
              86400 +
          hour * 3600 + minute * 60 + second - offset_s;
      if (t > now + 86400) --year;
    } else {
      --year;  // Feb 29 in a non-leap current year belongs to an earlier year
    }
  }
  if (!model::valid_civil(year, month, day)) return std::nullopt;
  std::int64_t secs =
      model::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
          86400 +
      hour * 3600 + minute * 60 + second - offset_s;
  return secs * 1'000'000 + micros;
}

}  // namespace

namespace {

// `local_us` read as wall-clock time in `zone`.
std::int64_t zoned(std::int64_t local_us, const model::TimeZone& zone) {
  const std::int64_t secs = local_us >= 0 ? local_us / 1'000'000 : (local_us - 999'999) / 1'000'000;
  return zone.to_utc(secs) * 1'000'000 + (local_us - secs * 1'000'000);
}

// ISO 8601 text with Z or a +hh:mm / -hhmm offset after its time of day.
bool has_offset(std::string_view text) {
  if (text.size() <= 10) return false;
  const char last = text.back();
  if (last == 'Z' || last == 'z') return true;
  return text.find_first_of("+-", 10) != std::string_view::npos;
}

}  // namespace

std::optional<std::int64_t> parse_utc_offset_s(std::string_view text) {
  if (text == "Z" || text == "z") return 0;
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const auto digits = [&](std::size_t at) -> int {
    if (at + 1 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at])) ||
        !std::isdigit(static_cast<unsigned char>(text[at + 1]))) {
      return -1;
    }
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  const int hours = digits(1);
  int minutes = 0;
  if (text.size() == 5) {
    minutes = digits(3);  // +hhmm
  } else if (text.size() == 6 && text[3] == ':') {
    minutes = digits(4);  // +hh:mm
  } else if (text.size() != 3) {
    return std::nullopt;
  }
  if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 14 * 60)
    return std::nullopt;
  const std::int64_t seconds = (hours * 60 + minutes) * 60;
  return text[0] == '-' ? -seconds : seconds;
}

std::optional<std::int64_t> parse_time(std::string_view text, const TimeFormat& format,
                                       const model::TimeZone* zone) {
  switch (format.kind) {
    case TimeKind::kIso8601: {
      std::optional<std::int64_t> t = model::parse_iso8601(text);
      if (t && zone != nullptr && !has_offset(text)) return zoned(*t, *zone);
      return t;
    }
    case TimeKind::kDate: {
      if (text.size() != 10) return std::nullopt;
      std::string full(text);
      full += "T00:00:00Z";
      return model::parse_iso8601(full);
    }
    case TimeKind::kEpochS:
    case TimeKind::kEpochMs:
    case TimeKind::kEpochUs:
    case TimeKind::kEpochNs: {
      static constexpr std::int64_t kPerUnit[] = {1'000'000, 1'000, 1, 0};
      const auto unit =
          static_cast<std::size_t>(format.kind) - static_cast<std::size_t>(TimeKind::kEpochS);
      std::int64_t n = 0;
      if (parse_number(text, n)) {
        if (n < 0) return std::nullopt;
        if (format.kind == TimeKind::kEpochNs) return n / 1000;
        if (n > INT64_MAX / kPerUnit[unit]) return std::nullopt;
        return n * kPerUnit[unit];
      }
      double d = 0;
      if (format.kind == TimeKind::kEpochS && parse_double(text, d) && d >= 0 && d < 1e11) {
        return static_cast<std::int64_t>(d * 1e6);
      }
      return std::nullopt;
    }
    case TimeKind::kEpoch: {
      // The unit follows from the magnitude: 10 digits are seconds until 2286, 13 milliseconds,
      // 16 microseconds, 19 nanoseconds (FortiGate's eventtime changed unit between releases).
      std::int64_t n = 0;
      if (!parse_number(text, n) || n < 0) return std::nullopt;
      if (n < 100'000'000'000LL) return n * 1'000'000;
      if (n < 100'000'000'000'000LL) return n * 1'000;
      if (n < 100'000'000'000'000'000LL) return n;
      return n / 1'000;
    }
    case TimeKind::kPattern: {
      std::optional<std::int64_t> t = parse_pattern(text, format.pattern);
      if (t && zone != nullptr && format.pattern.find("%z") == std::string::npos)
        return zoned(*t, *zone);
      return t;
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_duration_s(std::string_view text) {
  std::int64_t total = 0;
  std::int64_t colon_parts[3] = {0, 0, 0};
  int colon_count = 0;
  bool any = false;
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == ' ' || c == ':' || c == ',') {
      ++i;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    std::int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (n > 1'000'000'000'000LL) return std::nullopt;
      n = n * 10 + (text[i++] - '0');
    }
    any = true;
    char unit = i < text.size()
                    ? static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])))
                    : '\0';
    switch (unit) {
      case 'd':
        total += n * 86400;
        ++i;
        break;
      case 'h':
        total += n * 3600;
        ++i;
        break;
      case 'm':
        total += n * 60;
        ++i;
        break;
      case 's':
        total += n;
        ++i;
        break;
      default:
        // Bare numbers: "3600", or "01:02:03" read as h:m:s.
        if (colon_count == 3) return std::nullopt;
        colon_parts[colon_count++] = n;
        break;
    }
  }
  if (!any) return std::nullopt;
  static constexpr std::int64_t kScale[3][3] = {{1, 0, 0}, {60, 1, 0}, {3600, 60, 1}};
  if (colon_count > 0) {
    for (int k = 0; k < colon_count; ++k)
      total += colon_parts[k] * kScale[colon_count - 1][k];
  }
  return total;
}

}  // namespace vetter::sources
