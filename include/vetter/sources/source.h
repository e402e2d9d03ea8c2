// Source definitions: YAML files that map one vendor's records to the normalized event.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vetter/ingest/reader.h"
#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"

namespace vetter::sources {

class Mapping;  // compiled field mappings (private to the module)

// What became of one record: an event, a record the definition deliberately passes over (a
// syslog line no `pattern` matches, a record outside `filter`; not an error, not reported), or a
// bad record (reported, like map() returning false).
enum class MapResult { kEvent, kSkipped, kBad };

// What became of one record that may yield several events (a definition with `rows:`, such as
// osquery's batch and snapshot logs): how many events, skipped rows and bad rows. A record
// without rows gives exactly one of the three; a record whose arrays are all empty is one skip.
struct MapCounts {
  std::uint32_t events = 0;
  std::uint32_t skipped = 0;
  std::uint32_t bad = 0;
};

// Receives each event of a record, filled. It may move fields out; the mapper clears the event
// before it maps the next row.
using EventSink = std::function<void(model::Event&)>;

// A loaded, compiled source definition (rules/sources/*.yaml). Immutable; shared by threads.
class Source {
 public:
  Source(std::string name, std::string path, ingest::Format format, std::string category,
         std::shared_ptr<const Mapping> mapping);

  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }  // the YAML file it came from
  ingest::Format format() const { return format_; }
  const std::string& category() const { return category_; }

  // Fills `out` (a fresh Event) from `record`: @timestamp, event.source, event.category and every
  // mapped field; `user.original` holds the account as the vendor wrote it. Returns false when the
  // record cannot become an event (no or impossible timestamp, ...): the reason is reported to
  // `diags` with the record's file:line, and the caller counts it as bad input.
  // A record the definition skips (see MapResult) also returns false, without a report; callers
  // that count bad input should use map_record to tell the two apart.
  bool map(const ingest::Record& record, model::Event& out, model::Diagnostics& diags) const;
  MapResult map_record(const ingest::Record& record, model::Event& out,
                       model::Diagnostics& diags) const;
  // map_record for a line from ingest::RecordParser (the hot path): the same event, skip or
  // report, read from simdjson's DOM or the syslog text without an nlohmann tree.
  MapResult map_raw(const ingest::RawRecord& record, model::Event& out,
                    model::Diagnostics& diags) const;
  // Every event of one record, handed to `sink` in row order, `out` being the scratch event (see
  // EventSink). Readers use these: map/map_record/map_raw keep only the first event of a record
  // that yields several (fine for tests and one-row sources, wrong for osquery batches).
  // Bad rows are reported with the record's file:line and the row ("snapshot[2]").
  MapCounts map_each(const ingest::Record& record, model::Event& out, model::Diagnostics& diags,
                     const EventSink& sink) const;
  MapCounts map_each_raw(const ingest::RawRecord& record, model::Event& out,
                         model::Diagnostics& diags, const EventSink& sink) const;
  bool has_rows() const;  // the definition has `rows:`: a record may yield several events

  // The record keys (for CSV: the header's column names) the definition reads, in the order its
  // fields first name them: every `from` path and template hole of its fields, then the
  // timestamp's. What a config's `columns:` may rename.
  std::vector<std::string> columns() const;
  // The target fields that read `column` (directly or through a template), in definition order.
  std::vector<std::string> fields_reading(std::string_view column) const;
  // Every mapped target field with the keys it reads ("hr.address_key" -> {"home_address"});
  // a constant has none.
  std::vector<std::pair<std::string, std::vector<std::string>>> field_sources() const;
  // The IANA zone zone-less times are read in ("UTC" when none).
  std::string time_zone() const;
  // Some field is `normalize: document` (identity-document, bank numbers): the HMAC key is needed.
  bool needs_hmac_key() const;

 private:
  std::string name_;
  std::string path_;
  ingest::Format format_;
  std::string category_;
  std::shared_ptr<const Mapping> mapping_;

  friend class Catalog;  // with_overrides copies the mapping
};

