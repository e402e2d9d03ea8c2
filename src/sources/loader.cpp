// Loading source definitions: the YAML format below, compiled to a Mapping (Loader), and
// Catalog::load_dir/load_file.
//
// A source definition is one YAML document (rules/sources/*.yaml):
//
//   name: okta                  # required, [a-z0-9_-]+; becomes event.source
//   description: ...            # optional, for humans
//   format: jsonl               # required: jsonl | json | csv | syslog (see ingest/reader.h)
//   category: authentication    # required; becomes event.category unless a field mapping sets it
//   timestamp: published        # shorthand for {from: published}
//   timestamp:
//     from: published           # a path, or a list of paths (first non-empty wins)
//     format: iso8601           # iso8601 (default) | date (YYYY-MM-DD, 00:00Z) | epoch_s |
//                               # epoch_ms | epoch_us | epoch_ns | epoch (unit from magnitude:
//                               # 10 digits s, 13 ms, 16 us, 19 ns) | a strftime-like pattern using
//                               # %Y %m %d %e %H %M %S %f %b %z %% (" " matches any run of
//                               # spaces); or a list of these, tried in order. A pattern without
//                               # %Y (classic syslog) takes the current year, or the previous one
//                               # when that would be more than a day in the future.
//     offset: tz                # optional: a path whose value (+hhmm, -hh:mm, +hh, Z) is this
//                               # record's UTC offset for %-patterns without %z (in place of
//                               # `timezone`); a malformed one is a bad record (E-INPUT-TIME)
//     optional: true            # a missing or empty value gives time 0 instead of a bad record
//                               # (HR exports: rows without a hire date still describe a worker)
//   timezone: Europe/Berlin     # IANA zone of timestamps that carry no offset (a %-pattern
//                               # without %z, ISO 8601 without Z/+hh:mm); default UTC. Epochs
//                               # and `date` are not affected. An input can override it (config
//                               # `timezone:`, --timezone SOURCE=ZONE). In the hour a DST change
//                               # repeats, the earlier instant is taken; a time in the hour it
//                               # skips is read with the offset before the change (02:30 ->
//                               # 03:30 daylight time). E-SOURCE-TIMEZONE when unknown.
//   pattern:                    # RE2 regexes (one or a list) tried in order on `pattern_field`;
//     - '...(?P<user>[^>]+)...' # the first match's named groups become record keys before the
//                               # fields are mapped. Meant for syslog.
//   header:                     # instead of `pattern`, for syslog with many message types: one
//     pattern: '^(?P<ts>...) %ASA-\d-(?P<msgid>\d+): '   # RE2 anchored at the line's start
//     key: msgid                #   whose group `key` picks the body patterns to try
//   header:                     # or as segments, each matched where the previous one ended
//     segments: [{ts: 'regex'}, 'regex', {msgid: '\d{6}'}, ': ']   # named ones are kept;
//     key: msgid                # no backtracking between segments, no RE2 captures (DFA only)
//   bodies:                     # key value -> regex or list, anchored where the header ends
//     '113039': 'Group <(?P<group>[^>]*)> User <(?P<user>[^>]+)> ...'    # (no ^ in a body)
//     '113040': {template: 'Group <{group}> User <{user}> IP <{ip}> ...'}  # or a template:
//                               # literal text with {name} holes ({_}: not kept), matched by
//                               # hand: each hole (never empty) ends at the next occurrence of
//                               # the text after it, a last hole takes the rest of the line, the
//                               # text after the last literal is ignored; no backtracking, no
//                               # RE2. {name!<>}
//                               # rejects a value holding '<' or '>' (a space in the list: any
//                               # whitespace). A list may mix both; the first that matches wins.
//                               # header and body groups become record keys, as with `pattern`;
//                               # a key value not listed (another message id) is unmatched
//   pattern_field: message      # default "message"
//   kv: message                 # split key=value / key="quoted value" pairs of that text into
//                               # record keys (FortiGate); runs after `pattern`
//   csv: {from: body, columns: [a, b, c]}     # split one CSV line by position into named keys
//                               # (PAN-OS syslog); neither kv nor csv overwrites existing keys
//   sd: message                 # RFC 5424 structured data of that text (the whole message after
//                               # <PRI>, or a text starting at the first '['): each element
//                               # [id key="v" ...] becomes keys sd.<id>.<key> (map them as
//                               # `sd.exampleSDID@32473.iut`), with \" \\ \] unescaped; a
//                               # malformed element makes the line a bad record (E-INPUT-SD);
//                               # runs after kv and csv
//   unmatched: skip             # skip (default): a line no pattern matches is not an event and
//                               # is not reported; error: it is a bad record (E-INPUT-PATTERN)
//   filter:                     # keep only records whose path has one of the values (others are
//                               # skipped, not errors); applied after pattern/kv/csv
//     eventName: [ConsoleLogin]
//   rows:                       # one record, many events (JSON formats only): each element of
//     - from: diffResults.added #   the array at `from` becomes one event, read under the key
//       as: columns             #   `as` (default "row": paths row.x / columns.x), with the
//       set: {action: added}    #   `set` keys fixed per array; every other path still reads the
//     - from: snapshot          #   whole record. Arrays are taken in the order listed. A record
//       as: columns             #   holding none of them maps as itself (osquery's event format);
//                               #   one whose arrays are all empty is skipped; a `from` that is
//                               #   not an array is a bad record, an element that is not an
//                               #   object a bad row (E-INPUT-ROWS). Filters and the
//                               #   timestamp are read per row; reports name the row
//                               #   ("snapshot[2]") beside the record's file:line.
//   max_rows: 10000             # rows per record (default 10000); rows past it are dropped and
//                               # the record counts as bad (E-INPUT-ROWS), so memory stays bounded
//   detect:                     # what a file's head must hold for a bare path (no SOURCE:) to be
//     contains: ['"eventType"'] #   this source: literal texts, every one (one or a list), and/or
//     regex: ['^\{']            #   RE2s, every one found (^: the head's start). The head is the
//                               #   first Catalog::kDetectHeadBytes, decompressed, without BOM and
//                               #   leading blank lines. Without `detect`, never auto-picked; two
//                               #   fitting definitions make a file ambiguous (refused)
//   fields:                     # target (a field of `vetter fields`) -> where its value comes from
//     user.email: actor.alternateId            # shorthand for {from: ...}
//     event.outcome:
//       from: outcome.result    # a path, or a list: scalars take the first non-empty value,
//                               # string lists gather every non-empty value (and array elements)
//       lower: true             # lower-case before `map`
//       map: {SUCCESS: success} # exact match on the (lowered) text; mapping to '' drops a value
//                               # (ASA's masked user name '*****')
//       default: unknown        # for absent, empty and (with `map`) unmapped values
//       split: ","              # string lists: split one text on this delimiter
//       duration: true          # int fields: "1d 2h:03m:04s", "0h:05m:32s", "01:02:03" -> seconds
//       normalize: address      # string fields, model/keys.h comparison keys: address
//                               # (address_key), phone (E.164; `calling_code: "44"` for national
//                               # numbers, default 1), email (email_key), timezone (an IANA
//                               # name from an HR label: "GMT-06:00 Central Time (Chicago)" ->
//                               # America/Chicago; one it cannot read is kept and warns once).
//                               # A phone or e-mail that cannot be one is left absent and warns
//                               # once, like a bad IP.
//     event.action: {constant: hr_record}      # a fixed value
//     hr.address_key: {template: '{street}, {city}, {state}', normalize: address}
//                               # several columns in one value: the literal text with each
//                               # {column}'s text put in (absent ones add nothing; absent when
//                               # all are); '{{' is a literal brace. Then lower/map/normalize.
//
// Paths are dotted ("client.ipAddress", "request.ipChain.0.ip"); the whole path is first tried as
// one key, so CSV headers with dots or spaces work as written. Empty values count as absent (an
// empty personal-email cell must never match another worker's). Values convert to the target's
// type; a value that does not convert (an invalid IP, "abc" for an int) leaves the field absent
// and warns once per definition (W-INPUT-VALUE). Load errors say file:line:col with a stable code:
// E-SOURCE-YAML (syntax), E-SOURCE-KEY (unknown or missing key), E-SOURCE-FIELD (unknown target),
// E-SOURCE-VALUE (bad option value), E-SOURCE-PATTERN (RE2 does not compile), E-SOURCE-TIME,
// E-SOURCE-TIMEZONE (unknown zone).
#include "vetter/sources/source.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "loader.h"
#include "mapping.h"
#include "vetter/model/field.h"
#include "vetter/model/ip.h"

