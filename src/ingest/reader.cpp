// read_records: opens the input, picks the decoder and hands the bytes to the format's reader.
#include "vetter/ingest/reader.h"

#include "input.h"

namespace vetter::ingest {

std::optional<Format> parse_format(std::string_view name) {
  if (name == "jsonl") return Format::kJsonLines;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  if (name == "syslog") return Format::kSyslog;
  return std::nullopt;
}

std::string_view to_string(Format format) {
  switch (format) {
    case Format::kJsonLines:
      return "jsonl";
    case Format::kJson:
      return "json";
    case Format::kCsv:
      return "csv";
    case Format::kSyslog:
      return "syslog";
  }
  return "?";
}

bool read_records(std::string_view path, Format format, const RecordSink& sink,
                  model::Diagnostics& diags, ReadStats& stats, const ReadLimits& limits) {
  detail::Context ctx{path, sink, diags, stats, limits};
  std::unique_ptr<detail::ByteStream> stream = detail::open_stream(ctx);
  if (!stream) return false;
  switch (format) {
    case Format::kJsonLines:
      detail::read_json_lines(*stream, ctx);
      break;
    case Format::kJson:
      detail::read_json_document(*stream, ctx);
      break;
    case Format::kCsv:
      detail::read_csv(*stream, ctx);
      break;
    case Format::kSyslog:
      detail::read_syslog(*stream, ctx);
      break;
  }
  return true;
}

}  // namespace vetter::ingest
