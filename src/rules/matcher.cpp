// Sigma value modifiers: compiling `field|mod: value` once, and matching without allocating.
#include "matcher.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <limits>
#include <set>

#include "vetter/model/time.h"
#include "vetter/rules/codes.h"

namespace vetter::rules {
namespace {

using model::FieldType;
using model::Value;

// ASCII folding only, inline: libc tolower is a locale-aware call and dominated profiles.
// Non-ASCII bytes (UTF-8) compare exactly.
inline char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
}

std::string lowered(std::string s) {
  for (char& c : s)
    c = lower(c);
  return s;
}

// Modifiers that choose how a value is compared; at most one per item.
const std::set<std::string> kOperatorModifiers = {"contains", "startswith", "endswith", "re",
                                                  "cidr",     "exists",     "lt",       "lte",
                                                  "gt",       "gte",        "fieldref"};
const std::set<std::string> kOtherModifiers = {"all", "expand", "cased", "neq", "i", "m", "s"};
const std::set<std::string> kKnownUnsupported = {"base64", "base64offset", "utf16le", "utf16be",
                                                 "utf16",  "wide",         "windash"};
const std::map<std::string, TimePart> kTimeParts = {
    {"minute", TimePart::kMinute}, {"hour", TimePart::kHour},   {"day", TimePart::kDay},
    {"week", TimePart::kWeek},     {"month", TimePart::kMonth}, {"year", TimePart::kYear}};
const model::FieldId kTimestamp = model::Fields::id("@timestamp");

struct Modifiers {
  std::string op;  // one of kOperatorModifiers, or empty for plain equality/wildcards
  bool all = false;
  bool expand = false;
  bool cased = false;
  bool neq = false;
  TimePart time_part = TimePart::kNone;
  std::string regex_flags;
};

// Turns Sigma string syntax into pattern chars with kinds: `*` any run, `?` one char, and `\`
// escaping `*`, `?` and `\` (any other backslash is literal, as the spec says).
void parse_wildcards(std::string_view s, std::string& chars, std::vector<std::uint8_t>& kinds) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '*' || s[i + 1] == '?' || s[i + 1] == '\\')) {
      chars.push_back(s[++i]);
      kinds.push_back(0);
    } else if (c == '*') {
      chars.push_back(c);
      kinds.push_back(1);
    } else if (c == '?') {
      chars.push_back(c);
      kinds.push_back(2);
    } else {
      chars.push_back(c);
      kinds.push_back(0);
    }
  }
}

ValueMatcher string_matcher(std::string_view value, const Modifiers& mods) {
  std::string chars;
  std::vector<std::uint8_t> kinds;
  if (mods.op == "contains" || mods.op == "endswith") {
    chars.push_back('*');
    kinds.push_back(1);
  }
  parse_wildcards(value, chars, kinds);
  if (mods.op == "contains" || mods.op == "startswith") {
    chars.push_back('*');
    kinds.push_back(1);
  }
  ValueMatcher m;
  m.cased = mods.cased;
  if (!m.cased) chars = lowered(std::move(chars));
  // A pattern whose only wildcards are a leading and/or trailing `*` becomes a plain
  // equals/prefix/suffix/substring test.
  const bool lead = !kinds.empty() && kinds.front() == 1;
  const bool trail = kinds.size() > 1 && kinds.back() == 1;
  const std::size_t begin = lead ? 1 : 0;
  const std::size_t end = kinds.size() - (trail ? 1 : 0);
  bool inner_wildcard = false;
  for (std::size_t i = begin; i < end; ++i)
    inner_wildcard |= kinds[i] != 0;
  if (inner_wildcard || (kinds.size() == 1 && lead)) {
    m.kind = MatchKind::kGlob;  // also a lone `*`: any present value
    m.text = std::move(chars);
    m.glob = std::move(kinds);
    return m;
  }
  m.text = chars.substr(begin, end - begin);
  m.kind = lead && trail ? MatchKind::kContains
           : lead        ? MatchKind::kEndsWith
           : trail       ? MatchKind::kStartsWith
                         : MatchKind::kEquals;
  return m;
}

