// Reporters: every output format is derived from one scored result and the run's summary.
#pragma once

#include <ostream>

#include "vetter/report/run_info.h"
#include "vetter/score/score.h"

namespace vetter::report {

// The JSON report's schema version; bump on any incompatible change (docs/report-schema.md).
inline constexpr const char* kJsonSchemaVersion = "1";

// The full report: accounts with every contribution and its evidence, clusters, unknown accounts
// and the run summary. Deterministic for the same inputs (no wall-clock values inside).
void write_json(std::ostream& out, const score::Result& result, const RunInfo& run);

// A ranked table for a terminal: flagged accounts first, each with its strongest evidence.
void write_table(std::ostream& out, const score::Result& result, const RunInfo& run,
                 std::size_t max_accounts = 20);

}  // namespace vetter::report
