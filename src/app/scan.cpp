// The scan driver, written as a list of passes over one context (mold's main.cc is the model):
// each pass reports problems through diagnostics and the driver checks them between passes.
#include "vetter/app/scan.h"

#include <glob.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>

#include "vetter/enrich/enricher.h"
#include "vetter/identity/directory.h"
#include "vetter/ingest/reader.h"
#include "vetter/sources/source.h"

namespace vetter::app {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

// Records the wall time of each pass for the run summary.
class StageTimer {
 public:
  explicit StageTimer(report::RunInfo& run) : run_(run), start_(Clock::now()) {}
  void lap(const char* stage) {
    const auto now = Clock::now();
    run_.stage_ms.emplace_back(stage, std::chrono::duration<double, std::milli>(now - start_).count());
    start_ = now;
  }

 private:
  report::RunInfo& run_;
  Clock::time_point start_;
};

// Keeps the first few bad-input diagnostics for the run summary while forwarding all of them.
class InputDiagnostics : public model::Diagnostics {
 public:
  InputDiagnostics(model::Diagnostics& next, std::vector<std::string>& examples)
      : next_(next), examples_(examples) {}
  void report(model::Diagnostic d) override {
    if (d.severity == model::Severity::kError) {
      ++errors_;
      if (examples_.size() < 5) examples_.push_back(model::format(d));
      // Past the first examples, individual lines stop being useful on a terminal; the counts
      // in the summary still hold every one of them.
      if (errors_ > kShown) {
        if (errors_ == kShown + 1) {
          next_.warning("W-INPUT-MUTED", d.where,
                        "more bad records follow; further ones are counted, not shown");
        }
        return;
      }
    }
    next_.report(std::move(d));
  }

 private:
  static constexpr std::uint64_t kShown = 20;
  model::Diagnostics& next_;
  std::vector<std::string>& examples_;
  std::uint64_t errors_ = 0;
};

std::map<std::string, std::vector<std::string>> read_value_lists(const Config& config,
                                                                 model::Diagnostics& diags) {
  std::map<std::string, std::vector<std::string>> lists;
  for (const auto& [name, path] : config.value_lists) {
    std::ifstream in(path);
    if (!in) {
      diags.error("E-CONFIG", path, "cannot read value list '" + name + "'");
      continue;
    }
    auto& values = lists[name];
    std::string line;
    while (std::getline(in, line)) {
      if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
      std::size_t start = 0;
      while (start < line.size() && std::isspace(static_cast<unsigned char>(line[start]))) ++start;
      if (start < line.size()) values.push_back(line.substr(start));
    }
  }
  return lists;
}

}  // namespace

std::string version() { return "0.1.0"; }

rules::RuleSet load_rules(const Config& config, model::Diagnostics& diags) {
  rules::LoadOptions options;
  options.placeholders = read_value_lists(config, diags);
  return rules::RuleSet::load(config.rule_paths, options, diags);
}

std::vector<std::string> expand_path(const std::string& path, model::Diagnostics& diags,
                                     const std::string& where) {
  std::vector<std::string> out;
  if (path == "-") return {path};
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::recursive_directory_iterator(path, ec)) {
      if (entry.is_regular_file()) out.push_back(entry.path().string());
    }
  } else if (path.find_first_of("*?[") != std::string::npos) {
    glob_t g{};
    if (::glob(path.c_str(), 0, nullptr, &g) == 0) {
      for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
    }
    globfree(&g);
  } else {
    out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) diags.warning("W-INPUT-EMPTY", where, "'" + path + "' matches no file");
  return out;
}

std::string detect_source(const std::string& path) {
  std::ifstream in(path);
  std::string first;
  if (!in || !std::getline(in, first)) return {};
  auto has = [&](const char* s) { return first.find(s) != std::string::npos; };
  if (has("\"eventType\"") && has("\"actor\"")) return "okta";
  if (has("\"eventSource\"") || has("\"Records\"")) return "cloudtrail";
  if (has("\"userPrincipalName\"") || has("\"UserPrincipalName\"")) return "entra";
  if (has("employee_id") && has("work_email")) return "hr-csv";
  if (has("%ASA-")) return "asa";
  return {};
}

