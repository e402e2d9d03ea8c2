// `vetter check --config FILE`: what a scan would see, before the first scan.
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "commands.h"
#include "scan_flags.h"
#include "vetter/app/check.h"
#include "vetter/app/scan.h"

namespace vetter::cli {
namespace {

struct CheckFlags : ScanFlags {
  long long head = 5000;
};

int run_check(const CheckFlags& f) {
  LogDiagnostics diags;
  auto config = build_config(f, diags, /*require_inputs=*/false);
  if (!config) return app::kExitUsage;
  app::CheckOptions options;
  options.head_records = static_cast<std::uint64_t>(f.head);
  options.root = find_root();
  return app::check(*config, options, std::cout, diags);
}

}  // namespace

std::vector<Command> add_check_command(CLI::App& cli) {
  auto flags = std::make_shared<CheckFlags>();
  auto* cmd = cli.add_subcommand(
      "check",
      "Check a config before the first scan: per input, the source (named or detected), records "
      "read from its head, each mapped field and how often it is present, how many sign-in and "
      "VPN accounts resolve to an HR worker (the commonest that do not, and the HR column that "
      "would resolve them); which GeoIP databases were found and what the rules cannot see "
      "without the others; whether the HMAC key is there");
  add_scan_flags(cmd, *flags);
  cmd->add_option("--head", flags->head,
                  "Records read from each file of a log input (default 5000); HR exports are "
                  "read whole")
      ->check(CLI::Range(1LL, 100'000'000LL));
  cmd->footer(
      "Exit codes: 0 a scan would work (notes may still say what it cannot see); 2 it would "
      "not: a config, mapping or rule error, a misspelt column, no rule at all, a missing HMAC "
      "key that identity numbers need, or (with --strict) an input that yields nothing.");
  return {{cmd, [flags] { return run_check(*flags); }}};
}

}  // namespace vetter::cli
