// `vetter check`: reads the head of each input through the scan's own path (plan_input,
// InputStream) and says what a scan would see, and what is missing, in one run.
#include "vetter/app/check.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "input_stream.h"
#include "vetter/app/scan.h"
#include "vetter/enrich/geoip.h"
#include "vetter/identity/directory.h"
#include "vetter/ingest/reader.h"
#include "vetter/model/field.h"
#include "vetter/model/time_zone.h"
#include "vetter/sources/source.h"

// Country names: the enricher's own table (the scan normalizes hr.country with it).
#include "../enrich/countries.h"

namespace vetter::app {
namespace fs = std::filesystem;

namespace {

// Collects what the readers report, from the stream's threads.
class SafeCollector : public model::Diagnostics {
 public:
  void report(model::Diagnostic d) override {
    std::lock_guard lock(mutex_);
    items_.push_back(std::move(d));
  }
  std::vector<model::Diagnostic> items() {
    std::lock_guard lock(mutex_);
    return items_;
  }

 private:
  std::mutex mutex_;
  std::vector<model::Diagnostic> items_;
};

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  return std::to_string((part * 100 + whole / 2) / whole) + "%";
}

std::string join(const std::vector<std::string>& items, std::size_t max = 12) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i)
    out += (out.empty() ? "" : ", ") + items[i];
  if (items.size() > max) out += ", ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

bool inside(const std::string& path, const fs::path& dir) {
  std::error_code ec;
  const auto p = fs::weakly_canonical(path, ec).string();
  const auto d = fs::weakly_canonical(dir, ec).string();
  return !d.empty() && p.rfind(d + "/", 0) == 0;
}

struct Sampled {
  InputYield got;
  std::vector<model::Event> events;  // HR events are kept for the directory
  std::map<model::FieldId, std::uint64_t> present;
  std::map<std::string, std::uint64_t> unknown_zones, unknown_countries;
  std::map<std::string, std::uint64_t> accounts;    // user.name -> events
  std::map<std::string, std::uint64_t> unresolved;  // user.name -> events
  std::map<std::string, std::string> unresolved_raw;
};

// Reads the head of one planned input the way a scan does.
Sampled sample(const PlannedInput& p, std::uint64_t cap, bool keep, const identity::Directory* hr,
               SafeCollector& diags) {
  Sampled s;
  std::vector<const std::string*> files;
  for (const auto& path : p.paths)
    files.push_back(&path);
  StreamOptions options;
  options.threads = 1;
  options.max_records_per_file = cap;
  options.reorder_allowance_us = std::numeric_limits<std::int64_t>::max() / 4;
  InputStream stream(p.source, std::move(files), options, diags);
  stream.start();
  static const model::FieldId kEmail = model::Fields::id("user.email");
  static const model::FieldId kEmployee = model::Fields::id("hr.employee_id");
  static const model::FieldId kAliases = model::Fields::id("user.aliases");
  static const model::FieldId kZone = model::Fields::id("hr.timezone");
  static const model::FieldId kCountry = model::Fields::id("hr.country");
  static const model::FieldId kName = model::Fields::id("user.name");
  static const model::FieldId kOriginal = model::Fields::id("user.original");
  static const model::FieldId kInHr = model::Fields::id("user.in_hr");
  model::Event e;
  while (stream.next(e)) {
    for (std::size_t id = 0; id < model::Fields::count(); ++id) {
      if (!model::is_absent(e.get(static_cast<model::FieldId>(id))))
        ++s.present[static_cast<model::FieldId>(id)];
    }
    if (p.source->category() == "hr") {
      s.got.identified += !model::is_absent(e.get(kEmail)) || !model::is_absent(e.get(kEmployee)) ||
                          !model::is_absent(e.get(kAliases));
      const std::string zone(e.str(kZone));
      if (!zone.empty() && model::find_time_zone(zone) == nullptr) ++s.unknown_zones[zone];
      const std::string country(e.str(kCountry));
      if (!country.empty() && !enrich::country_iso_code(country)) ++s.unknown_countries[country];
    } else if (hr != nullptr && !e.str(kOriginal).empty()) {
      identity::resolve(e, *hr);
      const std::string name(e.str(kName));
      if (!name.empty()) {
        ++s.accounts[name];
        const auto* in_hr = std::get_if<bool>(&e.get(kInHr));
        if (in_hr && !*in_hr) {
          ++s.unresolved[name];
          s.unresolved_raw.emplace(name, std::string(e.str(kOriginal)));
        }
      }
    }
    if (keep) s.events.push_back(e);
    e = model::Event();
  }
  for (const auto& summary : stream.summaries()) {
    s.got.records += summary.records;
    s.got.bad += summary.bad;
    s.got.skipped += summary.skipped;
    s.got.events += summary.events;
  }
  return s;
}