namespace vetter::sources {

// `timezone:` or an input's override: an IANA name read from the system's TZif files; "UTC"
// (the default) needs none. False with `why` when the zone is unknown.
bool set_time_zone(TimeRule& rule, const std::string& name, std::string& why) {
  if (name == "UTC" || name == "Etc/UTC") {
    rule.zone = nullptr;
    rule.zone_name.clear();
    return true;
  }
  std::string error;
  const model::TimeZone* zone = model::find_time_zone(name, &error);
  if (zone == nullptr) {
    why = "unknown time zone '" + name +
          "': give an IANA name such as Europe/Berlin or America/New_York (from " +
          "/usr/share/zoneinfo or $TZDIR)" + (error.empty() ? "" : "; " + error);
    return false;
  }
  rule.zone = zone;
  rule.zone_name = name;
  return true;
}

namespace {

std::string where(const std::string& file, const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

}  // namespace

std::shared_ptr<const Source> Loader::load(const YAML::Node& root) {
  if (!root.IsMap()) {
    error("E-SOURCE-YAML", root, "a source definition must be a YAML mapping");
    return nullptr;
  }
  static const std::set<std::string> kKeys = {
      "name",      "description", "format", "category", "timestamp", "pattern", "pattern_field",
      "unmatched", "kv",          "csv",    "filter",   "fields",    "rows",    "max_rows",
      "timezone",  "sd",          "header", "bodies",   "detect"};
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    if (!kKeys.count(key)) error("E-SOURCE-KEY", kv.first, "unknown key '" + key + "'");
  }
  auto mapping = std::make_shared<Mapping>();
  mapping->file = file_;
  mapping->hmac_key = hmac_key_;

