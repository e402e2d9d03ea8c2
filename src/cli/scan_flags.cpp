// Shared scan flags: registration and how they override the config file.
#include "scan_flags.h"

#include <spdlog/spdlog.h>

#include "commands.h"
#include "vetter/model/time.h"

namespace vetter::cli {

void add_scan_flags(CLI::App* cmd, ScanFlags& scan) {
  cmd->add_option(
      "inputs", scan.inputs,
      "Inputs as SOURCE:PATH (okta:logs/okta.jsonl, hr-csv:hr.csv); PATH may be a file, "
      "a glob, a directory or - for stdin. Added to the config's inputs.");
  cmd->add_option("-c,--config", scan.config,
                  "YAML config: inputs, HR column mapping, GeoIP databases, lists, rules, review "
                  "threshold (see samples/vetter.yaml). Flags override it.");
  cmd->add_option("--geoip-dir", scan.geoip_dir,
                  "Directory of MaxMind/DB-IP .mmdb files, found by their database_type");
  // One value per flag, so that positional inputs after them stay inputs.
  cmd->add_option("--rules", scan.rules,
                  "Rule file or directory, added to the shipped pack and the config's "
                  "(repeatable)")
      ->allow_extra_args(false);
  cmd->add_flag("--no-default-rules", scan.no_default_rules,
                "Do not load the shipped rule pack (rules/dprk): only the config's and --rules "
                "(config: default_rules: false). No rule at all is exit 2");
  cmd->add_flag("--strict", scan.strict,
                "An input that yields nothing (every record skipped, an empty file, an HR export "
                "whose mapped fields are all empty) is exit 3 instead of a warning (config: "
                "strict: true)");
  cmd->add_option("--sources", scan.sources,
                  "Directory of source definitions, added to the shipped ones and the config's "
                  "(repeatable; a definition with a shipped name replaces it)")
      ->allow_extra_args(false);
  cmd->add_option("--threshold", scan.threshold, "Review threshold, 0-100 (default 50)")
      ->check(CLI::Range(0.0, 100.0));
  cmd->add_option("--max-errors", scan.max_errors,
                  "Bad records tolerated before exit 3 (default 1000)");
  cmd->add_option("--max-error-rate", scan.max_error_rate,
                  "Fraction of bad records tolerated before exit 3 (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option(
         "-j,--threads", scan.threads,
         "Threads that parse, map and enrich each large input and match its events against the "
         "detection rules (default: one per core); the report is identical byte for byte "
         "whatever the number")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--timezone", scan.timezones,
                  "SOURCE=ZONE: read SOURCE's timestamps that carry no offset (ASA, GlobalProtect, "
                  "OpenVPN syslog) as wall-clock time in the IANA zone ZONE, e.g. "
                  "asa=Europe/Berlin (repeatable; default: the definition's `timezone:`, else UTC)")
      ->allow_extra_args(false);
  cmd->add_option("--reorder-window", scan.reorder_window,
                  "How far out of time order one input's events may arrive and still be sorted "
                  "(default 1h); later ones are processed as they come and counted");
}

std::optional<app::Config> build_config(const ScanFlags& f, model::Diagnostics& diags,
                                        bool require_inputs) {
  app::Config config = app::default_config(find_root());
  if (!f.config.empty()) {
    auto loaded = app::load_config(f.config, std::move(config), diags);
    if (!loaded) return std::nullopt;
    config = std::move(*loaded);
  }
  for (const auto& spec : f.inputs)
    config.inputs.push_back(app::parse_input_spec(spec));
  if (!app::parse_time_zones(f.timezones, config.source_timezones, diags)) return std::nullopt;
  if (!f.geoip_dir.empty()) {
    config.geoip = enrich::GeoIpConfig{};
    config.geoip.dir = f.geoip_dir;
  }
  config.rule_paths.insert(config.rule_paths.end(), f.rules.begin(), f.rules.end());
  if (f.no_default_rules) config.default_rules = false;
  if (f.strict) config.strict = true;
  config.source_dirs.insert(config.source_dirs.end(), f.sources.begin(), f.sources.end());
  config.source_dirs = app::unique_paths(config.source_dirs);
  if (f.threshold >= 0) config.review_threshold = f.threshold;
  if (f.max_errors >= 0) config.max_errors = static_cast<std::uint64_t>(f.max_errors);
  if (f.max_error_rate >= 0) config.max_error_rate = f.max_error_rate;
  if (!f.reorder_window.empty()) {
    auto us = model::parse_duration_us(f.reorder_window);
    if (!us) {
      spdlog::error("--reorder-window takes a duration such as 30m, 1h or 2d, not '{}'",
                    f.reorder_window);
      return std::nullopt;
    }
    config.reorder_allowance_us = *us;
  }
  if (f.threads > 0) config.threads = static_cast<unsigned>(f.threads);
  if (require_inputs && config.inputs.empty()) {
    spdlog::error("no inputs: give SOURCE:PATH arguments or an `inputs:` list in --config");
    return std::nullopt;
  }
  return config;
}

}  // namespace vetter::cli
