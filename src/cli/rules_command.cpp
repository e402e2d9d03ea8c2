// `vetter rules ...`: load, check and test rule files without scanning anything.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "vetter/app/config.h"
#include "vetter/app/scan.h"

namespace vetter::cli {
namespace {

int run_lint(const std::vector<std::string>& paths, const std::string& format) {
  app::Config config = app::default_config(find_root());
  if (!paths.empty()) config.rule_paths = paths;
  model::CollectingDiagnostics diags;
  auto rules = app::load_rules(config, diags);
  const auto items = diags.items();
  if (format == "json") {
    nlohmann::ordered_json doc;
    doc["rules_loaded"] = rules.size();
    doc["errors"] = diags.count(model::Severity::kError);
    doc["warnings"] = diags.count(model::Severity::kWarning);
    auto list = nlohmann::ordered_json::array();
    for (const auto& d : items) {
      list.push_back({{"severity", d.severity == model::Severity::kError     ? "error"
                                   : d.severity == model::Severity::kWarning ? "warning"
                                                                               : "info"},
                      {"code", d.code},
                      {"where", d.where},
                      {"message", d.message}});
    }
    doc["diagnostics"] = std::move(list);
    std::cout << doc.dump(2) << '\n';
  } else {
    for (const auto& d : items) std::cout << model::format(d) << '\n';
    std::cout << rules.size() << " rules loaded, " << diags.count(model::Severity::kError) << " errors, "
              << diags.count(model::Severity::kWarning) << " warnings\n";
  }
  return diags.count(model::Severity::kError) > 0 ? app::kExitUsage : app::kExitClean;
}

}  // namespace

std::vector<Command> add_rules_commands(CLI::App& cli) {
  auto* rules_cmd = cli.add_subcommand("rules", "Work with rule files");
  rules_cmd->require_subcommand(1);
  struct LintFlags {
    std::vector<std::string> paths;
    std::string format = "text";
  };
  auto lint = std::make_shared<LintFlags>();
  auto* lint_cmd = rules_cmd->add_subcommand("lint", "Load rule files and report every problem with file:line:col");
  lint_cmd->add_option("paths", lint->paths, "Rule files or directories (default: the shipped pack)");
  lint_cmd->add_option("--format", lint->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  lint_cmd->footer("Exit codes: 0 no errors (warnings allowed); 2 at least one error.");

  return {{lint_cmd, [lint] { return run_lint(lint->paths, lint->format); }}};
}

}  // namespace vetter::cli
