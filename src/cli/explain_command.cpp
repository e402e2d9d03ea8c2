// `vetter explain ACCOUNT`: every rule that fired for one account, with all of its evidence.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "commands.h"
#include "scan_flags.h"
#include "vetter/app/scan.h"
#include "vetter/model/time.h"

namespace vetter::cli {
namespace {

struct ExplainFlags : ScanFlags {
  std::string account;
  std::size_t max_evidence = 20;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The account as the user typed it: the canonical name, any case, or its part before the "@".
const score::AccountScore* find_account(const score::Result& result, const std::string& wanted) {
  const std::string w = lower(wanted);
  const score::AccountScore* local_match = nullptr;
  std::size_t local_matches = 0;
  for (const auto& a : result.accounts) {
    const std::string name = lower(a.account);
    if (name == w) return &a;
    if (name.substr(0, name.find('@')) == w) {
      local_match = &a;
      ++local_matches;
    }
  }
  return local_matches == 1 ? local_match : nullptr;
}

void print_list(const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  std::cout << "    " << title << ":\n";
  for (const auto& item : items) std::cout << "      - " << item << "\n";
}

int run_explain(const ExplainFlags& f) {
  LogDiagnostics diags;
  auto config = build_config(f, diags);
  if (!config) return app::kExitUsage;
  if (config->inputs.empty()) {
    spdlog::error("no inputs: give SOURCE:PATH arguments or an `inputs:` list in --config");
    return app::kExitUsage;
  }
  app::ScanOutput out;
  const int code = app::scan(*config, diags, out);
  if (code == app::kExitUsage) return code;

  const auto* a = find_account(out.scores, f.account);
  if (!a) {
    std::cout << "No rule fired for '" << f.account << "'.";
    std::vector<std::string> near;
    for (const auto& acc : out.scores.accounts) {
      if (lower(acc.account).find(lower(f.account)) != std::string::npos) near.push_back(acc.account);
    }
    if (!near.empty()) {
      std::cout << " Accounts with hits whose name contains it:";
      for (const auto& n : near) std::cout << "\n  " << n;
    }
    std::cout << "\n";
    return app::kExitClean;
  }

  const bool flagged = a->score >= out.scores.threshold;
  std::cout << a->account << ": score " << fmt::format("{:.1f}", a->score) << " of 100 ("
            << (flagged ? "flagged: at or above" : "below") << " the review threshold " << out.scores.threshold << ")"
            << (a->in_hr ? "" : "; NOT in the HR export") << "\n";
  if (a->cluster) {
    const auto& c = out.scores.clusters[*a->cluster];
    std::cout << "Cluster #" << *a->cluster << " links " << c.accounts.size() << " accounts:";
    for (const auto& other : c.accounts) std::cout << " " << other;
    std::cout << "\n  through";
    for (const auto& key : c.keys) std::cout << " " << key;
    std::cout << "\n";
  }
  std::cout << "\nScore = 100 x (1 - product of (1 - points/100)) over the " << a->contributions.size()
            << " distinct rules below (each rule counts once, at its highest points).\n";
  for (const auto& c : a->contributions) {
    const auto& r = *c.rule;
    std::cout << "\n+" << fmt::format("{:.0f}", c.points) << "  " << r.title << "\n";
    std::cout << "    rule " << r.id << (r.name.empty() ? "" : " (" + r.name + ")") << ", level " << r.level
              << ", " << r.file << "\n";
    std::cout << "    fired " << c.hit_count << " times, " << model::format_iso8601(c.first_us) << " .. "
              << model::format_iso8601(c.last_us) << "\n";
    if (!r.description.empty()) std::cout << "    " << r.description << "\n";
    print_list("benign explanations to rule out", r.falsepositives);
    print_list("references", r.references);
    std::size_t shown = 0;
    for (const auto* h : c.hits) {
      if (!h->group_key.empty()) {
        std::cout << "    group " << h->group_key << " within " << h->window_us / 1'000'000 << " s, accounts:";
        for (const auto& acc : h->accounts) std::cout << " " << acc;
        std::cout << "\n";
      }
      for (const auto& e : h->evidence) {
        if (shown++ >= f.max_evidence) break;
        std::cout << "      " << e.origin.file;
        if (e.origin.line > 0) std::cout << ":" << e.origin.line;
        std::cout << "  " << model::format_iso8601(e.time_us) << "  " << e.account;
        if (!e.summary.empty()) std::cout << "  " << e.summary;
        std::cout << "\n";
      }
    }
    if (c.hit_count > c.hits.size()) {
      std::cout << "    (" << c.hits.size() << " of " << c.hit_count << " hits shown; the JSON report has the same)\n";
    }
  }
  return flagged ? app::kExitFlagged : app::kExitClean;
}

}  // namespace

std::vector<Command> add_explain_command(CLI::App& cli) {
  auto flags = std::make_shared<ExplainFlags>();
  auto* cmd = cli.add_subcommand("explain",
                                 "Scan, then show why one account scored what it did: every rule that fired, "
                                 "its description, benign explanations, references and evidence lines");
  cmd->add_option("account", flags->account, "The account: canonical name (e-mail), any case, or its local part")
      ->required();
  add_scan_flags(cmd, *flags);
  cmd->add_option("--max-evidence", flags->max_evidence, "Evidence lines shown per rule (default 20)");
  cmd->footer("Exit codes: 0 the account is below the review threshold (or nothing fired); 1 it is flagged; "
              "2 usage, config or rule error; 3 bad input (as for scan).");
  return {{cmd, [flags] { return run_explain(*flags); }}};
}

}  // namespace vetter::cli