  std::string name = required_string(root, "name");
  if (!name.empty() && !std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      })) {
    error("E-SOURCE-VALUE", root["name"], "name must use only a-z, 0-9, '-' and '_'");
  }
  mapping->name = name;
  std::string format_name = required_string(root, "format");
  std::optional<ingest::Format> format = ingest::parse_format(format_name);
  if (!format_name.empty() && !format) {
    error("E-SOURCE-VALUE", root["format"],
          "format '" + format_name + "' is not one of jsonl, json, csv, syslog");
  }
  std::string category = required_string(root, "category");

  if (root["timestamp"])
    compile_time(root["timestamp"], mapping->time);
  else
    error("E-SOURCE-KEY", root, "missing key 'timestamp'");

  if (const YAML::Node zone = root["timezone"]) {
    if (scalar(zone, "timezone")) {
      std::string why;
      if (!set_time_zone(mapping->time, zone.Scalar(), why)) error("E-SOURCE-TIMEZONE", zone, why);
    }
  }
  if (const YAML::Node patterns = root["pattern"]) compile_patterns(patterns, *mapping);
  if (root["header"] || root["bodies"]) compile_dispatch(root, *mapping);
  if (const YAML::Node field = root["pattern_field"]) {
    if (scalar(field, "pattern_field")) mapping->pattern_field = Path::parse(field.Scalar());
  }
  if (const YAML::Node unmatched = root["unmatched"]) {
    if (scalar(unmatched, "unmatched")) {
      if (unmatched.Scalar() == "error")
        mapping->unmatched_is_error = true;
      else if (unmatched.Scalar() != "skip")
        error("E-SOURCE-VALUE", unmatched, "unmatched must be 'skip' or 'error'");
    }
  }
  if (const YAML::Node kv = root["kv"]) compile_splitter(kv, Splitter::Kind::kKeyValue, *mapping);
  if (const YAML::Node csv = root["csv"]) compile_splitter(csv, Splitter::Kind::kCsv, *mapping);
  if (const YAML::Node sd = root["sd"])
    compile_splitter(sd, Splitter::Kind::kStructuredData, *mapping);
  if (const YAML::Node filter = root["filter"]) compile_filters(filter, *mapping);
  if (const YAML::Node rows = root["rows"]) {
    if (format && (*format == ingest::Format::kSyslog || *format == ingest::Format::kCsv)) {
      error("E-SOURCE-VALUE", rows, "rows need JSON records (format jsonl or json)");
    } else {
      compile_rows(rows, *mapping);
    }
  }
  if (const YAML::Node max_rows = root["max_rows"]) {
    std::int64_t n = 0;
    if (!max_rows.IsScalar() || !YAML::convert<std::int64_t>::decode(max_rows, n) || n < 1 ||
        n > 1'000'000) {
      error("E-SOURCE-VALUE", max_rows, "max_rows must be a whole number from 1 to 1000000");
    } else {
      mapping->max_rows = static_cast<std::size_t>(n);
    }
  }
  if (const YAML::Node detect = root["detect"]) compile_detect(detect, *mapping);
  if (const YAML::Node fields = root["fields"]) {
    if (!fields.IsMap()) {
      error("E-SOURCE-VALUE", fields, "fields must be a mapping of target field to source");
    } else {
      for (const auto& kv : fields)
        compile_field(kv.first, kv.second, *mapping);
    }
  } else {
    error("E-SOURCE-KEY", root, "missing key 'fields'");
  }
  if (failed_ || !format) return nullptr;
  mapping->assign_slots();
  return std::make_shared<Source>(name, file_, *format, category, std::move(mapping));
}

