// Readers turn bytes into records. They know formats (JSON Lines, JSON, CSV, syslog), never
// vendors.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"

namespace vetter::ingest {

enum class Format { kJsonLines, kJson, kCsv, kSyslog };

// "jsonl", "json", "csv", "syslog"; nullopt otherwise.
std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);

// One record as the source wrote it. JSON records keep their structure; a CSV row becomes a flat
// object {header: value} of strings (the delimiter, ',' ';' or TAB, is the one the header row
// uses most); a syslog line becomes {"message": the line without its
// <PRI>, "pri": n (only when present)}. Splitting the message further (host, timestamp, vendor
// fields) is the source definition's job: vendors disagree on everything after <PRI>.
struct Record {
  nlohmann::json data;
  model::Origin origin;
};

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

}  // namespace vetter::ingest
