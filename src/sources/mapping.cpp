// Applying a compiled source definition to one record: patterns, filters, timestamp, fields.
#include "mapping.h"

#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdlib>

#include "vetter/model/ip.h"
#include "vetter/model/keys.h"
#include "vetter/model/time.h"

namespace vetter::sources {
namespace {

std::string where_of(const ingest::Record& record) {
  std::string out(record.origin.file);
  if (record.origin.line > 0) out += ":" + std::to_string(record.origin.line);
  return out;
}

void to_lower(std::string& s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool parse_double(std::string_view text, double& out) {
  if (text.empty() || text.size() > 64) return false;
  std::string buf(text);
  char* end = nullptr;
  out = std::strtod(buf.c_str(), &end);
  return end == buf.c_str() + buf.size();
}

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
          for (int m = 0; m < 12; ++m) {
            if (iequals(text.substr(i, 3), kMonths[m])) month = m + 1;
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
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (!have_year) {
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

Path Path::parse(std::string text) {
  Path path;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = text.find('.', start);
    path.segments.push_back(text.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  path.text = std::move(text);
  return path;
}

const nlohmann::json* lookup(const nlohmann::json& data, const Path& path) {
  if (!data.is_object()) return nullptr;
  auto whole = data.find(path.text);
  if (whole != data.end()) return &*whole;
  if (path.segments.size() < 2) return nullptr;
  const nlohmann::json* node = &data;
  for (const std::string& seg : path.segments) {
    if (node->is_object()) {
      auto it = node->find(seg);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      if (!parse_number(seg, index) || index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

bool scalar_text(const nlohmann::json& value, std::string& out) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return false;
    case nlohmann::json::value_t::string:
      out = value.get_ref<const std::string&>();
      return true;
    case nlohmann::json::value_t::boolean:
      out = value.get<bool>() ? "true" : "false";
      return true;
    default:
      // Numbers print exactly as JSON does; objects and arrays as compact JSON. Invalid UTF-8
      // cannot reach here from the readers, but records built elsewhere are not trusted.
      out = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return true;
  }
}

std::optional<std::int64_t> parse_time(std::string_view text, const TimeFormat& format) {
  switch (format.kind) {
    case TimeKind::kIso8601:
      return model::parse_iso8601(text);
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
    case TimeKind::kPattern:
      return parse_pattern(text, format.pattern);
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

void split_into(const Splitter& splitter, std::string_view text, nlohmann::json& data) {
  auto put = [&](std::string key, std::string value) {
    if (!key.empty() && !data.contains(key)) data[std::move(key)] = std::move(value);
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (splitter.kind == Splitter::Kind::kKeyValue) {
    while (i < n) {
      while (i < n && text[i] == ' ')
        ++i;
      std::size_t key_start = i;
      while (i < n && text[i] != '=' && text[i] != ' ')
        ++i;
      if (i >= n || text[i] != '=') continue;  // a bare word: not a pair
      std::string key(text.substr(key_start, i - key_start));
      ++i;
      std::string value;
      if (i < n && text[i] == '"') {
        ++i;
        while (i < n && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < n) ++i;
          value.push_back(text[i++]);
        }
        ++i;
      } else {
        std::size_t v = i;
        while (i < n && text[i] != ' ')
          ++i;
        value.assign(text.substr(v, i - v));
      }
      put(std::move(key), std::move(value));
    }
    return;
  }
  // CSV: RFC 4180 quoting on one line.
  std::size_t column = 0;
  while (column < splitter.columns.size()) {
    std::string value;
    if (i < n && text[i] == '"') {
      ++i;
      while (i < n) {
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            value.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        value.push_back(text[i++]);
      }
      while (i < n && text[i] != ',')
        ++i;
    } else {
      std::size_t start = i;
      while (i < n && text[i] != ',')
        ++i;
      value.assign(text.substr(start, i - start));
    }
    put(splitter.columns[column++], std::move(value));
    if (i >= n) break;
    ++i;  // the comma
  }
}

namespace {

// Applies lower/map/default to one raw text; false when the result is absent.
bool normalize_text(const FieldRule& rule, bool present, std::string& text) {
  if (present && rule.lower) to_lower(text);
  if (!present || text.empty()) {
    if (!rule.fallback) return false;
    text = *rule.fallback;
    return !text.empty();
  }
  if (!rule.map.empty()) {
    auto it = rule.map.find(text);
    if (it != rule.map.end()) {
      text = it->second;
    } else if (rule.fallback) {
      text = *rule.fallback;
    }
  }
  return !text.empty();
}

void warn_value(const FieldRule& rule, const Mapping& mapping, const ingest::Record& record,
                std::string_view text, std::string_view what, model::Diagnostics& diags) {
  if (!rule.warned.first()) return;
  diags.warning("W-INPUT-VALUE", where_of(record),
                mapping.name + ": " + rule.target_name + " '" + std::string(text.substr(0, 80)) +
                    "' is not " + std::string(what) +
                    "; the field is left empty (further ones from this source are not reported)");
}

bool parse_bool(std::string_view text, bool& out) {
  for (std::string_view t : {"true", "yes", "y", "1", "on"}) {
    if (iequals(text, t)) return out = true, true;
  }
  for (std::string_view f : {"false", "no", "n", "0", "off"}) {
    if (iequals(text, f)) return out = false, true;
  }
  return false;
}

void add_list_item(const FieldRule& rule, std::string text, std::vector<std::string>& out) {
  auto push = [&](std::string item) {
    if (normalize_text(rule, true, item)) out.push_back(std::move(item));
  };
  if (rule.split.empty()) {
    push(std::move(text));
    return;
  }
  std::size_t start = 0;
  for (;;) {
    std::size_t cut = text.find(rule.split, start);
    std::string item = text.substr(start, cut == std::string::npos ? cut : cut - start);
    while (!item.empty() && item.back() == ' ')
      item.pop_back();
    std::size_t lead = item.find_first_not_of(' ');
    push(lead == std::string::npos ? std::string() : item.substr(lead));
    if (cut == std::string::npos) break;
    start = cut + rule.split.size();
  }
}

void apply_field(const FieldRule& rule, const Mapping& mapping, const nlohmann::json& data,
                 const ingest::Record& record, model::Event& out, model::Diagnostics& diags) {
  if (rule.constant) {
    out.set(rule.target, *rule.constant);
    return;
  }
  std::string text;
  if (rule.type == model::FieldType::kStringList) {
    std::vector<std::string> items;
    for (const Path& path : rule.from) {
      const nlohmann::json* node = lookup(data, path);
      if (node == nullptr) continue;
      if (node->is_array()) {
        for (const nlohmann::json& element : *node) {
          if (scalar_text(element, text)) add_list_item(rule, std::move(text), items);
        }
      } else if (scalar_text(*node, text)) {
        add_list_item(rule, std::move(text), items);
      }
    }
    if (items.empty() && rule.fallback) items.push_back(*rule.fallback);
    if (!items.empty()) out.set(rule.target, std::move(items));
    return;
  }

  bool present = false;
  for (const Path& path : rule.from) {
    const nlohmann::json* node = lookup(data, path);
    if (node != nullptr && scalar_text(*node, text) && !text.empty()) {
      present = true;
      break;
    }
  }
  if (!normalize_text(rule, present, text)) return;

  switch (rule.type) {
    case model::FieldType::kString:
      switch (rule.normalize) {
        case Normalize::kNone:
          break;
        case Normalize::kAddress:
          text = model::address_key(text);
          if (text.empty()) return;  // punctuation only: nothing to compare
          break;
        case Normalize::kPhone: {
          std::string e164 = model::phone_e164(text, rule.calling_code);
          if (e164.empty()) return warn_value(rule, mapping, record, text, "a phone number", diags);
          text = std::move(e164);
          break;
        }
        case Normalize::kDocument: {
          if (!mapping.hmac_key || mapping.hmac_key->empty()) {
            // The value itself is never printed: it is exactly what must not leak.
            if (rule.key_missing.first()) {
              diags.error("E-CONFIG-HMAC", where_of(record),
                          mapping.name + ": " + rule.target_name +
                              " holds identity or account numbers, which vetter keeps only as "
                              "keyed hashes; give the key in $VETTER_HMAC_KEY or `hmac_key_file:` in "
                              "the config (or drop the column from the mapping)");
            }
            return;
          }
          text = model::document_hash(*mapping.hmac_key, text);
          if (text.empty()) return;
          break;
        }
        case Normalize::kEmail: {
          std::string key = model::email_key(text);
          if (key.empty())
            return warn_value(rule, mapping, record, text, "an e-mail address", diags);
          text = std::move(key);
          break;
        }
      }
      out.set(rule.target, std::move(text));
      return;
    case model::FieldType::kInt: {
      std::int64_t n = 0;
      if (rule.duration) {
        if (auto secs = parse_duration_s(text))
          out.set(rule.target, *secs);
        else
          warn_value(rule, mapping, record, text, "a duration", diags);
      } else if (parse_number(text, n))
        out.set(rule.target, n);
      else
        warn_value(rule, mapping, record, text, "an integer", diags);
      return;
    }
    case model::FieldType::kFloat: {
      double d = 0;
      if (parse_double(text, d))
        out.set(rule.target, d);
      else
        warn_value(rule, mapping, record, text, "a number", diags);
      return;
    }
    case model::FieldType::kBool: {
      bool b = false;
      if (parse_bool(text, b))
        out.set(rule.target, b);
      else
        warn_value(rule, mapping, record, text, "a boolean", diags);
      return;
    }
    case model::FieldType::kIp: {
      if (auto ip = model::IpAddress::parse(text))
        out.set(rule.target, ip->to_string());
      else
        warn_value(rule, mapping, record, text, "an IP address", diags);
      return;
    }
    case model::FieldType::kStringList:
    case model::FieldType::kTime:
      return;  // handled above / rejected at load
  }
}

}  // namespace

MapOutcome Mapping::apply(const ingest::Record& record, model::Event& out,
                          model::Diagnostics& diags) const {
  if (!record.data.is_object()) {
    // The readers only hand out objects; records built elsewhere (the server, tests) may not be.
    diags.error("E-INPUT-JSON", where_of(record), name + ": the record is not a JSON object");
    return MapOutcome::kBad;
  }
  const nlohmann::json* data = &record.data;
  nlohmann::json patched;
  if (!patterns.empty()) {
    std::string text;
    const nlohmann::json* message = lookup(record.data, pattern_field);
    bool matched = false;
    if (message != nullptr && scalar_text(*message, text)) {
      std::vector<re2::StringPiece> sub(static_cast<std::size_t>(max_groups) + 1);
      for (const Pattern& pattern : patterns) {
        const int n = pattern.re->NumberOfCapturingGroups() + 1;
        if (!pattern.re->Match(text, 0, text.size(), re2::RE2::UNANCHORED, sub.data(), n)) continue;
        patched = record.data;
        for (const auto& [index, key] : pattern.groups) {
          const re2::StringPiece& piece = sub[static_cast<std::size_t>(index)];
          if (piece.data() != nullptr) patched[key] = std::string(piece.data(), piece.size());
        }
        data = &patched;
        matched = true;
        break;
      }
    }
    if (!matched) {
      if (!unmatched_is_error) return MapOutcome::kSkip;
      diags.error("E-INPUT-PATTERN", where_of(record),
                  name + ": no pattern of the source definition matches this line");
      return MapOutcome::kBad;
    }
  }

  for (const Splitter& splitter : splitters) {
    const nlohmann::json* node = lookup(*data, splitter.from);
    std::string text;
    if (node == nullptr || !scalar_text(*node, text)) continue;
    if (data != &patched) {
      patched = record.data;
      data = &patched;
    }
    split_into(splitter, text, patched);
  }

  for (const Filter& filter : filters) {
    const nlohmann::json* node = lookup(*data, filter.path);
    std::string text;
    if (node == nullptr || !scalar_text(*node, text)) return MapOutcome::kSkip;
    bool any = false;
    for (const std::string& v : filter.values)
      any = any || v == text;
    if (!any) return MapOutcome::kSkip;
  }

  std::string when;
  bool have_time = false;
  for (const Path& path : time.from) {
    const nlohmann::json* node = lookup(*data, path);
    if (node != nullptr && scalar_text(*node, when) && !when.empty()) {
      have_time = true;
      break;
    }
  }
  if (!have_time) {
    if (!time.optional) {
      diags.error("E-INPUT-TIME", where_of(record),
                  name + ": the record has no timestamp (" +
                      (time.from.empty() ? std::string("?") : time.from.front().text) + ")");
      return MapOutcome::kBad;
    }
    out.time_us = 0;
  } else {
    std::optional<std::int64_t> t;
    for (const TimeFormat& format : time.formats) {
      if ((t = parse_time(when, format))) break;
    }
    if (!t) {
      diags.error("E-INPUT-TIME", where_of(record),
                  name + ": '" + when.substr(0, 80) +
                      "' is not a valid timestamp in the source's format (impossible date?)");
      return MapOutcome::kBad;
    }
    out.time_us = *t;
  }

  for (const FieldRule& rule : fields)
    apply_field(rule, *this, *data, record, out, diags);
  out.origin = record.origin;
  return MapOutcome::kEvent;
}

}  // namespace vetter::sources