void Loader::error(const char* code, const YAML::Node& node, std::string message) {
  failed_ = true;
  diags_.error(code, where(file_, node), std::move(message));
}

bool Loader::scalar(const YAML::Node& node, std::string_view what) {
  if (node.IsScalar()) return true;
  error("E-SOURCE-VALUE", node, std::string(what) + " must be a single value");
  return false;
}

std::string Loader::required_string(const YAML::Node& root, const char* key) {
  const YAML::Node node = root[key];
  if (!node) {
    error("E-SOURCE-KEY", root, std::string("missing key '") + key + "'");
    return {};
  }
  if (!scalar(node, key)) return {};
  return node.Scalar();
}

// A path or a list of paths.
std::vector<Path> Loader::paths(const YAML::Node& node, std::string_view what) {
  std::vector<Path> out;
  if (node.IsScalar()) {
    out.push_back(Path::parse(node.Scalar()));
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (scalar(item, what)) out.push_back(Path::parse(item.Scalar()));
    }
  }
  if (out.empty()) error("E-SOURCE-VALUE", node, std::string(what) + " needs a path or a list");
  return out;
}

void Loader::compile_time(const YAML::Node& node, TimeRule& rule) {
  if (node.IsScalar()) {
    rule.from = paths(node, "timestamp");
    return;
  }
  if (!node.IsMap()) {
    error("E-SOURCE-TIME", node, "timestamp must be a path or {from, format, optional}");
    return;
  }
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (key != "from" && key != "format" && key != "optional" && key != "offset") {
      error("E-SOURCE-KEY", kv.first, "unknown timestamp option '" + key + "'");
    }
  }
  if (node["from"])
    rule.from = paths(node["from"], "timestamp.from");
  else
    error("E-SOURCE-TIME", node, "timestamp needs 'from'");
  if (const YAML::Node optional = node["optional"]) rule.optional = boolean(optional);
  if (const YAML::Node offset = node["offset"]) {
    if (scalar(offset, "timestamp.offset")) rule.offset_from = Path::parse(offset.Scalar());
  }
  if (const YAML::Node format = node["format"]) {
    rule.formats.clear();
    if (format.IsSequence()) {
      for (const YAML::Node& f : format)
        add_time_format(f, rule);
    } else {
      add_time_format(format, rule);
    }
    if (rule.formats.empty() && !failed_) {
      error("E-SOURCE-TIME", format, "timestamp.format is empty");
    }
  }
}

