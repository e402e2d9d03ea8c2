// `vetter rules ...`: load, check and test rule files without scanning anything.
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "vetter/app/config.h"
#include "vetter/app/scan.h"
#include "vetter/rules/rule_tests.h"

namespace vetter::cli {
namespace {

int run_lint(const std::vector<std::string>& paths, const std::string& format) {
  app::Config config = app::default_config(find_root());
  if (!paths.empty()) {
    config.rule_paths = paths;  // just these, without the shipped pack
    config.default_rules = false;
  }
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
    for (const auto& d : items)
      std::cout << model::format(d) << '\n';
    std::cout << rules.size() << " rules loaded, " << diags.count(model::Severity::kError)
              << " errors, " << diags.count(model::Severity::kWarning) << " warnings\n";
  }
  return diags.count(model::Severity::kError) > 0 ? app::kExitUsage : app::kExitClean;
}

int run_test(const std::vector<std::string>& paths, bool verbose) {
  app::Config config = app::default_config(find_root());
  if (!paths.empty()) {
    config.rule_paths = paths;  // just these, without the shipped pack
    config.default_rules = false;
  }
  model::CollectingDiagnostics diags;
  auto rules = app::load_rules(config, diags);
  for (const auto& d : diags.items()) {
    if (d.severity != model::Severity::kInfo) std::cerr << model::format(d) << '\n';
  }
  if (diags.count(model::Severity::kError) > 0) {
    std::cout << "rules did not load; fix the errors above (vetter rules lint shows them too)\n";
    return app::kExitUsage;
  }
  const auto report = rules::run_rule_tests(rules);
  std::size_t passed = 0;
  for (const auto& r : report.results) {
    if (r.passed) {
      ++passed;
      if (!verbose) continue;
    }
    std::cout << rules::format(r) << '\n';
  }
  if (!report.untested.empty()) {
    std::cout << report.untested.size() << " rules have no x-tests:";
    for (const auto& t : report.untested)
      std::cout << "\n  " << t;
    std::cout << '\n';
  }
  std::cout << passed << " passed, " << report.failed() << " failed\n";
  return report.ok() ? app::kExitClean : app::kExitFlagged;
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
  auto* lint_cmd = rules_cmd->add_subcommand(
      "lint", "Load rule files and report every problem with file:line:col");
  lint_cmd->add_option("paths", lint->paths,
                       "Rule files or directories (default: the shipped pack)");
  lint_cmd->add_option("--format", lint->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  lint_cmd->footer("Exit codes: 0 no errors (warnings allowed); 2 at least one error.");

  struct TestFlags {
    std::vector<std::string> paths;
    bool verbose = false;
  };
  auto test = std::make_shared<TestFlags>();
  auto* test_cmd = rules_cmd->add_subcommand(
      "test",
      "Run every rule's x-tests (events replayed on a fixed clock) and show what failed and why");
  test_cmd->add_option("paths", test->paths,
                       "Rule files or directories (default: the shipped pack)");
  test_cmd->add_flag("-v,--verbose", test->verbose, "List passing tests too");
  test_cmd->footer("Exit codes: 0 every test passed; 1 a test failed; 2 the rules did not load.");
  return {{lint_cmd, [lint] { return run_lint(lint->paths, lint->format); }},
          {test_cmd, [test] { return run_test(test->paths, test->verbose); }}};
}

}  // namespace vetter::cli
