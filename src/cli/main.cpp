// The vetter command line: global set-up, then the chosen subcommand (one file per command).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "commands.h"
#include "vetter/app/scan.h"

int main(int argc, char** argv) {
  using namespace vetter::cli;
  auto logger = spdlog::stderr_color_mt("vetter");
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);

  CLI::App cli{
      "vetter: finds fraudulent remote workers (DPRK IT-worker schemes) in HR, sign-in, VPN\n"
      "and endpoint logs, and ranks accounts for review with the evidence behind every point."};
  cli.require_subcommand(1);
  cli.footer(kExitCodes);
  cli.set_version_flag(
      "--version", [] { return "vetter " + vetter::app::version(); },
      "Print the version (as `vetter version` does) and exit");

  std::vector<Command> commands;
  for (auto add : {add_check_command, add_scan_command, add_explain_command, add_normalize_command,
                   add_rules_commands, add_info_commands, add_geoip_commands}) {
    for (auto& c : add(cli))
      commands.push_back(std::move(c));
  }

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints its own message; its exit codes (105-114 for an unknown flag, a bad value...)
    // are not the documented ones: every usage error is 2. --help and --version stay 0.
    const int code = cli.exit(e);
    return code == static_cast<int>(CLI::ExitCodes::Success) ? 0 : vetter::app::kExitUsage;
  }
  for (const auto& c : commands) {
    if (c.app->parsed()) return c.run();
  }
  return vetter::app::kExitUsage;
}
