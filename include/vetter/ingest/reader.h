// Readers turn bytes into records. They know formats (JSON Lines, JSON, CSV, syslog), never
// vendors.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"

namespace simdjson::dom {
class element;
}  // namespace simdjson::dom

namespace vetter::ingest {

enum class Format { kJsonLines, kJson, kCsv, kSyslog };

// "jsonl", "json", "csv", "syslog"; nullopt otherwise.
std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);

// A CSV row as read: the header row's names and this row's cells, column by column (`size` of
// each). Views into the reader's buffers, valid only during the sink call.
struct CsvRow {
  const std::vector<std::string>* header = nullptr;
  const std::string_view* cells = nullptr;
  std::size_t size = 0;

  // The cell of the first column named `name` (a repeated name keeps its first column: the one a
  // reader sees first); nullptr when no column has that name.
  const std::string_view* find(std::string_view name) const;
};

// One record as the source wrote it. JSON records keep their structure in `data`; a syslog line
// becomes {"message": the line without its <PRI>, "pri": n (only when present)}. Splitting the
// message further (host, timestamp, vendor fields) is the source definition's job: vendors
// disagree on everything after <PRI>.
// A CSV row (the delimiter, ',' ';' or TAB, is the one the header row uses most) comes as its
// cells in `csv`, with `data` left null: it stands for the flat object {header: value} of
// strings, which to_json(record) builds for whoever needs the tree. Source::map_each reads the
// cells in place.
struct Record {
  nlohmann::json data;
  model::Origin origin;
  const CsvRow* csv = nullptr;  // CSV only; valid during the sink call
};

// `record.data`, or for a CSV row the object it stands for ({header: value}, first column of a
// repeated name).
nlohmann::json to_json(const Record& record);

struct ReadStats {
  std::uint64_t bytes = 0;  // bytes read from the file (compressed size for .gz/.zst)
  std::uint64_t records = 0;
  std::uint64_t bad = 0;  // records skipped because they could not be parsed
};

struct ReadLimits {
  // Longer lines (or CSV rows, or elements of a JSON array) are bad records, never buffered whole.
  std::size_t max_line_bytes = 1 << 20;
  int max_depth = 64;             // JSON nesting
  std::size_t max_fields = 4096;  // CSV columns
};

using RecordSink = std::function<void(Record&&)>;

// Reads `path` ("-" is stdin) in `format` and hands each record to `sink` in file order.
// Plain, gzip and zstd input are told apart by their magic bytes, not the file name.
// kJson accepts a top-level array, a wrapper object with a "Records", "records", "value" or
// "items" array (the first such key; its siblings are ignored),
// or one or more top-level objects (each one record); origin.line is the line a record starts on.
// Error codes: E-INPUT-OPEN, -READ, -LINE (over the size cap), -UTF8, -JSON, -DEPTH, -CSV, -GZIP,
// -ZSTD (truncated or corrupt compressed data; the partial last record is dropped).
// A bad record is reported to `diags` (code E-INPUT-*, where = "path:line") and counted in
// `stats.bad`; it never stops the read. Returns false only when the file cannot be opened or read
// at all (also reported). `path` must outlive the records: their origin views it.
bool read_records(std::string_view path, Format format, const RecordSink& sink,
                  model::Diagnostics& diags, ReadStats& stats, const ReadLimits& limits = {});

// The hot path for the line formats (JSON Lines, syslog), split in two so that a worker pool can
// parse and map chunks of lines while one thread reads: read_lines splits and checks lines (size
// cap, UTF-8, BOM, blanks) and RecordParser turns one line into a RawRecord without building an
// nlohmann tree. Together they accept, reject and report exactly what read_records does.

// true when read_lines/RecordParser handle `format` (kJsonLines, kSyslog); the others use
// read_records only.
bool has_line_path(Format format);

// One line that passed the line checks: trimmed, without its newline and BOM. `text` is valid
// only during the sink call.
using LineSink = std::function<void(std::string_view text, std::uint64_t line)>;

// Like read_records for a line format, but hands over checked lines instead of records. Lines
// rejected here are reported and counted in stats.bad; stats.records is left to the caller (a line
// may still be bad JSON). Returns false when the file cannot be opened or read (reported).
bool read_lines(std::string_view path, Format format, const LineSink& sink,
                model::Diagnostics& diags, ReadStats& stats, const ReadLimits& limits = {});

// The first `max_bytes` bytes of `path` as the records will be read: decompressed (.gz, .zst, by
// magic bytes), without a UTF-8 byte order mark. For telling which source a file is before
// reading it (sources::Catalog::detect). A stream that fails after some bytes (a truncated gzip
// member) gives what came before, unreported: the read proper reports it. Returns false, reported
// (E-INPUT-OPEN), when the file cannot be opened; "-" (stdin) is refused, since peeking would
// consume it.
bool read_head(std::string_view path, std::size_t max_bytes, std::string& out,
               model::Diagnostics& diags);

// The header row of a CSV file (its column names, the delimiter chosen as read_records chooses
// it), read from the file's head. False when the file cannot be opened (reported, E-INPUT-OPEN)
// or holds no header row (`header` left empty, not reported).
bool read_csv_header(std::string_view path, std::vector<std::string>& header,
                     model::Diagnostics& diags);

// A parsed line. JSON: `json` points at the document (simdjson DOM, owned by the parser), or,
// when simdjson could not represent it (a number beyond 64 bits, ...), `tree` holds nlohmann's
// parse. Syslog: `text` is the message without <PRI>, `pri` the priority or -1.
// Valid until the parser's next parse().
struct RawRecord {
  Format format = Format::kJsonLines;
  std::string_view text;
  int pri = -1;
  const simdjson::dom::element* json = nullptr;
  const nlohmann::json* tree = nullptr;
  model::Origin origin;
};

// Parses lines from read_lines; one per thread (it owns simdjson's buffers, reused per line, so
// steady-state parsing allocates nothing).
class RecordParser {
 public:
  explicit RecordParser(const ReadLimits& limits = {});
  ~RecordParser();
  RecordParser(const RecordParser&) = delete;
  RecordParser& operator=(const RecordParser&) = delete;

  // false: a bad record, reported to `diags` with origin's file:line and the same code and message
  // read_records gives (E-INPUT-JSON, E-INPUT-DEPTH); the caller counts it.
  bool parse(Format format, std::string_view text, model::Origin origin, model::Diagnostics& diags,
             RawRecord& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The record read_records would have handed out for `raw` (a JSON object, or the syslog
// {"message", "pri"} object): the slow path for definitions the fast mapper does not cover.
nlohmann::json to_json(const RawRecord& raw);

}  // namespace vetter::ingest