// Expands every %name% in `value` with each entry of its list (a cartesian product when a value
// holds several placeholders). Returns false and reports when a name has no list.
bool expand_value(const std::string& value, const YAML::Node& at,
                  const std::map<std::string, std::vector<std::string>>& placeholders,
                  CompileContext& ctx, std::vector<std::string>& out) {
  const std::size_t open = value.find('%');
  const std::size_t close = open == std::string::npos ? open : value.find('%', open + 1);
  if (close == std::string::npos) {
    out.push_back(value);
    return true;
  }
  const std::string name = value.substr(open + 1, close - open - 1);
  auto found = placeholders.find(name);
  if (ctx.used_placeholders) ctx.used_placeholders->insert(name);
  if (found == placeholders.end()) {
    ctx.error(codes::kPlaceholder, at,
              std::string(messages::kUnknownPlaceholder) + ": '%" + name +
                  "%' (define it in a list file passed to the run)");
    return false;
  }
  for (const std::string& item : found->second) {
    if (!expand_value(value.substr(0, open) + item + value.substr(close + 1), at, placeholders, ctx,
                      out)) {
      return false;
    }
  }
  return true;
}

std::optional<double> number_of(std::string_view text) {
  double d = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, d);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return d;
}

// --- evaluation -------------------------------------------------------------------------------

}  // namespace

std::string_view text_of(const Value& v, TextBuffer& buf) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), *i);
    return {buf.data(), static_cast<std::size_t>(ptr - buf.data())};
  }
  if (const auto* d = std::get_if<double>(&v)) {
    const int n = std::snprintf(buf.data(), buf.size(), "%.6g", *d);
    return {buf.data(), static_cast<std::size_t>(std::max(n, 0))};
  }
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return {};
}

void append_text(const Value& v, std::string& out) {
  if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
    // As to_text: items joined by ',', a comma written only once something precedes it.
    const std::size_t start = out.size();
    for (const std::string& item : *list) {
      if (out.size() != start) out += ',';
      out += item;
    }
    return;
  }
  TextBuffer buf;
  out += text_of(v, buf);
}

namespace {

bool char_eq(char subject, char pattern, bool cased) {
  return (cased ? subject : lower(subject)) == pattern;
}

bool equal_at(std::string_view subject, std::size_t at, std::string_view pattern, bool cased) {
  if (at + pattern.size() > subject.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!char_eq(subject[at + i], pattern[i], cased)) return false;
  }
  return true;
}

bool glob_match(std::string_view s, const ValueMatcher& m) {
  const std::string& p = m.text;
  std::size_t pi = 0, si = 0, star = std::string::npos, mark = 0;
  while (si < s.size()) {
    if (pi < p.size() && m.glob[pi] == 1) {
      star = pi++;
      mark = si;
    } else if (pi < p.size() && (m.glob[pi] == 2 || char_eq(s[si], p[pi], m.cased))) {
      ++pi;
      ++si;
    } else if (star != std::string::npos) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && m.glob[pi] == 1)
    ++pi;
  return pi == p.size();
}

std::optional<double> numeric(const Value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* s = std::get_if<std::string>(&v)) return number_of(*s);
  return std::nullopt;
}

}  // namespace

// Many cidr tests look at the same source.ip of one event; parsing it once per event instead of
// once per test is most of their cost. The cache keeps the text it parsed, so a reused buffer
// with new content is never confused with the old one.
const std::optional<model::IpAddress>& parsed_ip(std::string_view text) {
  struct Cache {
    std::array<char, 46> text{};
    std::size_t size = std::numeric_limits<std::size_t>::max();
    std::optional<model::IpAddress> ip;
  };
  thread_local Cache cache;
  if (text.size() == cache.size && std::memcmp(text.data(), cache.text.data(), text.size()) == 0) {
    return cache.ip;
  }
  cache.ip = model::IpAddress::parse(text);
  if (text.size() <= cache.text.size()) {
    std::memcpy(cache.text.data(), text.data(), text.size());
    cache.size = text.size();
  } else {
    cache.size = std::numeric_limits<std::size_t>::max();
  }
  return cache.ip;
}