void Loader::add_time_format(const YAML::Node& node, TimeRule& rule) {
  if (!scalar(node, "timestamp.format")) return;
  const std::string& f = node.Scalar();
  static const std::pair<std::string_view, TimeKind> kNamed[] = {
      {"iso8601", TimeKind::kIso8601},  {"rfc3339", TimeKind::kIso8601},
      {"date", TimeKind::kDate},        {"epoch_s", TimeKind::kEpochS},
      {"epoch_ms", TimeKind::kEpochMs}, {"epoch_us", TimeKind::kEpochUs},
      {"epoch_ns", TimeKind::kEpochNs}, {"epoch", TimeKind::kEpoch}};
  for (const auto& [label, kind] : kNamed) {
    if (f == label) {
      rule.formats.push_back({kind, {}});
      return;
    }
  }
  if (f.find('%') == std::string::npos) {
    error("E-SOURCE-TIME", node,
          "timestamp.format '" + f +
              "' is neither iso8601, date, epoch, epoch_s/ms/us/ns nor a %-pattern");
    return;
  }
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') continue;
    const char c = i + 1 < f.size() ? f[++i] : '\0';
    if (std::string_view("YmdeHMSfbz%").find(c) == std::string_view::npos || c == '\0') {
      error("E-SOURCE-TIME", node,
            std::string("timestamp.format uses unsupported conversion '%") + c +
                "' (supported: %Y %m %d %e %H %M %S %f %b %z %%)");
      return;
    }
  }
  rule.formats.push_back({TimeKind::kPattern, f});
}

bool Loader::boolean(const YAML::Node& node) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    error("E-SOURCE-VALUE", node, "expected true or false");
  }
  return value;
}

// kv: message | {from: message};  csv: {from: body, columns: [a, b, ...]}
void Loader::compile_splitter(const YAML::Node& node, Splitter::Kind kind, Mapping& mapping) {
  Splitter splitter;
  splitter.kind = kind;
  const char* what = kind == Splitter::Kind::kKeyValue ? "kv"
                     : kind == Splitter::Kind::kCsv    ? "csv"
                                                       : "sd";
  if (node.IsScalar()) {
    splitter.from = Path::parse(node.Scalar());
  } else if (node.IsMap()) {
    for (const auto& kv : node) {
      const std::string key = kv.first.as<std::string>();
      if (key == "from") {
        if (scalar(kv.second, "from")) splitter.from = Path::parse(kv.second.Scalar());
      } else if (key == "columns" && kind == Splitter::Kind::kCsv && kv.second.IsSequence()) {
        for (const YAML::Node& c : kv.second) {
          if (scalar(c, "column")) splitter.columns.push_back(c.Scalar());
        }
      } else {
        error("E-SOURCE-KEY", kv.first, std::string("unknown ") + what + " option '" + key + "'");
      }
    }
  } else {
    error("E-SOURCE-VALUE", node, std::string(what) + " must be a path or a mapping");
    return;
  }
  if (kind == Splitter::Kind::kCsv && splitter.columns.empty()) {
    error("E-SOURCE-VALUE", node, "csv needs a list of columns");
    return;
  }
  mapping.splitters.push_back(std::move(splitter));
}

// rows: [{from: path, as: key, set: {key: value}}, ...] or a path (or list of paths) alone.
void Loader::compile_rows(const YAML::Node& node, Mapping& mapping) {
  for (const YAML::Node& item : one_or_many(node)) {
    RowSource row;
    if (item.IsScalar()) {
      row.path = Path::parse(item.Scalar());
      mapping.rows.push_back(std::move(row));
      continue;
    }
    if (!item.IsMap()) {
      error("E-SOURCE-VALUE", item, "a rows entry is a path or {from, as, set}");
      continue;
    }
    bool has_from = false;
    for (const auto& kv : item) {
      const std::string key = kv.first.as<std::string>();
      if (key == "from") {
        if (scalar(kv.second, "rows.from")) {
          row.path = Path::parse(kv.second.Scalar());
          has_from = true;
        }
      } else if (key == "as") {
        if (!scalar(kv.second, "rows.as")) continue;
        row.as = kv.second.Scalar();
        if (row.as.empty() || row.as.find('.') != std::string::npos) {
          error("E-SOURCE-VALUE", kv.second, "rows.as is one key without dots, e.g. columns");
        }
      } else if (key == "set") {
        if (!kv.second.IsMap()) {
          error("E-SOURCE-VALUE", kv.second, "rows.set maps a key to a fixed value");
          continue;
        }
        for (const auto& pair : kv.second) {
          if (scalar(pair.second, "rows.set value"))
            row.set.emplace_back(pair.first.as<std::string>(), pair.second.Scalar());
        }
      } else {
        error("E-SOURCE-KEY", kv.first, "unknown rows option '" + key + "' (from, as, set)");
      }
    }
    if (!has_from) {
      error("E-SOURCE-VALUE", item, "a rows entry needs 'from' (the path of the array)");
      continue;
    }
    mapping.rows.push_back(std::move(row));
  }
}

