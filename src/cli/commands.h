// The subcommands of the vetter binary; each lives in its own file and registers itself here.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vetter/model/diagnostics.h"
#include "vetter/model/value.h"

namespace vetter::cli {

// A registered (sub)command and what to run when the user chose it. The flags it parses live in
// state captured by `run`, so they outlive parsing.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

std::vector<Command> add_scan_command(CLI::App& cli);
std::vector<Command> add_rules_commands(CLI::App& cli);  // rules lint, rules test
std::vector<Command> add_info_commands(CLI::App& cli);   // fields, version
std::vector<Command> add_normalize_command(CLI::App& cli);
std::vector<Command> add_explain_command(CLI::App& cli);
std::vector<Command> add_geoip_commands(CLI::App& cli);  // geoip lookup
std::vector<Command> add_check_command(CLI::App& cli);

// Shared by the commands.
extern const char* const kExitCodes;

// The checkout or install root holding rules/ and geoip/ ($VETTER_HOME, else found from the
// binary).
std::string find_root();

// A field value as JSON: strings, numbers, bools and lists as themselves; absent as null.
nlohmann::ordered_json value_json(const model::Value& value);

// True while a progress line is on stderr (diagnostics clear it before printing).
extern std::atomic<bool> g_progress_line;

// Library diagnostics reach the user through spdlog on stderr, never stdout (results go there).
class LogDiagnostics : public model::Diagnostics {
 public:
  void report(model::Diagnostic d) override;
};

}  // namespace vetter::cli
