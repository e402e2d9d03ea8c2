// A small TZif (RFC 8536) reader and POSIX TZ rule evaluator, so local hours are DST-correct
// without std::chrono::tzdb (missing from libstdc++ 12). In model because both enrich (local
// hours of a login) and sources (vendor wall-clock timestamps) need it.
#include "vetter/model/time_zone.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "vetter/model/time.h"

namespace vetter::model {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::size_t kMaxTzifBytes = 1 << 20;  // real zone files are a few KiB
constexpr std::size_t kMaxZoneNameLength = 255;
constexpr const char* kDefaultZoneDir = "/usr/share/zoneinfo";

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int weekday_of(std::int64_t days) {  // 1970-01-01 was a Thursday (4)
  return static_cast<int>(((days + 4) % 7 + 7) % 7);
}

bool is_leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// The proleptic Gregorian year holding `days` since the epoch (only the year is needed here).
std::int64_t year_of(std::int64_t days) {
  std::int64_t y = 1970 + floor_div(days * 400, 146097);  // estimate, then correct by one
  while (model::days_from_civil(static_cast<int>(y), 1, 1) > days)
    --y;
  while (model::days_from_civil(static_cast<int>(y + 1), 1, 1) <= days)
    ++y;
  return y;
}

// --- TZif byte reading -------------------------------------------------------------------------

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool has(std::size_t n) const { return bytes_.size() - pos_ >= n; }
  std::size_t pos() const { return pos_; }
  void skip(std::size_t n) { pos_ += n; }
  std::uint8_t u8() { return static_cast<std::uint8_t>(bytes_[pos_++]); }
  std::int32_t be32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
      v = (v << 8) | u8();
    return static_cast<std::int32_t>(v);
  }
  std::int64_t be64() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i)
      v = (v << 8) | u8();
    return static_cast<std::int64_t>(v);
  }
  std::string_view rest() const { return bytes_.substr(pos_); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

struct Header {
  char version = 0;
  std::uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;

  std::size_t data_size(std::size_t time_size) const {
    return timecnt * time_size + timecnt + typecnt * 6 + charcnt + leapcnt * (time_size + 4) +
           isstdcnt + isutcnt;
  }
};

bool read_header(Reader& r, Header& h, std::string* error) {
  if (!r.has(44) || r.rest().substr(0, 4) != "TZif") {
    *error = "not a TZif file";
    return false;
  }
  r.skip(4);
  h.version = static_cast<char>(r.u8());
  r.skip(15);
  h.isutcnt = static_cast<std::uint32_t>(r.be32());
  h.isstdcnt = static_cast<std::uint32_t>(r.be32());
  h.leapcnt = static_cast<std::uint32_t>(r.be32());
  h.timecnt = static_cast<std::uint32_t>(r.be32());
  h.typecnt = static_cast<std::uint32_t>(r.be32());
  h.charcnt = static_cast<std::uint32_t>(r.be32());
  // Caps from RFC 8536 section 3.2 keep a hostile file from asking for huge reads.
  if (h.typecnt == 0 || h.typecnt > 256 || h.timecnt > (1u << 20) || h.leapcnt > (1u << 16) ||
      h.charcnt > (1u << 16) || h.isutcnt > h.typecnt || h.isstdcnt > h.typecnt) {
    *error = "TZif header counts out of range";
    return false;
  }
  return true;
}

// --- POSIX TZ strings --------------------------------------------------------------------------

class TzText {
 public:
  explicit TzText(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }

  // A zone abbreviation: "<+09>" or at least three letters.
  bool name() {
    if (eat('<')) {
      const auto close = s_.find('>', i_);
      if (close == std::string_view::npos || close - i_ < 3) return false;
      i_ = close + 1;
      return true;
    }
    std::size_t n = 0;
    while (!done() && ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z'))) {
      ++i_;
      ++n;
    }
    return n >= 3;
  }

  // [+-]hh[:mm[:ss]] in seconds; hours up to `max_hours`.
  std::optional<std::int32_t> hms(int max_hours) {
    int sign = 1;
    if (eat('-')) {
      sign = -1;
    } else {
      eat('+');
    }
    auto h = number(3);
    if (!h || *h > max_hours) return std::nullopt;
    std::int32_t total = *h * 3600;
    if (eat(':')) {
      auto m = number(2);
      if (!m || *m > 59) return std::nullopt;
      total += *m * 60;
      if (eat(':')) {
        auto sec = number(2);
        if (!sec || *sec > 59) return std::nullopt;
        total += *sec;
      }
    }
    return sign * total;
  }

  std::optional<int> number(int max_digits) {
    int value = 0, digits = 0;
    while (!done() && peek() >= '0' && peek() <= '9' && digits < max_digits) {
      value = value * 10 + (s_[i_++] - '0');
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    return value;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<PosixRule::When> parse_when(TzText& t) {
  using Kind = PosixRule::When::Kind;
  PosixRule::When w;
  if (t.eat('J')) {
    auto n = t.number(3);
    if (!n || *n < 1 || *n > 365) return std::nullopt;
    w.kind = Kind::kJulian1;
    w.day = *n;
  } else if (t.eat('M')) {
    auto m = t.number(2);
    if (!m || *m < 1 || *m > 12 || !t.eat('.')) return std::nullopt;
    auto wk = t.number(1);
    if (!wk || *wk < 1 || *wk > 5 || !t.eat('.')) return std::nullopt;
    auto d = t.number(1);
    if (!d || *d > 6) return std::nullopt;
    w.kind = Kind::kMonthWeekDay;
    w.month = *m;
    w.week = *wk;
    w.weekday = *d;
  } else {
    auto n = t.number(3);
    if (!n || *n > 365) return std::nullopt;
    w.kind = Kind::kJulian0;
    w.day = *n;
  }
  if (t.eat('/')) {
    // RFC 8536 extends the time to -167..167 hours (e.g. "M3.2.0/-1" or "J365/25").
    auto time = t.hms(167);
    if (!time) return std::nullopt;
    w.time = *time;
  }
  return w;
}

// Days since the epoch of the day a rule names in year `y`.
std::int64_t day_of(const PosixRule::When& w, std::int64_t y) {
  using Kind = PosixRule::When::Kind;
  const int year = static_cast<int>(y);
  const std::int64_t jan1 = model::days_from_civil(year, 1, 1);
  switch (w.kind) {
    case Kind::kJulian1:  // 1-365, February 29 never counted
      return jan1 + w.day - 1 + ((is_leap(y) && w.day >= 60) ? 1 : 0);
    case Kind::kJulian0:  // 0-365, February 29 counted
      return jan1 + w.day;
    case Kind::kMonthWeekDay: {
      const auto month = static_cast<unsigned>(w.month);
      const std::int64_t first = model::days_from_civil(year, month, 1);
      const std::int64_t next = month == 12 ? model::days_from_civil(year + 1, 1, 1)
                                            : model::days_from_civil(year, month + 1, 1);
      std::int64_t day = first + (w.weekday - weekday_of(first) + 7) % 7 + (w.week - 1) * 7;
      while (day >= next)
        day -= 7;  // week 5 means "the last such weekday"
      return day;
    }
  }
  return jan1;
}

}  // namespace

std::optional<PosixRule> PosixRule::parse(std::string_view text) {
  TzText t(text);
  PosixRule rule;
  if (!t.name()) return std::nullopt;
  auto std_west = t.hms(24);
  if (!std_west) return std::nullopt;
  rule.std_offset_ = -*std_west;  // POSIX counts hours west of Greenwich
  if (t.done()) return rule;
  if (!t.name()) return std::nullopt;
  rule.dst_offset_ = rule.std_offset_ + 3600;
  if (t.peek() != ',' && !t.done()) {
    auto dst_west = t.hms(24);
    if (!dst_west) return std::nullopt;
    rule.dst_offset_ = -*dst_west;
  }
  if (t.done()) {
    // No rule given: POSIX leaves it to the implementation; the US rule is the usual default.
    rule.start_ = When{When::Kind::kMonthWeekDay, 0, 3, 2, 0, 7200};
    rule.end_ = When{When::Kind::kMonthWeekDay, 0, 11, 1, 0, 7200};
    return rule;
  }
  if (!t.eat(',')) return std::nullopt;
  auto start = parse_when(t);
  if (!start || !t.eat(',')) return std::nullopt;
  auto end = parse_when(t);
  if (!end || !t.done()) return std::nullopt;
  rule.start_ = *start;
  rule.end_ = *end;
  return rule;
}

std::int32_t PosixRule::utc_offset(std::int64_t utc_seconds) const {
  if (!dst_offset_) return std_offset_;
  const std::int64_t year = year_of(floor_div(utc_seconds + std_offset_, kDay));
  // The start time is written in standard time, the end time in daylight time.
  const std::int64_t start = day_of(start_, year) * kDay + start_.time - std_offset_;
  const std::int64_t end = day_of(end_, year) * kDay + end_.time - *dst_offset_;
  const bool dst = start < end ? (utc_seconds >= start && utc_seconds < end)
                               : !(utc_seconds >= end && utc_seconds < start);  // southern
  return dst ? *dst_offset_ : std_offset_;
}

std::optional<TimeZone> TimeZone::parse(std::string_view bytes, std::string* error) {
  std::string ignored;
  if (!error) error = &ignored;
  Reader r(bytes);
  Header h;
  if (!read_header(r, h, error)) return std::nullopt;
  std::size_t time_size = 4;
  if (h.version >= '2') {
    // Skip the 32-bit block: the 64-bit one after it covers times past 2038 and before 1901.
    if (!r.has(h.data_size(4))) {
      *error = "truncated TZif file";
      return std::nullopt;
    }
    r.skip(h.data_size(4));
    if (!read_header(r, h, error)) return std::nullopt;
    time_size = 8;
  }
  if (!r.has(h.data_size(time_size))) {
    *error = "truncated TZif file";
    return std::nullopt;
  }
  TimeZone zone;
  zone.transitions_.reserve(h.timecnt);
  for (std::uint32_t i = 0; i < h.timecnt; ++i) {
    zone.transitions_.push_back(time_size == 8 ? r.be64() : r.be32());
    if (i > 0 && zone.transitions_[i] <= zone.transitions_[i - 1]) {
      *error = "TZif transition times are not ascending";
      return std::nullopt;
    }
  }
  std::vector<std::uint8_t> type_index(h.timecnt);
  for (auto& index : type_index) {
    index = r.u8();
    if (index >= h.typecnt) {
      *error = "TZif transition names a missing local time type";
      return std::nullopt;
    }
  }
  std::vector<std::int32_t> type_offset(h.typecnt);
  for (auto& offset : type_offset) {
    offset = r.be32();
    r.skip(2);  // isdst, abbreviation index: the offset is all vetter needs
    if (offset < -25 * 3600 || offset > 26 * 3600) {
      *error = "TZif UTC offset out of range";
      return std::nullopt;
    }
  }
  r.skip(h.charcnt + h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);
  zone.initial_offset_ = type_offset[0];
  zone.offset_after_.reserve(h.timecnt);
  for (auto index : type_index)
    zone.offset_after_.push_back(type_offset[index]);

  if (time_size == 8) {
    const std::string_view rest = r.rest();
    if (rest.size() < 2 || rest[0] != '\n') {
      *error = "TZif footer missing";
      return std::nullopt;
    }
    const auto close = rest.find('\n', 1);
    if (close == std::string_view::npos) {
      *error = "TZif footer not terminated";
      return std::nullopt;
    }
    const std::string_view tz = rest.substr(1, close - 1);
    if (!tz.empty()) {  // empty means "no rule": the last transition's type stays in force
      zone.footer_ = PosixRule::parse(tz);
      if (!zone.footer_) {
        *error = "TZif footer '" + std::string(tz) + "' is not a POSIX TZ string";
        return std::nullopt;
      }
    }
  }
  return zone;
}

std::optional<TimeZone> TimeZone::load(std::string_view name, std::string* error) {
  std::string ignored;
  if (!error) error = &ignored;
  // Zone names become file paths: refuse anything that could leave the zoneinfo directory.
  bool valid = !name.empty() && name.size() <= kMaxZoneNameLength && name.front() != '/' &&
               name.find("..") == std::string_view::npos;
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '_' || c == '-' || c == '+';
    valid = valid && ok;
  }
  if (!valid) {
    *error = "not an IANA time zone name";
    return std::nullopt;
  }
  const char* dir = std::getenv("TZDIR");
  const std::string path =
      std::string(dir && *dir ? dir : kDefaultZoneDir) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "no such time zone in " + std::string(dir && *dir ? dir : kDefaultZoneDir);
    return std::nullopt;
  }
  std::string bytes(kMaxTzifBytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (bytes.size() > kMaxTzifBytes) {
    *error = path + " is too large for a TZif file";
    return std::nullopt;
  }
  auto zone = parse(bytes, error);
  if (!zone) *error = path + ": " + *error;
  return zone;
}

std::int32_t TimeZone::utc_offset(std::int64_t utc_seconds) const {
  if (transitions_.empty()) return footer_ ? footer_->utc_offset(utc_seconds) : initial_offset_;
  if (utc_seconds < transitions_.front()) return initial_offset_;
  if (utc_seconds >= transitions_.back() && footer_) return footer_->utc_offset(utc_seconds);
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds);
  return offset_after_[static_cast<std::size_t>(it - transitions_.begin()) - 1];
}

std::int64_t TimeZone::to_utc(std::int64_t local_seconds) const {
  // Zones change offset at most once in two days, so the offsets in force a day either side are
  // the only candidates: `before` is the one before any change near this time, `after` the one
  // after it. A candidate fits when the instant it gives really has that offset.
  const std::int32_t before = utc_offset(local_seconds - kDay);
  const std::int32_t after = utc_offset(local_seconds + kDay);
  const bool before_fits = utc_offset(local_seconds - before) == before;
  const bool after_fits = utc_offset(local_seconds - after) == after;
  if (before_fits && after_fits) return local_seconds - std::max(before, after);  // earlier one
  if (before_fits) return local_seconds - before;
  if (after_fits) return local_seconds - after;
  return local_seconds - before;  // in the gap
}

const TimeZone* find_time_zone(std::string_view name, std::string* first_error) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::unique_ptr<TimeZone>> zones;  // null: unknown
  if (first_error) first_error->clear();
  std::lock_guard lock(mutex);
  auto [it, inserted] = zones.try_emplace(std::string(name));
  if (inserted) {
    std::string error;
    if (auto zone = TimeZone::load(name, &error)) {
      it->second = std::make_unique<TimeZone>(std::move(*zone));
    } else if (first_error) {
      *first_error = error.empty() ? "unknown time zone" : error;
    }
  }
  return it->second.get();
}

LocalTime local_time(std::int64_t utc_seconds, std::int32_t utc_offset) {
  const std::int64_t local = utc_seconds + utc_offset;
  const std::int64_t days = floor_div(local, kDay);
  return LocalTime{static_cast<int>((local - days * kDay) / 3600), weekday_of(days)};
}

}  // namespace vetter::model