void Loader::compile_filters(const YAML::Node& node, Mapping& mapping) {
  if (!node.IsMap()) {
    error("E-SOURCE-VALUE", node, "filter must map a path to a value or a list of values");
    return;
  }
  for (const auto& kv : node) {
    Filter filter{Path::parse(kv.first.as<std::string>()), {}};
    if (kv.second.IsSequence()) {
      for (const YAML::Node& v : kv.second) {
        if (scalar(v, "filter value")) filter.values.push_back(v.Scalar());
      }
    } else if (scalar(kv.second, "filter value")) {
      filter.values.push_back(kv.second.Scalar());
    }
    mapping.filters.push_back(std::move(filter));
  }
}

void Loader::compile_field(const YAML::Node& key, const YAML::Node& spec, Mapping& mapping) {
  const std::string target = key.as<std::string>();
  std::optional<model::FieldId> id = model::Fields::find(target);
  if (!id) {
    error("E-SOURCE-FIELD", key,
          "unknown target field '" + target + "' (see `vetter fields` for the list)");
    return;
  }
  const model::FieldInfo& info = model::Fields::info(*id);
  if (info.type == model::FieldType::kTime) {
    error("E-SOURCE-FIELD", key, "'" + target + "' is set by the 'timestamp' key, not a field");
    return;
  }
  FieldRule rule;
  rule.target = *id;
  rule.type = info.type;
  rule.target_name = target;
  rule.where = where(file_, key);
  if (spec.IsScalar() || spec.IsSequence()) {
    rule.from = paths(spec, target);
    mapping.fields.push_back(std::move(rule));
    return;
  }
  if (!spec.IsMap()) {
    error("E-SOURCE-VALUE", spec, "field '" + target + "' needs a path or {from: ...}");
    return;
  }
  bool has_constant = false;
  for (const auto& kv : spec) {
    const std::string opt = kv.first.as<std::string>();
    if (opt == "from") {
      rule.from = paths(kv.second, target);
    } else if (opt == "template") {
      if (!scalar(kv.second, "template")) continue;
      std::string why;
      if (auto path = Path::parse_template(kv.second.Scalar(), why)) {
        rule.from = {std::move(*path)};
      } else {
        error("E-SOURCE-VALUE", kv.second, "template: " + why);
      }
    } else if (opt == "constant") {
      has_constant = true;
      rule.constant = constant(kv.second, rule);
    } else if (opt == "map") {
      if (!kv.second.IsMap()) {
        error("E-SOURCE-VALUE", kv.second, "map must be a mapping {vendor value: value}");
        continue;
      }
      for (const auto& m : kv.second) {
        if (scalar(m.second, "map value")) rule.map[m.first.as<std::string>()] = m.second.Scalar();
      }
    } else if (opt == "default") {
      if (scalar(kv.second, "default")) rule.fallback = kv.second.Scalar();
    } else if (opt == "lower") {
      rule.lower = boolean(kv.second);
    } else if (opt == "duration") {
      rule.duration = boolean(kv.second);
      if (rule.type != model::FieldType::kInt) {
        error("E-SOURCE-VALUE", kv.first, "duration applies only to int fields");
      }
    } else if (opt == "normalize") {
      if (!scalar(kv.second, "normalize")) continue;
      const std::string& how = kv.second.Scalar();
      if (how == "address")
        rule.normalize = Normalize::kAddress;
      else if (how == "phone")
        rule.normalize = Normalize::kPhone;
      else if (how == "email")
        rule.normalize = Normalize::kEmail;
      else if (how == "document")
        rule.normalize = Normalize::kDocument;
      else if (how == "timezone")
        rule.normalize = Normalize::kTimeZone;
      else
        error("E-SOURCE-VALUE", kv.second,
              "normalize must be address, phone, email, document or timezone");
      if (rule.type != model::FieldType::kString) {
        error("E-SOURCE-VALUE", kv.first, "normalize applies only to string fields");
      }
    } else if (opt == "calling_code") {
      if (scalar(kv.second, "calling_code")) rule.calling_code = kv.second.Scalar();
      if (rule.calling_code.empty() ||
          !std::all_of(rule.calling_code.begin(), rule.calling_code.end(),
                       [](char c) { return c >= '0' && c <= '9'; })) {
        error("E-SOURCE-VALUE", kv.second, "calling_code is the country's digits, e.g. 44");
      }
    } else if (opt == "split") {
      if (scalar(kv.second, "split")) rule.split = kv.second.Scalar();
      if (rule.type != model::FieldType::kStringList) {
        error("E-SOURCE-VALUE", kv.first, "split applies only to string-list fields");
      }
    } else {
      error("E-SOURCE-KEY", kv.first,
            "unknown field option '" + opt +
                "' (from, template, constant, map, default, lower, split, duration, "
                "normalize, calling_code)");
    }
  }
  if (rule.from.empty() && !has_constant) {
    error("E-SOURCE-VALUE", spec, "field '" + target + "' needs 'from', 'template' or 'constant'");
    return;
  }
  mapping.fields.push_back(std::move(rule));
}

