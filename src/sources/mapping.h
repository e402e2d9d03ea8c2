// Private to sources: a compiled source definition (paths pre-split, targets resolved to ids).
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <atomic>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "vetter/model/time_zone.h"
#include "vetter/sources/source.h"

namespace vetter::sources {

// A dotted path into a record. `text` is also tried as one literal key first, because CSV headers
// and some JSON keys ("Country of residence", "debugData.requestUri") contain dots or spaces.
struct Path {
  std::string text;
  std::vector<std::string> segments;
  // The capture slot of this name (Mapping::assign_slots), so a syslog line's captures are found
  // by number, not by comparing names; -1 when no pattern captures it (or it was made later).
  int slot = -1;
  // Mapping::prefixes' number for segments[0..n-2] (assign_slots), so the parts a record's paths
  // share (client., client.geographicalContext.) are looked up once per record; -1 for a single
  // segment or a path made later.
  int prefix = -1;
  // A column template ('{Home_Address_Line_1}, {Home_City}, {Home_State}'): the value is the
  // literals with each hole's text put in, literals[i] before holes[i] (one more literal than
  // holes). Absent or empty holes add nothing; the value is absent when every hole is. Empty
  // `holes`: a plain path. `text` is the template as written.
  std::vector<Path> holes;
  std::vector<std::string> literals;
  bool is_template() const { return !holes.empty(); }

  static Path parse(std::string text);
  // `text` with {column} holes as a template, or nullopt with `why` when it is not one ('{' and
  // '}' unbalanced, an empty hole, no hole at all). Hole names are whole column or key names
  // (dots allowed); '{{' and '}}' are a literal brace.
  static std::optional<Path> parse_template(std::string text, std::string& why);
  // True when `text` is meant as a template: it holds a '{'.
  static bool looks_like_template(std::string_view text) {
    return text.find('{') != std::string_view::npos;
  }
};

// nullptr when the path is absent from `data`.
const nlohmann::json* lookup(const nlohmann::json& data, const Path& path);

// A flag that resets on copy, so a source copied by with_overrides warns afresh.
class WarnOnce {
 public:
  WarnOnce() = default;
  WarnOnce(const WarnOnce&) {}
  WarnOnce& operator=(const WarnOnce&) { return *this; }
  bool first() const { return !fired_.exchange(true, std::memory_order_relaxed); }

