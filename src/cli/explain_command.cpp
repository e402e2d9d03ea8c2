// `vetter explain ACCOUNT`: every rule that fired for one account, with all of its evidence.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "commands.h"
#include "scan_flags.h"
#include "vetter/app/scan.h"
#include "vetter/enrich/enricher.h"
#include "vetter/model/time.h"
#include "vetter/rules/explain.h"

namespace vetter::cli {
namespace {

struct ExplainFlags : ScanFlags {
  std::string account;
  std::size_t max_evidence = 20;
  std::string rule;   // with --event: explain one detection rule against one event
  std::string event;  // a JSON object of normalized fields, or a JSON Lines file
  std::size_t line = 1;
  bool no_enrich = false;
};

// A normalized event from JSON ({"source.ip": "...", "event.category": "vpn", ...}), the shape
// `vetter normalize` prints. Unknown fields and values of the wrong type are reported.
std::optional<model::Event> event_from_json(const nlohmann::json& j, model::Diagnostics& diags) {
  if (!j.is_object()) {
    diags.error("E-EVENT", "", "an event is a JSON object of field: value");
    return std::nullopt;
  }
  model::Event e;
  bool ok = true;
  for (const auto& [name, value] : j.items()) {
    if (name == "@timestamp") {
      auto t = value.is_string() ? model::parse_iso8601(value.get<std::string>()) : std::nullopt;
      if (!t) {
        diags.error("E-EVENT", name, "@timestamp must be an RFC 3339 time");
        ok = false;
      } else {
        e.time_us = *t;
      }
      continue;
    }
    if (name.rfind("log.file.", 0) == 0) continue;
    auto id = model::Fields::find(name);
    if (!id) {
      diags.error("E-EVENT", name, "unknown field (see vetter fields)");
      ok = false;
      continue;
    }
    using model::FieldType;
    bool typed = true;
    switch (model::Fields::info(*id).type) {
      case FieldType::kInt:
        typed = value.is_number_integer();
        if (typed) e.set(*id, value.get<std::int64_t>());
        break;
      case FieldType::kFloat:
        typed = value.is_number();
        if (typed) e.set(*id, value.get<double>());
        break;
      case FieldType::kBool:
        typed = value.is_boolean();
        if (typed) e.set(*id, value.get<bool>());
        break;
      case FieldType::kStringList:
        if (value.is_array()) {
          std::vector<std::string> items;
          for (const auto& v : value)
            items.push_back(v.is_string() ? v.get<std::string>() : v.dump());
          e.set(*id, std::move(items));
        } else {
          typed = value.is_string();
          if (typed) e.set(*id, std::vector<std::string>{value.get<std::string>()});
        }
        break;
      default:
        e.set(*id, value.is_string() ? value.get<std::string>() : value.dump());
    }
    if (!typed) {
      diags.error("E-EVENT", name, "value has the wrong type for this field (see vetter fields)");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return e;
}

int run_explain_event(const ExplainFlags& f) {
  LogDiagnostics diags;
  model::CountingDiagnostics counted(diags);
  auto config = build_config(f, counted);
  if (!config) return app::kExitUsage;
  std::ifstream in(f.event);
  if (!in) {
    spdlog::error("{}: cannot read the event file", f.event);
    return app::kExitUsage;
  }
  // A whole-file JSON object, or line --line of a JSON Lines file.
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || f.line > 1) {
    std::istringstream lines(text);
    std::string line;
    for (std::size_t n = 1; n <= f.line && std::getline(lines, line); ++n) {
    }
    json = nlohmann::json::parse(line, nullptr, false);
  }
  if (json.is_discarded()) {
    spdlog::error("{}:{}: not a JSON object", f.event, f.line);
    return app::kExitUsage;
  }
  auto event = event_from_json(json, counted);
  if (!event) return app::kExitUsage;
  auto rules = app::load_rules(*config, counted);
  if (counted.errors() > 0) return app::kExitUsage;
  if (!f.no_enrich) {
    // Enrich the way a scan would, without overwriting what the event already says.
    auto geoip = enrich::GeoIp::open(config->geoip, counted);
    enrich::IpLists lists;
    for (const auto& [name, path] : config->ip_lists)
      lists.load(name, path, counted);
    model::Event enriched = *event;
    enrich::Enricher enricher(geoip.get(), &lists, nullptr, &diags);
    enricher.enrich(enriched);
    enriched.for_each([&](model::FieldId id, const model::Value& v) {
      if (!event->has(id)) event->set(id, v);
    });
  }
  auto explanation = rules::explain_detection(rules, f.rule, *event);
  if (!explanation) {
    spdlog::error(
        "no detection rule has the id, name or title '{}' (vetter rules lint lists what loaded)",
        f.rule);
    return app::kExitUsage;
  }
  std::cout << rules::format(*explanation);
  return explanation->matched ? app::kExitFlagged : app::kExitClean;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
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
  for (const auto& item : items)
    std::cout << "      - " << item << "\n";
}

int run_explain(const ExplainFlags& f) {
  if (!f.event.empty() || !f.rule.empty()) {
    if (f.event.empty() || f.rule.empty()) {
      spdlog::error("explain a rule against an event with both --rule and --event");
      return app::kExitUsage;
    }
    return run_explain_event(f);
  }
  if (f.account.empty()) {
    spdlog::error("name an ACCOUNT, or give --rule and --event");
    return app::kExitUsage;
  }
  LogDiagnostics diags;
  auto config = build_config(f, diags, /*require_inputs=*/true);
  if (!config) return app::kExitUsage;
  app::ScanOutput out;
  const int code = app::scan(*config, diags, out);
  if (code == app::kExitUsage) return code;

  const auto* a = find_account(out.scores, f.account);
  if (!a) {
    std::cout << "No rule fired for '" << f.account << "'.";
    std::vector<std::string> near;
    for (const auto& acc : out.scores.accounts) {
      if (lower(acc.account).find(lower(f.account)) != std::string::npos)
        near.push_back(acc.account);
    }
    if (!near.empty()) {
      std::cout << " Accounts with hits whose name contains it:";
      for (const auto& n : near)
        std::cout << "\n  " << n;
    }
    std::cout << "\n";
    return app::kExitClean;
  }

  std::cout << a->account << ": score " << fmt::format("{:.1f}", a->score)
            << " of 100, review threshold " << out.scores.threshold
            << (a->in_hr ? "" : "; NOT in the HR export") << "\n"
            << a->verdict << "\n";
  if (a->cluster) {
    const auto& c = out.scores.clusters[*a->cluster];
    std::cout << "Cluster #" << *a->cluster << " links " << c.accounts.size() << " accounts:";
    for (const auto& other : c.accounts)
      std::cout << " " << other;
    std::cout << "\n  through";
    for (const auto& key : c.keys)
      std::cout << " " << key;
    std::cout << "\n";
  }
  std::cout << "\nScore = 100 x (1 - product of (1 - points/100)) over the strongest rule of "
               "each of the "
            << a->families.size() << " indicator families below"
            << (a->corroborated ? "" : ", halved because one family alone is not corroborated")
            << ". A rule in (brackets) is outweighed by a stronger one of its family and not "
               "counted.\n";
  for (const auto& c : a->contributions) {
    const auto& r = *c.rule;
    const std::string points = fmt::format("{:.0f}", c.points);
    std::cout << "\n" << (c.counted ? "+" + points : "(" + points + ")") << "  " << r.title << "\n";
    std::cout << "    family " << r.family << (r.decisive ? " (decisive on its own)" : "")
              << "; rule " << r.id << (r.name.empty() ? "" : " (" + r.name + ")") << ", level "
              << r.level << ", " << r.file << "\n";
    if (c.points != c.base_points) {
      std::cout << "    " << fmt::format("{:.0f}", c.base_points)
                << " points before decay (x-score.decay_half_life "
                << r.decay_half_life_us / 3'600'000'000 << " h, measured back from the newest "
                << "event)\n";
    }
    std::cout << "    fired " << c.hit_count << " times, " << model::format_iso8601(c.first_us)
              << " .. " << model::format_iso8601(c.last_us) << "\n";
    if (!r.description.empty()) std::cout << "    " << r.description << "\n";
    print_list("benign explanations to rule out", r.falsepositives);
    print_list("references", r.references);
    std::size_t shown = 0;
    for (const auto* h : c.hits) {
      if (!h->group_key.empty()) {
        std::cout << "    group " << h->group_key << " within " << h->window_us / 1'000'000
                  << " s, accounts:";
        for (const auto& acc : h->accounts)
          std::cout << " " << acc;
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
      std::cout << "    (" << c.hits.size() << " of " << c.hit_count
                << " hits shown; the JSON report has the same)\n";
    }
  }
  return a->flagged ? app::kExitFlagged : app::kExitClean;
}

}  // namespace

std::vector<Command> add_explain_command(CLI::App& cli) {
  auto flags = std::make_shared<ExplainFlags>();
  auto* cmd = cli.add_subcommand(
      "explain",
      "Scan, then show why one account scored what it did: every rule that fired, "
      "its description, benign explanations, references and evidence lines. With "
      "--rule and --event: which selections of one detection rule match one event");
  cmd->add_option("account", flags->account,
                  "The account: canonical name (e-mail), any case, or its local part");
  add_scan_flags(cmd, *flags);
  cmd->add_option("--max-evidence", flags->max_evidence,
                  "Evidence lines shown per rule (default 20)");
  cmd->add_option(
      "--rule", flags->rule,
      "With --event: a detection rule (id, name or title) to explain selection by selection");
  cmd->add_option(
      "--event", flags->event,
      "With --rule: a JSON file holding one normalized event (field: value, as `vetter normalize` "
      "prints), or a JSON Lines file (see --line); GeoIP and IP lists fill fields it lacks");
  cmd->add_option("--line", flags->line,
                  "With --event on a JSON Lines file: which line (default 1)");
  cmd->add_flag("--no-enrich", flags->no_enrich,
                "With --event: use the event's fields as they are");
  cmd->footer(
      "Exit codes: 0 the account is below the review threshold (or nothing fired) / the rule does "
      "not "
      "match the event; 1 it is flagged / the rule matches; 2 usage, config or rule error; 3 bad "
      "input.");
  return {{cmd, [flags] { return run_explain(*flags); }}};
}

}  // namespace vetter::cli