std::optional<model::Value> Loader::constant(const YAML::Node& node, const FieldRule& rule) {
  using model::FieldType;
  if (rule.type == FieldType::kStringList) {
    std::vector<std::string> items;
    if (node.IsSequence()) {
      for (const YAML::Node& item : node) {
        if (scalar(item, "constant")) items.push_back(item.Scalar());
      }
    } else if (scalar(node, "constant")) {
      items.push_back(node.Scalar());
    }
    return model::Value(std::move(items));
  }
  if (!scalar(node, "constant")) return std::nullopt;
  const std::string& text = node.Scalar();
  switch (rule.type) {
    case FieldType::kInt: {
      std::int64_t n = 0;
      if (YAML::convert<std::int64_t>::decode(node, n)) return model::Value(n);
      break;
    }
    case FieldType::kFloat: {
      double d = 0;
      if (YAML::convert<double>::decode(node, d)) return model::Value(d);
      break;
    }
    case FieldType::kBool: {
      bool b = false;
      if (YAML::convert<bool>::decode(node, b)) return model::Value(b);
      break;
    }
    case FieldType::kIp:
      if (auto ip = model::IpAddress::parse(text)) return model::Value(ip->to_string());
      break;
    default:
      return model::Value(text);
  }
  error("E-SOURCE-VALUE", node,
        "constant '" + text + "' is not a valid " + std::string(model::to_string(rule.type)) +
            " for " + rule.target_name);
  return std::nullopt;
}

bool Catalog::load_dir(const std::string& dir, model::Diagnostics& diags) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.extension() == ".yaml" || p.extension() == ".yml") files.push_back(p.string());
  }
  if (ec) {
    diags.error("E-SOURCE-DIR", dir, "cannot read the directory: " + ec.message());
    return false;
  }
  std::sort(files.begin(), files.end());  // deterministic order, so "later wins" is well defined
  bool ok = true;
  for (const std::string& file : files)
    ok = load_file(file, diags) && ok;
  return ok;
}

bool Catalog::load_file(const std::string& path, model::Diagnostics& diags) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    diags.error("E-SOURCE-OPEN", path, "cannot open the source definition");
    return false;
  } catch (const YAML::ParserException& e) {
    diags.error(
        "E-SOURCE-YAML",
        path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
        e.msg);
    return false;
  }
  std::shared_ptr<const Source> source;
  try {
    source = Loader(path, diags, hmac_key_).load(root);
  } catch (const YAML::Exception& e) {
    // Conversions inside the loader are checked first; this is the net for odd documents.
    diags.error(
        "E-SOURCE-YAML",
        path + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
        e.msg);
    return false;
  }
  if (!source) return false;
  auto [it, added] = sources_.try_emplace(source->name(), source);
  if (!added) {
    // Overriding a shipped definition is a feature; saying so keeps it from being a surprise.
    diags.info(
        "I-SOURCE-REPLACED", path,
        "source '" + source->name() + "' replaces the definition from " + it->second->path());
    it->second = std::move(source);
  }
  return true;
}

}  // namespace vetter::sources
