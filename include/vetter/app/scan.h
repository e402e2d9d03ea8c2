// The batch pipeline: inputs -> events -> identity -> enrichment -> rules -> scores.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vetter/app/config.h"
#include "vetter/model/diagnostics.h"
#include "vetter/report/run_info.h"
#include "vetter/rules/engine.h"
#include "vetter/rules/rule_set.h"
#include "vetter/score/score.h"
#include "vetter/sources/source.h"

namespace vetter::app {

// Stable exit codes (README "Exit codes"); cron jobs depend on them.
enum ExitCode : int {
  kExitClean = 0,     // ran; no account reached the review threshold
  kExitFlagged = 1,   // ran; accounts were flagged
  kExitUsage = 2,     // usage, config or rule error
  kExitBadInput = 3,  // input could not be read, or too much of it was bad
  kExitWrite = 4,     // could not write the report (a full disk, no permission...)
};

struct ScanOutput {
  // Input file names: every event's and hit's Origin views one of these, so they live as long as
  // the output (a deque never moves its elements).
  std::deque<std::string> files;
  // The rules must outlive the scores, which point into them.
  std::unique_ptr<rules::RuleSet> rules;
  // Hits are folded into the scores as the scan runs; the accumulator keeps those shown as
  // evidence, and `scores` points into them.
  std::unique_ptr<score::Accumulator> accumulator;
  score::Result scores;
  report::RunInfo run;
};

// How far a scan has got, for a progress line on a terminal.
struct ScanProgress {
  std::uint64_t events = 0;       // events through the rules so far
  std::uint64_t bytes_total = 0;  // size of the line-format input files (0 for stdin)
  std::uint64_t bytes_read = 0;   // of those, read so far (decompressed bytes for .gz/.zst)
  double elapsed_s = 0;
  std::int64_t event_time_us = 0;  // @timestamp of the latest event: where in the logs the scan is
  bool done = false;
};
using ProgressFn = std::function<void(const ScanProgress&)>;

// Runs the whole pipeline: the passes of src/app/scan_context.h, in order. Problems go to `diags`;
// the exit code says how the run ended. `out` is filled whenever the scan got as far as scoring
// (exit 0, 1, or 3 for bad input). `progress`, when set, is called from the scanning thread about
// four times a second and once at the end (done = true).
int scan(const Config& config, model::Diagnostics& diags, ScanOutput& out,
         const ProgressFn& progress = {});

// Loads the rules named in `config` the way a scan would (for `vetter rules lint`).
rules::RuleSet load_rules(const Config& config, model::Diagnostics& diags);

// Expands a path: a directory gives its regular files (sorted, recursively), a pattern with * ? [
// its matches (sorted), anything else itself. Reports a path that matches nothing.
std::vector<std::string> expand_path(const std::string& path, model::Diagnostics& diags,
                                     const std::string& where);

std::string version();

// Source definitions as a scan loads them: the HMAC key from the config, then every directory of
// `config.source_dirs` in order. False when any had an error (reported).
bool load_catalog(const Config& config, sources::Catalog& catalog, model::Diagnostics& diags);

// One configured input made ready to read: its files, and its source definition with the
// input's `columns:` and time zone applied.
struct PlannedInput {
  const Input* input = nullptr;
  std::shared_ptr<const sources::Source> source;
  std::vector<std::string> paths;
  std::vector<std::string> header;  // CSV: the first file's column names
};

// What one input gave, summed over its files.
struct InputYield {
  std::uint64_t records = 0, bad = 0, skipped = 0, events = 0;
  std::uint64_t identified = 0;  // HR: rows that gave an e-mail, an employee id or an alias
};

// Why `input` yielded nothing a scan can use, with the counts and the likely cause (an empty
// file, every record skipped by the definition while the file looks like another source, an HR
// export none of whose rows names a worker); empty when it yielded something.
std::string why_nothing(const PlannedInput& input, const InputYield& got,
                        const sources::Catalog& catalog);

// Plans `input` as a scan does: expands its path, detects its source when none is named, applies
// its `columns:` (every key a column of the definition or a field; for a CSV file, every column
// named must be in the file's header: E-INPUT-COLUMN at the config's line with a did-you-mean)
// and time zone. nullopt when it cannot be read (reported: an error, or W-INPUT-EMPTY when its
// path matches no file, in which case `no_files` is set).
std::optional<PlannedInput> plan_input(const Config& config, const sources::Catalog& catalog,
                                       const Input& input, model::Diagnostics& diags,
                                       bool* no_files = nullptr);

}  // namespace vetter::app