int scan(const Config& config, model::Diagnostics& diags, ScanOutput& out) {
  report::RunInfo& run = out.run;
  run.version = version();
  StageTimer timer(run);
  model::CountingDiagnostics setup(diags);

  // Pass 1: source definitions, rules, databases and lists. Any error here is a usage error.
  sources::Catalog catalog;
  for (const auto& dir : config.source_dirs) catalog.load_dir(dir, setup);
  out.rules = std::make_unique<rules::RuleSet>(load_rules(config, setup));
  run.rules_loaded = out.rules->size();
  auto geoip = enrich::GeoIp::open(config.geoip, setup);
  if (geoip) run.geoip = geoip->describe();
  enrich::IpLists ip_lists;
  for (const auto& [name, path] : config.ip_lists) ip_lists.load(name, path, setup);

  struct PlannedInput {
    std::shared_ptr<const sources::Source> source;
    std::string path;
  };
  std::vector<PlannedInput> planned;
  for (const auto& input : config.inputs) {
    for (auto& path : expand_path(input.path, setup, input.where)) {
      std::string name = input.source.empty() ? detect_source(path) : input.source;
      if (name.empty()) {
        setup.error("E-INPUT-SOURCE", input.where,
                    "cannot tell which source '" + path + "' is; name it as SOURCE:PATH");
        continue;
      }
      std::shared_ptr<const sources::Source> source;
      if (!input.columns.empty()) {
        source = catalog.with_overrides(name, input.columns, setup);
      } else if (const auto* found = catalog.find(name)) {
        source = std::shared_ptr<const sources::Source>(std::shared_ptr<void>(), found);
      }
      if (!source) {
        std::string known;
        for (const auto& n : catalog.names()) known += (known.empty() ? "" : ", ") + n;
        if (input.columns.empty()) {
          setup.error("E-INPUT-SOURCE", input.where,
                      "unknown source '" + name + "' (known: " + known + ")");
        }
        continue;
      }
      planned.push_back({std::move(source), std::move(path)});
    }
  }
  if (setup.errors() > 0 || !geoip) return kExitUsage;
  timer.lap("setup");

  // Pass 2: read and map every input. HR comes first so that profiles exist before sign-ins are
  // judged (DESIGN.md "Time order"); the stable sort below keeps that order for equal times.
  std::stable_partition(planned.begin(), planned.end(),
                        [](const PlannedInput& p) { return p.source->category() == "hr"; });
  std::vector<model::Event> events;
  InputDiagnostics input_diags(diags, run.bad_examples);
  bool unreadable = false;
  for (const auto& p : planned) {
    report::InputSummary summary;
    summary.source = p.source->name();
    summary.path = p.path;
    ingest::ReadStats stats;
    std::uint64_t unmapped = 0;
    const std::string& file = out.files.emplace_back(p.path);
    const bool ok = ingest::read_records(
        file, p.source->format(),
        [&](ingest::Record&& record) {
          model::Event event;
          if (p.source->map(record, event, input_diags)) {
            events.push_back(std::move(event));
            ++summary.events;
          } else {
            ++unmapped;
          }
        },
        input_diags, stats);
    unreadable |= !ok;
    summary.bytes = stats.bytes;
    summary.records = stats.records + stats.bad;
    summary.bad = stats.bad + unmapped;
    run.inputs.push_back(std::move(summary));
  }
  timer.lap("read+map");

  // Pass 3: identity. HR events build the directory; every event then gets its canonical account.
  identity::Directory directory;
  for (const auto& e : events) {
    if (e.str(model::Fields::id("event.category")) == "hr") directory.add_hr(e);
  }
  run.hr_workers = directory.size();
  std::stable_sort(events.begin(), events.end(),
                   [](const model::Event& a, const model::Event& b) { return a.time_us < b.time_us; });
  std::set<std::string> unknown;
  const auto category = model::Fields::id("event.category");
  const auto user_name = model::Fields::id("user.name");
  const auto in_hr = model::Fields::id("user.in_hr");
  for (auto& e : events) {
    identity::resolve(e, directory);
    if (e.str(category) != "hr" && !e.str(user_name).empty()) {
      const auto* known = std::get_if<bool>(&e.get(in_hr));
      if (known && !*known) unknown.insert(std::string(e.str(user_name)));
    }
  }
  run.unknown_accounts.assign(unknown.begin(), unknown.end());
  timer.lap("identity");

  // Pass 4: enrichment.
  enrich::Enricher enricher(geoip.get(), &ip_lists, &directory, &diags);
  for (auto& e : events) enricher.enrich(e);
  timer.lap("enrich");

  // Pass 5: rules, in time order.
  rules::Engine engine(*out.rules);
  for (const auto& e : events) engine.process(e, out.hits);
  engine.finish(out.hits);
  run.events = events.size();
  timer.lap("rules");

  // Pass 6: scores and clusters. Accounts that HR does not know are findings in themselves.
  out.scores = score::score_accounts(out.hits, {.threshold = config.review_threshold},
                                     [&](std::string_view account) { return !unknown.count(std::string(account)); });
  timer.lap("score");

  std::uint64_t records = 0, bad = 0;
  for (const auto& in : run.inputs) {
    records += in.records;
    bad += in.bad;
  }
  if (unreadable) return kExitBadInput;
  if (bad > config.max_errors ||
      (records > 0 && static_cast<double>(bad) / static_cast<double>(records) > config.max_error_rate)) {
    diags.error("E-INPUT-BUDGET", "",
                std::to_string(bad) + " of " + std::to_string(records) +
                    " records were bad, more than --max-errors/--max-error-rate allow");
    return kExitBadInput;
  }
  return out.scores.flagged() > 0 ? kExitFlagged : kExitClean;
}

}  // namespace vetter::app