namespace {

// One matcher against one present text (a scalar, or one element of a list).
bool match_text(const ValueMatcher& m, std::string_view s, const Value& whole,
                const model::Event& event) {
  switch (m.kind) {
    case MatchKind::kEquals:
      return s.size() == m.text.size() && equal_at(s, 0, m.text, m.cased);
    case MatchKind::kStartsWith:
      return equal_at(s, 0, m.text, m.cased);
    case MatchKind::kEndsWith:
      return s.size() >= m.text.size() && equal_at(s, s.size() - m.text.size(), m.text, m.cased);
    case MatchKind::kContains: {
      if (m.text.empty()) return true;
      if (m.text.size() > s.size()) return false;
      const char first = m.text[0];
      for (std::size_t at = 0; at + m.text.size() <= s.size(); ++at) {
        if (char_eq(s[at], first, m.cased) && equal_at(s, at, m.text, m.cased)) return true;
      }
      return false;
    }
    case MatchKind::kGlob:
      return glob_match(s, m);
    case MatchKind::kRegex:
      return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), *m.regex);
    case MatchKind::kCidr: {
      const std::optional<model::IpAddress>& ip = parsed_ip(s);
      return ip && m.cidr.contains(*ip);
    }
    case MatchKind::kExists:
      return m.exists;
    case MatchKind::kNull:
      return false;
    case MatchKind::kNumEquals:
      return false;  // time parts are compared by matches_time_part
    case MatchKind::kLt:
    case MatchKind::kLte:
    case MatchKind::kGt:
    case MatchKind::kGte: {
      std::optional<double> n = std::holds_alternative<std::string>(whole) ||
                                        std::holds_alternative<std::vector<std::string>>(whole)
                                    ? number_of(s)
                                    : numeric(whole);
      if (!n) return false;
      if (m.kind == MatchKind::kLt) return *n < m.number;
      if (m.kind == MatchKind::kLte) return *n <= m.number;
      if (m.kind == MatchKind::kGt) return *n > m.number;
      return *n >= m.number;
    }
    case MatchKind::kFieldRef: {
      const Value& other = event.get(m.ref);
      if (model::is_absent(other) || std::holds_alternative<std::vector<std::string>>(other)) {
        return false;
      }
      TextBuffer buf;
      const std::string_view o = text_of(other, buf);
      if (o.size() != s.size()) return false;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (m.cased ? s[i] != o[i] : lower(s[i]) != lower(o[i])) return false;
      }
      return true;
    }
  }
  return false;
}

bool match_value(const ValueMatcher& m, const Value& v, const model::Event& event) {
  if (model::is_absent(v)) {
    if (m.kind == MatchKind::kNull) return true;
    if (m.kind == MatchKind::kExists) return !m.exists;
    return false;
  }
  if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
    // A list field matches when any element does.
    if (m.kind == MatchKind::kExists) return m.exists;
    for (const std::string& item : *list) {
      if (match_text(m, item, v, event)) return true;
    }
    return false;
  }
  TextBuffer buf;
  return match_text(m, text_of(v, buf), v, event);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// Hinnant's civil_from_days: days since 1970-01-01 to year, month (1-12), day (1-31).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// The requested part of a UTC time; ISO 8601 week numbers (1-53, weeks start on Monday).