 private:
  mutable std::atomic<bool> fired_{false};
};

// Comparison keys from model/keys.h, applied while mapping so every later stage sees one form.
// kDocument: identity-document and bank numbers, kept only as HMAC-SHA-256 under the operator's
// key.
enum class Normalize { kNone, kAddress, kPhone, kEmail, kDocument, kTimeZone };

struct FieldRule {
  model::FieldId target = 0;
  model::FieldType type = model::FieldType::kString;
  std::string target_name;
  std::vector<Path> from;                // scalars: first non-empty wins; lists: all gathered
  std::optional<model::Value> constant;  // set instead of reading the record
  std::unordered_map<std::string, std::string> map;  // vendor value -> normalized value
  std::optional<std::string> fallback;               // `default`: absent, empty or unmapped values
  bool lower = false;                                // lower-case before map (e-mails, hex ids)
  std::string split;                       // list fields: split one string on this delimiter
  bool duration = false;                   // int fields: "1d 2h:03m:04s", "01:02:03" -> seconds
  Normalize normalize = Normalize::kNone;  // string fields: a model/keys.h comparison key
  std::string calling_code = "1";          // for Normalize::kPhone: national numbers' country
  std::string where;                       // file:line:col in the definition, for warnings
  WarnOnce warned;
  WarnOnce key_missing;  // kDocument without a key: one error per definition
};

enum class TimeKind { kIso8601, kDate, kEpochS, kEpochMs, kEpochUs, kEpochNs, kEpoch, kPattern };

struct TimeFormat {
  TimeKind kind = TimeKind::kIso8601;
  std::string pattern;  // kPattern: strftime-like (%Y %m %d %e %H %M %S %f %b %z %%)
};

struct TimeRule {
  std::vector<Path> from;
  std::vector<TimeFormat> formats{TimeFormat{}};
  bool optional = false;  // a missing or empty value gives time 0 instead of a bad record
  // `timezone:` (or the input's override): the zone of wall-clock times that carry no offset
  // (a pattern without %z, ISO 8601 without Z or +hh:mm). Null: UTC. Zones live until exit.
  const model::TimeZone* zone = nullptr;
  std::string zone_name;
  // `offset:`: a path whose value (+hhmm, -hh:mm, +hh, Z) is the UTC offset of %-pattern times
  // without %z in this record, in place of `zone` (FortiGate's tz="-0500" beside date/time).
  std::optional<Path> offset_from;
};

// Sets `rule`'s zone from `timezone:` or an input's override (loader.cpp); false with `why`
// when the zone is unknown.
bool set_time_zone(TimeRule& rule, const std::string& name, std::string& why);

// "+0530", "-05:00", "+05", "Z" -> seconds east of UTC; nullopt when malformed or beyond +-14h.
std::optional<std::int64_t> parse_utc_offset_s(std::string_view text);

struct Pattern {
  std::shared_ptr<const re2::RE2> re;
  std::vector<std::pair<int, std::string>> groups;  // capture index -> record key
  std::vector<std::int16_t> slots;                  // per group: its capture slot
};

// What a line's pattern (or header and body) captured: group name -> text, both views into the
// definition and the line. The first of a name wins.
constexpr std::size_t kMaxCaptures = 32;
struct Captures {
  std::pair<std::string_view, std::string_view> items[kMaxCaptures];
  std::int16_t slots[kMaxCaptures];  // items[i]'s name as a slot number (Path::slot)
  std::size_t count = 0;
};

// `header:` and `bodies:`: one header regex per line, anchored at its start, then only the body
// patterns listed under the value of the header's `key` group (the ASA message id), anchored
// where the header ends. Replaces running every whole-line pattern (and a Set over them) with
// one short header match and one short body match.
//
// A body is a regex or a template: literal text with {name} holes ({_} is not kept), matched by
// hand in one pass: each literal must follow exactly, each hole takes the text up to the next
// occurrence of the literal after it (the last hole with no literal after it takes the rest of
// the line) and may not be empty, and text after the last literal is ignored. No backtracking
// and no RE2 captures.
struct Template {
  std::vector<std::string> literals;  // literals[i] comes before holes[i]; one more than holes
  std::vector<std::string> holes;     // names; empty for {_}
  std::vector<std::int16_t> slots;    // per hole: its capture slot
  // Per hole, characters its value must not hold ({user!<>}; a space stands for any whitespace),
  // so a template rejects what the regex it replaces rejected.
  struct CharSet {
    std::uint64_t bits[4] = {0, 0, 0, 0};
    bool any = false;
    void add(unsigned char c) { bits[c >> 6] |= std::uint64_t{1} << (c & 63), any = true; }
    bool has(unsigned char c) const { return (bits[c >> 6] >> (c & 63)) & 1; }
  };
  std::vector<CharSet> excluded;
};

struct Body {
  std::optional<Pattern> regex;  // else `text`
  Template text;
};

// One piece of a header given as `segments`: a regex matched where the previous one ended, kept
// under `name` when it has one. Matched without captures, so RE2 runs only its DFA.
struct Segment {
  std::shared_ptr<const re2::RE2> re;
  std::string name;
  std::int16_t slot = -1;  // of `name`
  bool is_key = false;     // `name` is the dispatch key
  // Segments RE2 need not run for (a call costs more than these checks): literal text (no regex
  // syntax), exactly `digits` ASCII digits (`\d{6}`), or the syslog timestamp regex asa.yaml
  // uses (kSyslogTimeRegex in line_match.cpp, matched by hand). Same match, same length.
  enum class Kind { kRegex, kLiteral, kDigits, kSyslogTime } kind = Kind::kRegex;
  std::string literal;
  std::size_t digits = 0;
};

struct Dispatch {
  Pattern header;                 // `header.pattern`, or
  std::vector<Segment> segments;  // `header.segments`
  std::string key;                // the capture whose value picks the bodies
  int key_group = 0;              // capture index of `key` in `header`
  std::map<std::string, std::vector<Body>, std::less<>> bodies;
};

// Matches `t` at `pos` of `text`; on success appends the holes to `out`.
bool match_template(const Template& t, std::string_view text, std::size_t pos, Captures& out);

// Turns one text of the record into more keys: key=value pairs (FortiGate), positional CSV
// columns (PAN-OS GlobalProtect) or RFC 5424 structured data ([id key="v"] -> "sd.id.key").
// Existing keys are never overwritten.
struct Splitter {
  enum class Kind { kKeyValue, kCsv, kStructuredData };
  Kind kind = Kind::kKeyValue;
  Path from = Path::parse("message");
  std::vector<std::string> columns;  // kCsv: names by position; extra columns are dropped
};

struct Filter {
  Path path;
  std::vector<std::string> values;
};

enum class MapOutcome { kEvent, kSkip, kBad };

// `rows:`: one record yields one event per element of an array (osquery's batch `diffResults` and
// `snapshot` logs). Each element is read under the key `as` (its own keys as `as.key`); `set`
// gives fixed keys per array (action: added); every other path still reads the whole record.
struct RowSource {
  Path path;
  std::string as = "row";
  std::vector<std::pair<std::string, std::string>> set;
};

// Where one row sits in its record, for reports ("diffResults.added[3]").
struct RowRef {
  const RowSource* source = nullptr;
  std::size_t index = 0;
};

// `detect:`: what the head of a file (Catalog::detect) must hold for this source to be picked.
struct DetectRule {
  std::vector<std::string> contains;                     // every one, as literal text
  std::vector<std::shared_ptr<const re2::RE2>> regexes;  // every one found (^ is the start)
  bool matches(std::string_view head) const;
};

class Mapping {
 public:
  std::string file;  // the definition's path, for warnings
  std::string name;
  std::vector<FieldRule> fields;
  TimeRule time;
  std::vector<Pattern> patterns;
  int max_groups = 0;  // the most capture groups of any pattern, to size one submatch buffer
  // All patterns in one set (null for one pattern, or when the set cannot be built): finds which
  // pattern applies in one pass.
  std::shared_ptr<const re2::RE2::Set> pattern_set;
  std::optional<Dispatch> dispatch;  // instead of `patterns`
  std::size_t max_captures = 0;      // named groups one line can capture (header + body)
  Path pattern_field = Path::parse("message");
  bool unmatched_is_error = false;
  std::vector<Splitter> splitters;
  std::vector<Filter> filters;
  std::vector<RowSource> rows;
  std::size_t max_rows = 10000;      // per record; rows past it are dropped and the record is bad
  std::optional<DetectRule> detect;  // none: never picked by Catalog::detect
  // The operator's HMAC key for Normalize::kDocument fields; null or empty when none was given.
  std::shared_ptr<const std::string> hmac_key;