// Per-input overrides from the config (`columns:`), key -> the export's own column. A key is
// read as one of the definition's columns when the definition reads a column of that name
// (Source::columns(): "network_id", "home_address"), else as a target field ("hr.country");
// a key that is neither is an error (E-SOURCE-COLUMN, with a did-you-mean).
//  - a column key renames that column everywhere the definition reads it: {"network_id":
//    "Network_ID"} also moves the user.aliases entry, so every rule reading a field follows;
//  - a field key replaces that field's `from` (and other fields that read its old column follow).
// A value holding '{' is a template of columns: '{Home_Address_Line_1}, {Home_City}'.
using FieldOverrides = std::map<std::string, std::string>;

// `normalize: timezone`: an HR export's time-zone label as an IANA name: the name itself,
// Workday's "GMT-06:00 Central Time (Chicago)" (the city, else the description, else the
// whole-hour offset as Etc/GMT+6), "Central Time", "Pacific Time"; empty when it is none of these.
std::string iana_zone_for(std::string_view label);

// The candidate closest to `name` (case, '_', '-', ' ' and '.' ignored, then edit distance up to
// a third of the name's length, at least 2); empty when none is close. For did-you-mean hints.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

// Every source definition known to a run: the shipped ones plus the user's.
class Catalog {
 public:
  // The operator's key for fields with `normalize: document` (identity-document and bank
  // numbers), which are kept only as HMAC-SHA-256 under it. Set it before loading definitions.
  // Without one, such a field stays absent and the first record holding a value reports
  // E-CONFIG-HMAC: raw numbers never enter an event.
  void set_hmac_key(std::string key) {
    hmac_key_ = std::make_shared<const std::string>(std::move(key));
  }

  // Loads every *.yaml in `dir` (later files with the same name replace earlier ones, so a user's
  // directory can override a shipped definition). Errors carry file:line:col; returns false if any.
  bool load_dir(const std::string& dir, model::Diagnostics& diags);
  bool load_file(const std::string& path, model::Diagnostics& diags);

  const Source* find(std::string_view name) const;  // nullptr when unknown
  std::vector<std::string> names() const;

  // The one source whose `detect:` fits the head of `path`: its first kDetectHeadBytes,
  // decompressed (.gz, .zst), without BOM and leading blank lines. Definitions without `detect:`
  // are never picked. nullptr, reported as E-INPUT-SOURCE at `path`, when the file is empty,
  // fits none (the message lists the known sources) or several (it lists them), or is stdin;
  // the caller then asks for SOURCE:PATH. An unopenable file is reported as E-INPUT-OPEN.
  const Source* detect(const std::string& path, model::Diagnostics& diags) const;
  // Every source whose `detect:` fits the head of `path`, without reporting anything (empty for
  // stdin, an unreadable or empty file): what a file looks like, for hints.
  std::vector<const Source*> detect_file(const std::string& path) const;
  // Every source whose `detect:` fits `head` (already stripped as above), in name order.
  std::vector<const Source*> detect_candidates(std::string_view head) const;
  static constexpr std::size_t kDetectHeadBytes = 8 * 1024;

  // A copy of source `name` with its field mapping overridden (FieldOverrides: a key is one of
  // the definition's columns, or a target field); nullptr (reported) when a key is neither or a
  // template is malformed. Used for the HR CSV, whose column names every company picks itself.
  // "@timestamp" overrides the timestamp column. An override renames a column: other targets that
  // read the overridden target's old column follow it (user.email: "Mail" also moves the
  // user.original and user.aliases entries that read the old e-mail column), unless they are
  // overridden themselves. A string-list target's override replaces its whole list with one column;
  // a column key (network_id) renames only that entry of the list.
  // `time_zone` (an IANA name, or "UTC"), when not empty, replaces the definition's `timezone:`
  // for an input whose vendor writes local wall-clock time; an unknown zone is reported
  // (E-SOURCE-TIMEZONE) and gives nullptr.
  // `locations`, when given, names where each override key was written (the config's
  // file:line:col); problems with that key are reported there.
  std::shared_ptr<const Source> with_overrides(
      std::string_view name, const FieldOverrides& overrides, model::Diagnostics& diags,
      std::string_view time_zone = {},
      const std::map<std::string, std::string>* locations = nullptr) const;

 private:
  std::map<std::string, std::shared_ptr<const Source>, std::less<>> sources_;
  std::shared_ptr<const std::string> hmac_key_;
};

}  // namespace vetter::sources
