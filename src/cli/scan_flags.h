// The flags every command that scans shares (scan, explain): config, inputs, databases, rules.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "vetter/app/config.h"
#include "vetter/model/diagnostics.h"

namespace vetter::cli {

struct ScanFlags {
  std::string config;
  std::vector<std::string> inputs;
  std::string geoip_dir;
  std::vector<std::string> rules;
  std::vector<std::string> sources;
  double threshold = -1;
  long long max_errors = -1;
  double max_error_rate = -1;
  std::string reorder_window;
  int threads = -1;
  std::vector<std::string> timezones;  // SOURCE=ZONE
  bool no_default_rules = false;
  bool strict = false;
};

// Registers the shared flags on `cmd`; `flags` must outlive parsing.
void add_scan_flags(CLI::App* cmd, ScanFlags& flags);

// The shipped defaults, then --config, then the flags. nullopt when something is wrong (reported),
// including no inputs at all when `require_inputs`.
std::optional<app::Config> build_config(const ScanFlags& flags, model::Diagnostics& diags,
                                        bool require_inputs = false);

}  // namespace vetter::cli
