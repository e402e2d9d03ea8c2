// `vetter scan`: the batch pipeline over files, with reports in one or several formats.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "scan_flags.h"
#include "vetter/app/config.h"
#include "vetter/app/scan.h"
#include "vetter/model/time.h"
#include "vetter/report/atomic_file.h"
#include "vetter/report/report.h"

namespace vetter::cli {
namespace fs = std::filesystem;
namespace {

struct ScanCommandFlags : ScanFlags {
  std::string out;
  std::vector<std::string> formats;
  bool quiet = false;
};

// One line on stderr, rewritten in place: events, rate, where in the logs, elapsed time.
void print_progress(const app::ScanProgress& p) {
  const double rate = p.elapsed_s > 0 ? static_cast<double>(p.events) / p.elapsed_s : 0;
  if (p.done) {
    std::fprintf(stderr, "\r\033[K");
    g_progress_line = false;
    return;
  }
  g_progress_line = true;
  std::string where = "scanning: ";
  if (p.bytes_total > 0 && p.bytes_read > 0 && p.bytes_read <= p.bytes_total) {
    const double fraction = static_cast<double>(p.bytes_read) / static_cast<double>(p.bytes_total);
    const double left_s = p.elapsed_s * (1 - fraction) / fraction;
    where +=
        fmt::format("{:.0f}% of {:.0f} MB, {:.0f} MB/s, about {:.0f} s left; ", 100 * fraction,
                    static_cast<double>(p.bytes_total) / 1e6,
                    static_cast<double>(p.bytes_read) / 1e6 / std::max(p.elapsed_s, 1e-3), left_s);
  }
  std::fprintf(stderr, "\r\033[K%s%.2f M events, %.0f k events/s, at %s", where.c_str(),
               static_cast<double>(p.events) / 1e6, rate / 1e3,
               model::format_iso8601(p.event_time_us).substr(0, 16).c_str());
  std::fflush(stderr);
}

int run_scan(const ScanCommandFlags& f) {
  LogDiagnostics diags;
  auto config = build_config(f, diags, /*require_inputs=*/true);
  if (!config) return app::kExitUsage;
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
  const bool out_is_dir =
      !f.out.empty() && (f.out.back() == '/' || fs::is_directory(f.out, ec) || formats.size() > 1);
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
  if (out_is_dir) {
    // Reports are never written through a link: a symlinked --out directory could put them
    // anywhere its owner chose. (A link in place of a report file is replaced, not followed.)
    auto dir = f.out;
    while (dir.size() > 1 && dir.back() == '/')
      dir.pop_back();
    if (fs::is_symlink(dir, ec)) {
      spdlog::error("--out {}: is a symbolic link (to {}); give the real directory", f.out,
                    fs::read_symlink(dir, ec).string());
      return app::kExitUsage;
    }
  }

  app::ScanOutput out;
  // Long scans show themselves on a terminal; pipes, cron and --quiet stay silent.
  app::ProgressFn progress;
  if (!f.quiet && ::isatty(STDERR_FILENO)) progress = print_progress;
  const int code = app::scan(*config, diags, out, progress);
  if (code == app::kExitUsage) return code;

  if (f.out.empty()) {
    // `vetter scan > report.json` on a full disk must not look like success either.
    errno = 0;
    report::write(std::cout, formats.front(), out.scores, out.run);
    std::cout.flush();
    if (!std::cout) {
      spdlog::error("standard output: could not write the report: {}",
                    errno != 0 ? std::strerror(errno) : "write failed");
      return app::kExitWrite;
    }
  } else {
    if (out_is_dir) {
      fs::create_directories(f.out, ec);
      if (ec) {
        spdlog::error("{}: could not create the report directory: {}", f.out, ec.message());
        return app::kExitWrite;
      }
    }
    for (auto format : formats) {
      const std::string path =
          out_is_dir ? (fs::path(f.out) / report::file_name(format)).string() : f.out;
      auto failed = report::write_file_atomically(
          path, [&](std::ostream& file) { report::write(file, format, out.scores, out.run); });
      if (failed) {
        spdlog::error("{}", *failed);
        return app::kExitWrite;
      }
    }
    if (!f.quiet) report::write_table(std::cout, out.scores, out.run);
  }
  if (!f.quiet) {
    std::string stages;
    for (const auto& [stage, ms] : out.run.stage_ms) {
      stages += fmt::format("{}{} {:.0f} ms", stages.empty() ? "" : ", ", stage, ms);
    }
    std::uint64_t bad = 0;
    for (const auto& in : out.run.inputs)
      bad += in.bad;
    spdlog::info("{} inputs, {} events, {} bad records; {}", out.run.inputs.size(), out.run.events,
                 bad, stages);
  }
  return code;
}

}  // namespace

std::vector<Command> add_scan_command(CLI::App& cli) {
  auto flags = std::make_shared<ScanCommandFlags>();
  ScanCommandFlags& scan = *flags;
  auto* scan_cmd = cli.add_subcommand("scan", "Scan inputs and rank accounts for review");
  add_scan_flags(scan_cmd, scan);
  scan_cmd->add_option(
      "-o,--out", scan.out,
      "Write the report to this file (its format from --format, else from the extension), or "
      "to this directory, one file per format (report.json, report.csv, report.md, "
      "report.html, findings.ocsf.jsonl). The table still goes to stdout unless --quiet. Each file "
      "is written whole (a temporary file, mode 0600, renamed over it) or not at all (exit 4); a "
      "symlinked directory is refused.");
  scan_cmd
      ->add_option(
          "-f,--format", scan.formats,
          "Report format: table, json, csv, md, html, ocsf (OCSF Detection Finding JSON Lines). "
          "Repeat or separate with commas for several at once (with --out DIR).")
      ->delimiter(',');
  scan_cmd->add_flag("-q,--quiet", scan.quiet,
                     "With --out: print nothing on stdout, and no run summary on stderr");
  scan_cmd->footer(kExitCodes);

  return {{scan_cmd, [flags] { return run_scan(*flags); }}};
}

}  // namespace vetter::cli