std::int64_t time_part(std::int64_t us, TimePart part) {
  const std::int64_t days = floor_div(us, 86'400'000'000LL);
  const std::int64_t second_of_day = floor_div(us, 1'000'000) - days * 86'400;
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  switch (part) {
    case TimePart::kMinute:
      return (second_of_day / 60) % 60;
    case TimePart::kHour:
      return second_of_day / 3600;
    case TimePart::kDay:
      civil_from_days(days, y, m, d);
      return d;
    case TimePart::kMonth:
      civil_from_days(days, y, m, d);
      return m;
    case TimePart::kYear:
      civil_from_days(days, y, m, d);
      return y;
    case TimePart::kWeek: {
      const std::int64_t monday_based = ((days % 7) + 7 + 3) % 7;  // 1970-01-01 was a Thursday
      const std::int64_t thursday = days - monday_based + 3;
      civil_from_days(thursday, y, m, d);
      const std::int64_t jan1 = model::days_from_civil(static_cast<int>(y), 1, 1);
      return (thursday - jan1) / 7 + 1;
    }
    case TimePart::kNone:
      break;
  }
  return 0;
}

bool compare_number(const ValueMatcher& m, double n) {
  switch (m.kind) {
    case MatchKind::kNumEquals:
      return n == m.number;
    case MatchKind::kLt:
      return n < m.number;
    case MatchKind::kLte:
      return n <= m.number;
    case MatchKind::kGt:
      return n > m.number;
    case MatchKind::kGte:
      return n >= m.number;
    default:
      return false;
  }
}

// minute..year tests: the field is a time (microseconds) or ISO 8601 text; @timestamp falls back
// to Event::time_us, which is where the mappers put it.
bool matches_time_part(const FieldTest& test, const model::Event& event) {
  const Value& v = event.get(test.field);
  std::optional<std::int64_t> us;
  if (const auto* i = std::get_if<std::int64_t>(&v)) {
    us = *i;
  } else if (const auto* s = std::get_if<std::string>(&v)) {
    us = model::parse_iso8601(*s);
    if (!us && s->size() == 10) {  // a date alone (hr.hire_date) is its midnight UTC
      std::array<char, 20> buf{};
      std::memcpy(buf.data(), s->data(), 10);
      std::memcpy(buf.data() + 10, "T00:00:00Z", 10);
      us = model::parse_iso8601(std::string_view(buf.data(), 20));
    }
  } else if (model::is_absent(v) && test.field == kTimestamp) {
    us = event.time_us;
  }
  if (!us) return false;
  const auto n = static_cast<double>(time_part(*us, test.time_part));
  if (test.negate) {
    for (const ValueMatcher& m : test.values) {
      if (compare_number(m, n)) return false;
    }
    return true;
  }
  if (test.all) {
    for (const ValueMatcher& m : test.values) {
      if (!compare_number(m, n)) return false;
    }
    return true;
  }
  for (const ValueMatcher& m : test.values) {
    if (compare_number(m, n)) return true;
  }
  return false;
}

}  // namespace

std::string closest_field(std::string_view name) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(3, name.size() / 3) + 1;
  for (const model::FieldInfo& info : model::Fields::all()) {
    const std::size_t d = edit_distance(name, info.name);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(info.name);
    }
  }
  return best;
}

bool matches(const FieldTest& test, const model::Event& event) {
  if (test.time_part != TimePart::kNone) return matches_time_part(test, event);
  const Value& v = event.get(test.field);
  if (test.negate) {
    if (model::is_absent(v)) return false;
    for (const ValueMatcher& m : test.values) {
      if (match_value(m, v, event)) return false;
    }
    return true;
  }
  if (test.all) {
    for (const ValueMatcher& m : test.values) {
      if (!match_value(m, v, event)) return false;
    }
    return true;
  }
  for (const ValueMatcher& m : test.values) {
    if (match_value(m, v, event)) return true;
  }
  return false;
}