// HR column -> the values it holds (normalized as aliases), read raw from the CSV: which column
// would resolve a sign-in name nothing resolves.
std::map<std::string, std::set<std::string>> hr_columns(const PlannedInput& p) {
  std::map<std::string, std::set<std::string>> out;
  if (p.source->format() != ingest::Format::kCsv || p.paths.empty() || p.paths.front() == "-")
    return out;
  model::CollectingDiagnostics quiet;
  ingest::ReadStats stats;
  ingest::read_records(
      p.paths.front(), ingest::Format::kCsv,
      [&](ingest::Record&& r) {
        if (!r.csv) return;
        for (std::size_t i = 0; i < r.csv->size; ++i) {
          if (!r.csv->cells[i].empty())
            out[(*r.csv->header)[i]].insert(identity::normalize_alias(r.csv->cells[i]));
        }
      },
      quiet, stats);
  return out;
}

// Which loaded rules read fields that only a given GeoIP database fills.
std::map<std::string, std::vector<std::string>> rules_needing(const rules::RuleSet& rules) {
  static const std::pair<const char*, const char*> kNeeds[] = {
      {"City", "source.geo."},
      {"ASN", "source.as."},
      {"Anonymous-IP", "source.anonymous."},
      {"Connection-Type", "source.connection_type"}};
  std::map<std::string, std::string> texts;  // file -> content
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& rule : rules.rules()) {
    const std::string file = rule.file.substr(0, rule.file.rfind(':'));
    auto it = texts.find(file);
    if (it == texts.end()) {
      std::ifstream in(file);
      it = texts.emplace(file, std::string(std::istreambuf_iterator<char>(in), {})).first;
    }
    for (const auto& [role, prefix] : kNeeds) {
      if (it->second.find(prefix) != std::string::npos) out[role].push_back(rule.title);
    }
  }
  return out;
}

void print_diags(std::ostream& out, const std::vector<model::Diagnostic>& items,
                 std::size_t max = 8) {
  std::size_t shown = 0;
  for (const auto& d : items) {
    if (d.severity == model::Severity::kInfo) continue;
    if (shown++ == max) {
      out << "      ... and more\n";
      break;
    }
    out << "      ! " << model::format(d) << '\n';
  }
}

}  // namespace

