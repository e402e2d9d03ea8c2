// Report format names, file names and dispatch.
#include "vetter/report/report.h"

namespace vetter::report {

std::optional<Format> parse_format(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "csv") return Format::kCsv;
  if (name == "md" || name == "markdown") return Format::kMarkdown;
  if (name == "html") return Format::kHtml;
  if (name == "ocsf") return Format::kOcsf;
  return std::nullopt;
}

std::string_view to_string(Format format) {
  switch (format) {
    case Format::kTable:
      return "table";
    case Format::kJson:
      return "json";
    case Format::kCsv:
      return "csv";
    case Format::kMarkdown:
      return "md";
    case Format::kHtml:
      return "html";
    case Format::kOcsf:
      return "ocsf";
  }
  return "?";
}

std::string_view file_name(Format format) {
  switch (format) {
    case Format::kTable:
      return "report.txt";
    case Format::kJson:
      return "report.json";
    case Format::kCsv:
      return "report.csv";
    case Format::kMarkdown:
      return "report.md";
    case Format::kHtml:
      return "report.html";
    case Format::kOcsf:
      return "findings.ocsf.jsonl";
  }
  return "report";
}

std::vector<Format> all_formats() {
  return {Format::kTable,    Format::kJson, Format::kCsv,
          Format::kMarkdown, Format::kHtml, Format::kOcsf};
}

void write(std::ostream& out, Format format, const score::Result& result, const RunInfo& run) {
  switch (format) {
    case Format::kTable:
      write_table(out, result, run);
      break;
    case Format::kJson:
      write_json(out, result, run);
      break;
    case Format::kCsv:
      write_csv(out, result, run);
      break;
    case Format::kMarkdown:
      write_markdown(out, result, run);
      break;
    case Format::kHtml:
      write_html(out, result, run);
      break;
    case Format::kOcsf:
      write_ocsf(out, result, run);
      break;
  }
}

}  // namespace vetter::report