bool matches(const Selection& selection, const model::Event& event) {
  for (const std::vector<FieldTest>& branch : selection.branches) {
    bool all = true;
    for (const FieldTest& test : branch) {
      if (!matches(test, event)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

std::optional<FieldTest> compile_field_test(
    const YAML::Node& key, const YAML::Node& value,
    const std::map<std::string, std::vector<std::string>>& placeholders, CompileContext& ctx) {
  const std::string spec = key.Scalar();
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    const std::size_t bar = spec.find('|', start);
    parts.push_back(spec.substr(start, bar == std::string::npos ? bar : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  bool ok = true;
  FieldTest test;
  const std::optional<model::FieldId> field = model::Fields::find(parts[0]);
  if (!field) {
    const std::string hint = closest_field(parts[0]);
    ctx.error(codes::kField, key,
              std::string(messages::kUnknownField) + " '" + parts[0] + "'" +
                  (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; " +
                  std::string(messages::kFieldHint));
    ok = false;
  } else {
    test.field = *field;
  }

  Modifiers mods;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    const std::string& mod = parts[i];
    if (kOperatorModifiers.count(mod)) {
      if (!mods.op.empty()) {
        ctx.error(
            codes::kModifier, key,
            std::string(messages::kConflictingModifiers) + ": '" + mods.op + "' and '" + mod + "'");
        ok = false;
      }
      mods.op = mod;
    } else if (mod == "all") {
      mods.all = true;
    } else if (mod == "expand") {
      mods.expand = true;
    } else if (mod == "cased") {
      mods.cased = true;
    } else if (mod == "neq") {
      mods.neq = true;
    } else if ((mod == "i" || mod == "m" || mod == "s") && mods.op == "re") {
      mods.regex_flags += mod;
    } else if (auto part = kTimeParts.find(mod); part != kTimeParts.end()) {
      mods.time_part = part->second;
    } else if (kKnownUnsupported.count(mod)) {
      ctx.error(codes::kModifier, key,
                std::string(messages::kUnsupportedModifier) + ": '" + mod +
                    "' (vetter events are not Windows logs)");
      ok = false;
    } else {
      ctx.error(
          codes::kModifier, key,
          std::string(messages::kUnknownModifier) + " '" + mod +
              "'; supported: contains, startswith, endswith, all, re (with i, m, s), cidr, "
              "exists, lt, lte, gt, gte, expand, cased, neq, fieldref, minute, hour, day, week, "
              "month, year");
      ok = false;
    }
  }
  if (mods.neq && (mods.all || mods.op == "exists")) {
    ctx.error(codes::kModifier, key,
              std::string(messages::kConflictingModifiers) + ": 'neq' with 'all'/'exists'");
    ok = false;
  }
  test.all = mods.all;
  test.negate = mods.neq;
  test.time_part = mods.time_part;
  if (mods.time_part != TimePart::kNone) {
    const bool numeric_op = mods.op.empty() || mods.op == "lt" || mods.op == "lte" ||
                            mods.op == "gt" || mods.op == "gte";
    const model::FieldType type =
        field ? model::Fields::info(*field).type : model::FieldType::kTime;
    if (!numeric_op || mods.expand || mods.cased) {
      ctx.error(codes::kModifier, key,
                std::string(messages::kConflictingModifiers) +
                    ": a time part takes a number, optionally with lt/lte/gt/gte/neq/all");
      ok = false;
    } else if (type != model::FieldType::kTime && type != model::FieldType::kString) {
      ctx.error(codes::kModifier, key,
                std::string(messages::kTimePartField) + " ('" + parts[0] + "' is " +
                    std::string(model::to_string(type)) + ")");
      ok = false;
    }
  }

  // Values: a scalar, or a list of scalars.
  std::vector<YAML::Node> items;
  if (value.IsSequence()) {
    for (const YAML::Node& item : value)
      items.push_back(item);
    if (items.empty()) {
      ctx.error(codes::kSelection, value, std::string(messages::kBadValue) + ": empty list");
      ok = false;
    }
  } else {
    items.push_back(value);
  }
  if (mods.all && items.size() == 1) {
    ctx.warning(codes::kAllSingle, key, std::string(messages::kAllSingle));
  }

  for (const YAML::Node& item : items) {
    if (!item.IsScalar() && !item.IsNull()) {
      ctx.error(codes::kSelection, item,
                std::string(messages::kBadValue) + ": a field value must be a scalar or a list");
      ok = false;
      continue;
    }
    if (item.IsNull()) {
      if (!mods.op.empty() || mods.expand) {
        ctx.error(codes::kValue, item,
                  std::string(messages::kBadValue) + ": null with '" +
                      (mods.op.empty() ? "expand" : mods.op) + "'");
        ok = false;
        continue;
      }
      ValueMatcher m;
      m.kind = MatchKind::kNull;
      test.values.push_back(std::move(m));
      continue;
    }
    std::vector<std::string> texts;
    if (mods.expand) {
      if (!expand_value(item.Scalar(), item, placeholders, ctx, texts)) ok = false;
    } else {
      texts.push_back(item.Scalar());
    }
    for (const std::string& text : texts) {
      ValueMatcher m;
      m.cased = mods.cased;
      if (mods.time_part != TimePart::kNone && mods.op.empty()) {
        std::optional<double> n = number_of(text);
        if (!n) {
          ctx.error(codes::kValue, item,
                    std::string(messages::kBadValue) + ": a time part needs a number, not '" +
                        text + "'");
          ok = false;
          continue;
        }
        m.kind = MatchKind::kNumEquals;
        m.number = *n;
        test.values.push_back(std::move(m));
        continue;
      }
      if (mods.op.empty() || mods.op == "contains" || mods.op == "startswith" ||
          mods.op == "endswith") {
        test.values.push_back(string_matcher(text, mods));
        continue;
      }
      if (mods.op == "re") {
        RE2::Options options;
        options.set_log_errors(false);
        options.set_case_sensitive(mods.regex_flags.find('i') == std::string::npos);
        options.set_dot_nl(mods.regex_flags.find('s') != std::string::npos);
        options.set_never_nl(false);
        const std::string pattern =
            (mods.regex_flags.find('m') != std::string::npos ? "(?m)" : "") + text;
        auto re = std::make_shared<const RE2>(pattern, options);
        if (!re->ok()) {
          ctx.error(codes::kValue, item,
                    std::string(messages::kBadValue) + ": regular expression: " + re->error());
          ok = false;
          continue;
        }
        m.kind = MatchKind::kRegex;
        m.regex = std::move(re);
      } else if (mods.op == "cidr") {
        std::optional<model::Cidr> cidr = model::Cidr::parse(text);
        if (!cidr) {
          ctx.error(codes::kValue, item,
                    std::string(messages::kBadValue) + ": '" + text +
                        "' is not a CIDR (e.g. 175.45.176.0/22 or 2001:db8::/32)");
          ok = false;
          continue;
        }
        m.kind = MatchKind::kCidr;
        m.cidr = *cidr;
      } else if (mods.op == "exists") {
        const std::string t = lowered(text);
        if (t != "true" && t != "false") {
          ctx.error(codes::kValue, item,
                    std::string(messages::kBadValue) + ": 'exists' takes true or false");
          ok = false;
          continue;
        }
        m.kind = MatchKind::kExists;
        m.exists = t == "true";
      } else if (mods.op == "fieldref") {
        std::optional<model::FieldId> ref = model::Fields::find(text);
        if (!ref) {
          const std::string hint = closest_field(text);
          ctx.error(codes::kField, item,
                    std::string(messages::kUnknownField) + " '" + text + "' in fieldref" +
                        (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
          ok = false;
          continue;
        }
        m.kind = MatchKind::kFieldRef;
        m.ref = *ref;
      } else {  // lt, lte, gt, gte
        std::optional<double> n = number_of(text);
        if (!n) {
          ctx.error(codes::kValue, item,
                    std::string(messages::kBadValue) + ": '" + mods.op + "' needs a number, not '" +
                        text + "'");
          ok = false;
          continue;
        }
        m.number = *n;
        m.kind = mods.op == "lt"    ? MatchKind::kLt
                 : mods.op == "lte" ? MatchKind::kLte
                 : mods.op == "gt"  ? MatchKind::kGt
                                    : MatchKind::kGte;
      }
      test.values.push_back(std::move(m));
    }
  }
  if (ok && field && mods.op == "cidr" && model::Fields::info(*field).type != FieldType::kIp) {
    ctx.error(codes::kModifier, key,
              "'cidr' needs an ip field; '" + parts[0] + "' is " +
                  std::string(model::to_string(model::Fields::info(*field).type)));
    ok = false;
  }
  if (!ok) return std::nullopt;
  return test;
}

}  // namespace vetter::rules