int check(const Config& config, const CheckOptions& options, std::ostream& out,
          model::Diagnostics& diags) {
  std::vector<std::string> fatal;  // why a scan would not work
  std::vector<std::string> advice;
  out << "vetter check" << (config.path.empty() ? "" : " --config " + config.path) << "\n\n";

  // Source definitions and rules, as a scan loads them.
  model::CollectingDiagnostics setup;
  sources::Catalog catalog;
  if (!load_catalog(config, catalog, setup)) fatal.push_back("source definitions did not load");
  const std::string hmac_key = read_hmac_key(config, setup);
  auto rules = load_rules(config, setup);
  for (const auto& d : setup.items())
    if (d.severity == model::Severity::kError) diags.report(d);
  if (setup.count(model::Severity::kError) > 0 && fatal.empty())
    fatal.push_back("the config, a rule, a list or a definition has errors (above)");

  // Inputs: HR first (the sign-ins are resolved against it), then the others' heads.
  out << "Inputs\n";
  if (config.inputs.empty()) fatal.push_back("no inputs: list them under `inputs:`");
  struct Planned {
    const Input* input;
    std::optional<PlannedInput> plan;
    std::vector<model::Diagnostic> problems;
  };
  std::vector<Planned> planned;
  for (const auto& input : config.inputs) {
    model::CollectingDiagnostics plan_diags;
    bool no_files = false;
    Planned p{&input, plan_input(config, catalog, input, plan_diags, &no_files), {}};
    p.problems = plan_diags.items();
    planned.push_back(std::move(p));
  }
  identity::Directory directory;
  std::map<const Planned*, Sampled> samples;
  std::map<const Planned*, std::vector<model::Diagnostic>> read_problems;
  bool any_hr = false;
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& p : planned) {
      if (!p.plan) continue;
      const bool hr = p.plan->source->category() == "hr";
      if (hr != (pass == 0)) continue;
      SafeCollector collected;
      Sampled s = sample(*p.plan, hr ? options.hr_records : options.head_records, hr,
                         hr ? nullptr : &directory, collected);
      if (hr) {
        any_hr = true;
        for (auto& e : s.events)
          directory.add_hr(e);
        s.events.clear();
      }
      read_problems[&p] = collected.items();
      samples.emplace(&p, std::move(s));
    }
  }

  std::size_t index = 0;
  std::size_t nothing = 0;
  bool hmac_needed = false;
  for (const auto& p : planned) {
    ++index;
    const Input& in = *p.input;
    out << "  [" << index << "] ";
    if (!p.plan) {
      out << (in.source.empty() ? "(auto-detect)" : in.source) << "  " << in.path << "  ("
          << in.where << ")\n      cannot be read as configured:\n";
      print_diags(out, p.problems);
      bool error = false;
      for (const auto& d : p.problems)
        error |= d.severity == model::Severity::kError;
      if (error)
        fatal.push_back("input [" + std::to_string(index) + "] " + in.path);
      else
        ++nothing;  // a path that matches no file
      continue;
    }
    const PlannedInput& plan = *p.plan;
    const sources::Source& source = *plan.source;
    const Sampled& s = samples.at(&p);
    const bool hr = source.category() == "hr";
    out << source.name() << (in.source.empty() ? " (detected)" : " (named)") << "  "
        << plan.paths.front()
        << (plan.paths.size() > 1 ? " and " + std::to_string(plan.paths.size() - 1) + " more" : "")
        << "  (" << in.where << ")\n";
    out << "      read " << (hr ? "whole" : "head") << ": " << s.got.records << " records, "
        << s.got.events << " events, " << s.got.skipped << " skipped, " << s.got.bad << " bad"
        << (!hr && s.got.records >= options.head_records
                ? " (first " + std::to_string(options.head_records) + " records of each file)"
                : "")
        << (hr ? "" : "; times without an offset read in " + source.time_zone()) << '\n';
    print_diags(out, read_problems[&p], 5);
    const std::string why = why_nothing(plan, s.got, catalog);
    if (!why.empty()) {
      out << "      ! W-INPUT-NOTHING: " << why << '\n';
      ++nothing;
    }
    // Mapped fields and how often each is present.
    const std::set<std::string> header(plan.header.begin(), plan.header.end());
    out << "      fields (events holding each, of " << s.got.events << "):\n";
    for (const auto& [field, keys] : source.field_sources()) {
      const auto id = model::Fields::find(field);
      const std::uint64_t n = id && s.present.count(*id) ? s.present.at(*id) : 0;
      std::vector<std::string> from;
      for (const auto& k : keys) {
        from.push_back(k + (!plan.header.empty() && !header.count(k) ? " (not in the file)" : ""));
      }
      out << "        " << pad(field, 28) << pad(std::to_string(n), 8)
          << pad(percent(n, s.got.events), 6)
          << (from.empty() ? "(constant)" : "<- " + join(from, 6)) << '\n';
    }
    if (hr) {
      // A document column with values and no key: the scan stops (E-CONFIG-HMAC).
      for (const auto& d : read_problems[&p])
        hmac_needed |= d.code == "E-CONFIG-HMAC";
      std::uint64_t bad_zones = 0, bad_countries = 0;
      std::vector<std::string> zone_examples, country_examples;
      for (const auto& [z, n] : s.unknown_zones) {
        bad_zones += n;
        zone_examples.push_back("'" + z + "'");
      }
      for (const auto& [c, n] : s.unknown_countries) {
        bad_countries += n;
        country_examples.push_back("'" + c + "'");
      }
      const auto zid = model::Fields::id("hr.timezone");
      const auto cid = model::Fields::id("hr.country");
      const std::uint64_t zones = s.present.count(zid) ? s.present.at(zid) : 0;
      const std::uint64_t countries = s.present.count(cid) ? s.present.at(cid) : 0;
      if (zones == 0) advice.push_back("no time zone is mapped: local-hour rules skip workers");
      out << "      time zones: "
          << (zones == 0 ? std::string("none mapped (local-hour rules skip every worker)")
                         : std::to_string(zones - bad_zones) + " of " + std::to_string(zones) +
                               " read as IANA zones")
          << (bad_zones ? "; not read: " + join(zone_examples, 5) +
                              " (local-hour rules skip these workers)"
                        : "")
          << '\n';
      out << "      countries: "
          << (countries == 0 ? std::string("none mapped")
                             : std::to_string(countries - bad_countries) + " of " +
                                   std::to_string(countries) + " known")
          << (bad_countries ? "; not known: " + join(country_examples, 5) +
                                  " (kept as written: GeoIP comparisons will not match them)"
                            : "")
          << '\n';
      out << "      workers: " << s.got.identified << " of " << s.got.events
          << " rows name a worker (an e-mail, employee id or alias)\n";
    } else if (!s.accounts.empty()) {
      std::uint64_t resolved = 0;
      for (const auto& [name, n] : s.accounts)
        resolved += !s.unresolved.count(name);
      out << "      accounts: " << s.accounts.size() << " in the head; " << resolved
          << " resolve to an HR worker (" << percent(resolved, s.accounts.size()) << ")";
      if (!any_hr) out << " - no HR input, so none can";
      out << '\n';
      if (!s.unresolved.empty() && any_hr) {
        std::vector<std::pair<std::uint64_t, std::string>> top;
        for (const auto& [name, n] : s.unresolved)
          top.emplace_back(n, name);
        std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
          return a.first != b.first ? a.first > b.first : a.second < b.second;
        });
        // Which HR column holds these names, and under which of the definition's alias
        // columns it would resolve them.
        std::map<std::string, std::size_t> holding;  // HR column -> unresolved names it holds
        for (const auto& hp : planned) {
          if (!hp.plan || hp.plan->source->category() != "hr") continue;
          const auto columns = hr_columns(*hp.plan);
          for (const auto& [n, name] : top) {
            const std::string raw = identity::normalize_alias(s.unresolved_raw.at(name));
            for (const auto& [column, values] : columns) {
              if (values.count(raw) || values.count(name)) ++holding[column];
            }
          }
          std::string alias_column;  // one the definition reads into user.aliases, absent here
          const std::set<std::string> hr_header(hp.plan->header.begin(), hp.plan->header.end());
          for (const auto& c : hp.plan->source->columns()) {
            const auto fields = hp.plan->source->fields_reading(c);
            if (std::find(fields.begin(), fields.end(), "user.aliases") != fields.end() &&
                !hr_header.count(c) && alias_column.empty())
              alias_column = c;
          }
          for (const auto& [column, n] : holding) {
            const std::string hint =
                "HR column '" + column + "' holds " + std::to_string(n) + " of these names: " +
                (alias_column.empty()
                     ? "add it to user.aliases in the definition"
                     : "add `" + alias_column + ": " + column + "` under the HR input's columns:");
            out << "      -> " << hint << '\n';
            advice.push_back(hint);
          }
        }
        out << "      not in HR (most events first): ";
        std::vector<std::string> names;
        for (std::size_t i = 0; i < top.size() && i < 5; ++i)
          names.push_back(top[i].second + " (" + std::to_string(top[i].first) + ")");
        out << join(names, 5) << '\n';
      }
    }
  }
  if (nothing > 0 && config.strict)
    fatal.push_back(std::to_string(nothing) + " input(s) yield nothing and strict is on");

  // GeoIP: which databases, and what the rules cannot see without the others.
  out << "\nGeoIP\n";
  model::CollectingDiagnostics geo_diags;
  auto geoip = enrich::GeoIp::open(config.geoip, geo_diags);
  if (!geoip) {
    fatal.push_back("GeoIP databases could not be opened");
    print_diags(out, geo_diags.items());
  } else {
    const auto open = geoip->describe();
    const auto needing = rules_needing(rules);
    bool test_dbs = false;
    for (const char* role : {"City", "ASN", "Anonymous-IP", "Connection-Type"}) {
      std::string found;
      for (const auto& line : open) {
        const std::string type = line.substr(0, line.find(' '));
        if (type.find(role) != std::string::npos) found = line;
      }
      out << "  " << pad(role, 17);
      if (!found.empty()) {
        const std::string path = found.substr(found.find(' ') + 1);
        const bool shipped =
            !options.root.empty() && inside(path, fs::path(options.root) / "geoip");
        test_dbs |= shipped;
        out << found << (shipped ? "  (the shipped TEST database)" : "") << '\n';
      } else {
        const auto it = needing.find(role);
        out << "missing";
        if (it != needing.end())
          out << ": rules reading what it gives see nothing there: " << join(it->second, 6);
        out << '\n';
      }
    }
    if (test_dbs) {
      const std::string text =
          "the shipped test databases know only documentation and test addresses: on real data "
          "GeoIP finds nothing, and every geo, ASN and anonymizer rule stays silent. Point "
          "geoip.dir at MaxMind GeoIP2/GeoLite2 or DB-IP databases (geoip/README.md)";
      out << "  ! " << text << '\n';
      advice.push_back(text);
    }
    print_diags(out, geo_diags.items());
  }

  // The HMAC key.
  out << "\nHMAC key: ";
  if (!hmac_key.empty()) {
    out << "present ("
        << (!config.hmac_key_file.empty() ? "hmac_key_file " + config.hmac_key_file
                                          : "$" + config.hmac_key_env)
        << ")\n";
  } else {
    out << "missing";
    if (hmac_needed) {
      out << ": identity-document or bank numbers are mapped and present, so a scan stops "
             "(E-CONFIG-HMAC); set $"
          << config.hmac_key_env << " or hmac_key_file:";
      fatal.push_back("the HMAC key is missing");
    }
    out << '\n';
  }

  // Rules.
  out << "Rules: " << rules.size() << " loaded from " << join(effective_rule_paths(config), 4)
      << (config.default_rules ? "" : " (the shipped pack is off)") << '\n';
  if (rules.size() == 0) fatal.push_back("no detection rule is loaded (E-RULES-NONE)");

  out << '\n';
  if (fatal.empty()) {
    out << "A scan would work" << (advice.empty() && nothing == 0 ? "." : ", with the notes above.")
        << "\n";
    return kExitClean;
  }
  out << "A scan would NOT work:\n";
  for (const auto& f : fatal)
    out << "  - " << f << '\n';
  return kExitUsage;
}

}  // namespace vetter::app
