// Format readers (stub: implemented by the ingest work).
#include "vetter/ingest/reader.h"

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
    case Format::kJsonLines: return "jsonl";
    case Format::kJson: return "json";
    case Format::kCsv: return "csv";
    case Format::kSyslog: return "syslog";
  }
  return "?";
}

bool read_records(std::string_view, Format, const RecordSink&, model::Diagnostics&, ReadStats&,
                  const ReadLimits&) {
  return false;
}

}  // namespace vetter::ingest