  MapOutcome apply(const ingest::Record& record, model::Event& out,
                   model::Diagnostics& diags) const;
  // The same for a line from ingest::RecordParser, read in place (simdjson DOM, syslog text and
  // the pattern's captures) without building an nlohmann tree; gives exactly apply()'s result.
  MapOutcome apply_raw(const ingest::RawRecord& record, model::Event& out,
                       model::Diagnostics& diags) const;
  // Every event of one record: one for a record without rows, one per row otherwise. `out` is
  // cleared before each row after the first; `sink` gets each event.
  MapCounts apply_each(const ingest::Record& record, model::Event& out, model::Diagnostics& diags,
                       const EventSink& sink) const;
  MapCounts apply_each_raw(const ingest::RawRecord& record, model::Event& out,
                           model::Diagnostics& diags, const EventSink& sink) const;

  // The steps below are shared by the mapping paths in mapping.cpp.
  MapOutcome apply_tree(const nlohmann::json& data, const model::Origin& origin, model::Event& out,
                        model::Diagnostics& diags) const;
  MapCounts each_tree(const nlohmann::json& data, const model::Origin& origin, model::Event& out,
                      model::Diagnostics& diags, const EventSink& sink) const;
  // The record as map_view reads it after patterns and splitters (`patched` holds a changed
  // copy); nullptr for a skip or bad record, with `outcome` saying which.
  const nlohmann::json* prepare_tree(const nlohmann::json& record, const model::Origin& origin,
                                     nlohmann::json& patched, model::Diagnostics& diags,
                                     MapOutcome& outcome) const;
  // Index of the first pattern matching `text` with its captures in `sub`; -1 when none does.
  int match_pattern(std::string_view text, re2::StringPiece* sub) const;
  bool has_patterns() const { return !patterns.empty() || dispatch.has_value(); }
  // Numbers every capture name (patterns, header, segments, bodies) and marks the paths that read
  // one (fields, timestamp, offset, filters), and numbers those paths' prefixes. Run once the
  // definition is compiled.
  void assign_slots();
  // Every distinct leading part of a dotted path: its last segment and the part before it (-1 for
  // a top-level key). Filled by assign_slots().
  struct Prefix {
    int parent = -1;
    std::string segment;
  };
  std::vector<Prefix> prefixes;
  // Runs `patterns` (or `header` and `bodies`) on `text`; false when none matches.
  bool match_line(std::string_view text, Captures& out) const;
};

// Parses `text` in one timestamp format; nullopt when it does not fit or names an impossible time.
// A time without an offset is wall-clock time in `zone` (UTC when null); see TimeZone::to_utc for
// the hour that happens twice and the hour that never happens.
std::optional<std::int64_t> parse_time(std::string_view text, const TimeFormat& format,
                                       const model::TimeZone* zone = nullptr);

// The whole of `text` as a number (from_chars; strtod for doubles); false for anything else.
// Inline: the mapper calls them per field, and time_parse.cpp shares them.
template <typename T>
inline bool parse_number(std::string_view text, T& out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

inline bool parse_double(std::string_view text, double& out) {
  if (text.empty() || text.size() > 64) return false;
  std::string buf(text);
  char* end = nullptr;
  out = std::strtod(buf.c_str(), &end);
  return end == buf.c_str() + buf.size();
}

// Seconds in "1d 2h:03m:04s", "0h:05m:32s", "01:02:03", "3600"; nullopt when malformed.
std::optional<std::int64_t> parse_duration_s(std::string_view text);

// Adds the splitter's keys to `data` (an object). Returns what was malformed (RFC 5424 structured
// data only; the keys before the fault are added), empty when nothing was.
std::string split_into(const Splitter& splitter, std::string_view text, nlohmann::json& data);

// Text of a scalar JSON value; false for null (absent). Objects and arrays give their JSON text.
bool scalar_text(const nlohmann::json& value, std::string& out);

}  // namespace vetter::sources
