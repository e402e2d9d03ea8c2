// `vetter scan`: the batch pipeline over files, with reports in one or several formats.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "vetter/app/config.h"
#include "vetter/app/scan.h"
#include "vetter/model/time.h"
#include "vetter/report/report.h"

namespace vetter::cli {
namespace fs = std::filesystem;
namespace {

struct ScanFlags {
  std::string config;
  std::vector<std::string> inputs;
  std::string geoip_dir;
  std::vector<std::string> rules;
  std::vector<std::string> sources;
  double threshold = -1;
  std::string out;
  std::vector<std::string> formats;
  long long max_errors = -1;
  double max_error_rate = -1;
  bool quiet = false;
  std::string reorder_window;
};

std::optional<app::Config> build_config(const ScanFlags& f, model::Diagnostics& diags) {
  app::Config config = app::default_config(find_root());
  if (!f.config.empty()) {
    auto loaded = app::load_config(f.config, std::move(config), diags);
    if (!loaded) return std::nullopt;
    config = std::move(*loaded);
  }
  for (const auto& spec : f.inputs) config.inputs.push_back(app::parse_input_spec(spec));
  if (!f.geoip_dir.empty()) {
    config.geoip = enrich::GeoIpConfig{};
    config.geoip.dir = f.geoip_dir;
  }
  if (!f.rules.empty()) config.rule_paths = f.rules;
  if (!f.sources.empty()) config.source_dirs.insert(config.source_dirs.end(), f.sources.begin(), f.sources.end());
  if (f.threshold >= 0) config.review_threshold = f.threshold;
  if (f.max_errors >= 0) config.max_errors = static_cast<std::uint64_t>(f.max_errors);
  if (f.max_error_rate >= 0) config.max_error_rate = f.max_error_rate;
  if (!f.reorder_window.empty()) {
    auto us = model::parse_duration_us(f.reorder_window);
    if (!us) {
      spdlog::error("--reorder-window takes a duration such as 30m, 1h or 2d, not '{}'", f.reorder_window);
      return std::nullopt;
    }
    config.reorder_allowance_us = *us;
  }
  return config;
}

int run_scan(const ScanFlags& f) {
  LogDiagnostics diags;
  auto config = build_config(f, diags);
  if (!config) return app::kExitUsage;
  if (config->inputs.empty()) {
    spdlog::error("no inputs: give SOURCE:PATH arguments or an `inputs:` list in --config");
    return app::kExitUsage;
  }
  // Work out where each report goes before scanning, so a bad flag costs nothing.
  std::vector<report::Format> formats;
  for (const auto& name : f.formats) {
    auto format = report::parse_format(name);
    if (!format) {
      spdlog::error("unknown --format '{}' (table, json, csv, md, html, ocsf)", name);
      return app::kExitUsage;
    }
    formats.push_back(*format);
  }
  std::error_code ec;
  const bool out_is_dir = !f.out.empty() && (f.out.back() == '/' || fs::is_directory(f.out, ec) || formats.size() > 1);
  if (formats.empty()) {
    // --out report.json alone means JSON; otherwise the table.
    auto ext = fs::path(f.out).extension().string();
    auto inferred = ext.empty() ? std::nullopt : report::parse_format(ext.substr(1));
    formats.push_back(!out_is_dir && inferred ? *inferred : report::Format::kTable);
  }
  if (f.out.empty() && formats.size() > 1) {
    spdlog::error("several formats need --out DIR (one file per format)");
    return app::kExitUsage;
  }

  app::ScanOutput out;
  const int code = app::scan(*config, diags, out);
  if (code == app::kExitUsage) return code;

  if (f.out.empty()) {
    report::write(std::cout, formats.front(), out.scores, out.run);
  } else {
    if (out_is_dir) fs::create_directories(f.out, ec);
    for (auto format : formats) {
      const std::string path = out_is_dir ? (fs::path(f.out) / report::file_name(format)).string() : f.out;
      std::ofstream file(path);
      if (!file) {
        spdlog::error("{}: cannot write the report", path);
        return app::kExitUsage;
      }
      report::write(file, format, out.scores, out.run);
    }
    if (!f.quiet) report::write_table(std::cout, out.scores, out.run);
  }
  if (!f.quiet) {
    std::string stages;
    for (const auto& [stage, ms] : out.run.stage_ms) {
      stages += fmt::format("{}{} {:.0f} ms", stages.empty() ? "" : ", ", stage, ms);
    }
    std::uint64_t bad = 0;
    for (const auto& in : out.run.inputs) bad += in.bad;
    spdlog::info("{} inputs, {} events, {} bad records; {}", out.run.inputs.size(), out.run.events, bad, stages);
  }
  return code;
}

}  // namespace

std::vector<Command> add_scan_command(CLI::App& cli) {
  auto flags = std::make_shared<ScanFlags>();
  ScanFlags& scan = *flags;
  auto* scan_cmd = cli.add_subcommand("scan", "Scan inputs and rank accounts for review");
  scan_cmd->add_option("inputs", scan.inputs,
                       "Inputs as SOURCE:PATH (okta:logs/okta.jsonl, hr-csv:hr.csv); PATH may be a file, "
                       "a glob, a directory or - for stdin. Added to the config's inputs.");
  scan_cmd->add_option("-c,--config", scan.config,
                       "YAML config: inputs, HR column mapping, GeoIP databases, lists, rules, review "
                       "threshold (see samples/vetter.yaml). Flags override it.");
  scan_cmd->add_option("--geoip-dir", scan.geoip_dir,
                       "Directory of MaxMind/DB-IP .mmdb files, found by their database_type");
  scan_cmd->add_option("--rules", scan.rules, "Rule file or directory (repeatable; replaces the config's)");
  scan_cmd->add_option("--sources", scan.sources, "Extra directory of source definitions (repeatable)");
  scan_cmd->add_option("--threshold", scan.threshold, "Review threshold, 0-100 (default 50)")
      ->check(CLI::Range(0.0, 100.0));
  scan_cmd->add_option("-o,--out", scan.out,
                       "Write the report to this file (its format from --format, else from the extension), or "
                       "to this directory, one file per format (report.json, report.csv, report.md, "
                       "report.html, findings.ocsf.jsonl). The table still goes to stdout unless --quiet.");
  scan_cmd->add_option("-f,--format", scan.formats,
                       "Report format: table, json, csv, md, html, ocsf (OCSF Detection Finding JSON Lines). "
                       "Repeat or separate with commas for several at once (with --out DIR).")
      ->delimiter(',');
  scan_cmd->add_option("--max-errors", scan.max_errors, "Bad records tolerated before exit 3 (default 1000)");
  scan_cmd->add_option("--max-error-rate", scan.max_error_rate,
                       "Fraction of bad records tolerated before exit 3 (default 0.05)")
      ->check(CLI::Range(0.0, 1.0));
  scan_cmd->add_option("--reorder-window", scan.reorder_window,
                       "How far out of time order one input's events may arrive and still be sorted "
                       "(default 1h); later ones are processed as they come and counted");
  scan_cmd->add_flag("-q,--quiet", scan.quiet, "With --out: print nothing on stdout, and no run summary on stderr");
  scan_cmd->footer(kExitCodes);

  return {{scan_cmd, [flags] { return run_scan(*flags); }}};
}

}  // namespace vetter::cli
