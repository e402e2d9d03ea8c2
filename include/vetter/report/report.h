// Reporters: every output format is derived from one scored result and the run's summary.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "vetter/report/run_info.h"
#include "vetter/score/score.h"

namespace vetter::report {

// The JSON report's schema version; bump on any incompatible change (docs/report-schema.md).
inline constexpr const char* kJsonSchemaVersion = "2";

enum class Format { kTable, kJson, kCsv, kMarkdown, kHtml, kOcsf };

// "table", "json", "csv", "md" (or "markdown"), "html", "ocsf"; nullopt otherwise.
std::optional<Format> parse_format(std::string_view name);
std::string_view to_string(Format format);
// The file a format is written to inside an --out directory (report.json, findings.ocsf.jsonl...).
std::string_view file_name(Format format);
std::vector<Format> all_formats();

void write(std::ostream& out, Format format, const score::Result& result, const RunInfo& run);

// The full report: accounts with every contribution and its evidence, clusters, unknown accounts
// and the run summary. Deterministic for the same inputs (no wall-clock values inside).
void write_json(std::ostream& out, const score::Result& result, const RunInfo& run);

// A ranked table for a terminal: flagged accounts first, each with its strongest evidence.
void write_table(std::ostream& out, const score::Result& result, const RunInfo& run,
                 std::size_t max_accounts = 20);

// One row per (account, rule) contribution, RFC 4180 quoting; spreadsheets and scripts read it.
void write_csv(std::ostream& out, const score::Result& result, const RunInfo& run);

// A review document: summary, ranked table, evidence per flagged account, clusters.
void write_markdown(std::ostream& out, const score::Result& result, const RunInfo& run);

// One self-contained HTML file (no network): ranked accounts, a timeline of evidence per
// flagged account, clusters, unknown accounts and the run summary.
void write_html(std::ostream& out, const score::Result& result, const RunInfo& run);

// OCSF Detection Finding (class_uid 2004) JSON Lines: one finding per (account, rule).
void write_ocsf(std::ostream& out, const score::Result& result, const RunInfo& run);

}  // namespace vetter::report
