// What a report says about the run itself: inputs, counts, rules, databases, time per stage.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace vetter::report {

struct InputSummary {
  std::string source;
  std::string path;
  std::uint64_t bytes = 0;
  std::uint64_t records = 0;
  std::uint64_t bad = 0;      // unreadable records, or ones that could not become an event
  std::uint64_t skipped = 0;  // records the source definition leaves out on purpose (filters)
  std::uint64_t events = 0;   // events that entered the pipeline
};

struct RunInfo {
  std::string version;
  std::vector<InputSummary> inputs;
  std::uint64_t events = 0;
  std::size_t rules_loaded = 0;
  std::size_t hr_workers = 0;
  std::vector<std::string> geoip;                        // "type path" of each open database
  std::vector<std::string> unknown_accounts;             // seen in logs, absent from HR (sorted)
  std::vector<std::string> bad_examples;                 // the first few bad-input diagnostics
  std::vector<std::pair<std::string, double>> stage_ms;  // wall time per pipeline stage
};

}  // namespace vetter::report
