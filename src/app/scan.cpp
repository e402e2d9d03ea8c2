// The scan driver, written as a list of passes over one context (mold's main.cc is the model):
// each pass reports problems through diagnostics and the driver checks them between passes.
#include "vetter/app/scan.h"

#include <glob.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <set>

#include "../enrich/countries.h"
#include "input_stream.h"
#include "merger.h"
#include "vector_source.h"
#include "vetter/enrich/enricher.h"
#include "vetter/enrich/gazetteer.h"
#include "vetter/identity/directory.h"
#include "vetter/ingest/reader.h"
#include "vetter/model/text.h"
#include "vetter/model/time_zone.h"
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
    run_.stage_ms.emplace_back(stage,
                               std::chrono::duration<double, std::milli>(now - start_).count());
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
    // Producer threads report concurrently.
    std::lock_guard lock(mutex_);
    codes_.insert(d.code);
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

  bool saw(const std::string& code) {
    std::lock_guard lock(mutex_);
    return codes_.count(code) > 0;
  }

 private:
  static constexpr std::uint64_t kShown = 20;
  std::set<std::string> codes_;
  std::mutex mutex_;
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
      const auto value = model::trim(std::string_view(line).substr(0, line.find('#')));
      if (!value.empty()) values.emplace_back(value);
    }
  }
  return lists;
}

}  // namespace

std::string version() {
  return "0.1.0";
}

rules::RuleSet load_rules(const Config& config, model::Diagnostics& diags) {
  rules::LoadOptions options;
  options.placeholders = read_value_lists(config, diags);
  return rules::RuleSet::load(effective_rule_paths(config), options, diags);
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
      for (std::size_t i = 0; i < g.gl_pathc; ++i)
        out.emplace_back(g.gl_pathv[i]);
    }
    globfree(&g);
  } else {
    out.push_back(path);
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) diags.warning("W-INPUT-EMPTY", where, "'" + path + "' matches no file");
  return out;
}

bool load_catalog(const Config& config, sources::Catalog& catalog, model::Diagnostics& diags) {
  model::CountingDiagnostics counted(diags);
  catalog.set_hmac_key(read_hmac_key(config, counted));
  for (const auto& dir : unique_paths(config.source_dirs))
    catalog.load_dir(dir, counted);
  return counted.errors() == 0;
}

namespace {

std::string join(const std::vector<std::string>& items, std::size_t max = 40) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max; ++i)
    out += (out.empty() ? "" : ", ") + items[i];
  if (items.size() > max) out += ", ...";
  return out;
}

// Every column a `columns:` value names: the holes of a template, else the value itself.
std::vector<std::string> named_columns(const std::string& value) {
  if (value.find('{') == std::string::npos) return {value};
  std::vector<std::string> out;
  std::size_t at = 0;
  while ((at = value.find('{', at)) != std::string::npos) {
    if (at + 1 < value.size() && value[at + 1] == '{') {
      at += 2;
      continue;
    }
    const std::size_t close = value.find('}', at + 1);
    if (close == std::string::npos) break;
    out.push_back(value.substr(at + 1, close - at - 1));
    at = close + 1;
  }
  return out;
}

}  // namespace

std::optional<PlannedInput> plan_input(const Config& config, const sources::Catalog& catalog,
                                       const Input& input, model::Diagnostics& diags,
                                       bool* no_files) {
  PlannedInput planned;
  planned.input = &input;
  planned.paths = expand_path(input.path, diags, input.where);
  if (planned.paths.empty()) {
    if (no_files) *no_files = true;
    return std::nullopt;
  }
  std::string name = input.source;
  if (name.empty()) {
    // A bare path: the definitions' `detect:` pick its source, or say why none could.
    const sources::Source* found = catalog.detect(planned.paths.front(), diags);
    if (found == nullptr) return std::nullopt;
    name = found->name();
  }
  const std::string zone = input_time_zone(config, input, name);
  if (!input.columns.empty() || !zone.empty()) {
    // Its complaints (an unknown zone, a column for no field) are about this input: say where
    // the input, the column, or the --timezone flag was given.
    model::CollectingDiagnostics override_diags;
    planned.source =
        catalog.with_overrides(name, input.columns, override_diags, zone, &input.column_key_where);
    const bool zone_from_flag = config.source_timezones.count(name) > 0;
    for (model::Diagnostic d : override_diags.items()) {
      if (d.code == "E-SOURCE-TIMEZONE") {
        const std::string given = zone_from_flag ? "--timezone " + name + "=" + zone : input.where;
        if (!given.empty()) d.where = given + (d.where.empty() ? "" : " (" + d.where + ")");
      } else {
        // Located at the config's columns: entry already when the config gave one.
        bool located = false;
        for (const auto& [key, at] : input.column_key_where)
          located |= d.where == at;
        if (!located && !input.where.empty())
          d.where = input.where + (d.where.empty() ? "" : " (" + d.where + ")");
      }
      diags.report(std::move(d));
    }
    if (!planned.source) return std::nullopt;
  } else if (const auto* found = catalog.find(name)) {
    planned.source = std::shared_ptr<const sources::Source>(std::shared_ptr<void>(), found);
  } else {
    std::vector<std::string> known = catalog.names();
    const std::string hint = sources::closest_name(name, known);
    diags.error("E-INPUT-SOURCE", input.where,
                "unknown source '" + name + "'" +
                    (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                    "; known: " + join(known));
    return std::nullopt;
  }
  // A CSV export's header says which columns exist: a column named in `columns:` that it lacks
  // is a typo (or the wrong file), and would leave its fields silently empty.
  if (planned.source->format() == ingest::Format::kCsv && planned.paths.front() != "-") {
    model::CollectingDiagnostics header_diags;  // an unreadable file is reported by the read
    ingest::read_csv_header(planned.paths.front(), planned.header, header_diags);
    bool ok = true;
    if (!planned.header.empty()) {
      const std::set<std::string> have(planned.header.begin(), planned.header.end());
      for (const auto& [key, value] : input.columns) {
        for (const std::string& column : named_columns(value)) {
          if (have.count(column)) continue;
          const std::string hint = sources::closest_name(column, planned.header);
          const auto at = input.column_value_where.find(key);
          diags.error("E-INPUT-COLUMN",
                      at != input.column_value_where.end() ? at->second : input.where,
                      "columns: " + key + " names column '" + column + "', which the header of " +
                          planned.paths.front() + " does not have" +
                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                          "; its columns are: " + join(planned.header));
          ok = false;
        }
      }
    }
    if (!ok) return std::nullopt;
  }
  return planned;
}

std::string why_nothing(const PlannedInput& input, const InputYield& got,
                        const sources::Catalog& catalog) {
  const std::string& source = input.source->name();
  const std::string first = input.paths.empty() ? std::string() : input.paths.front();
  if (got.records == 0 && got.bad == 0) {
    return "yielded nothing: no records in " + std::to_string(input.paths.size()) +
           (input.paths.size() == 1 ? " file" : " files") +
           " (empty, or a header row only); check the path, or whether the export ran";
  }
  if (got.events == 0) {
    std::string text = "yielded no events: " + std::to_string(got.records) + " records, " +
                       std::to_string(got.skipped) + " skipped by the '" + source +
                       "' definition, " + std::to_string(got.bad) + " bad";
    if (got.skipped > 0) {
      std::string looks;
      for (const sources::Source* s : catalog.detect_file(first)) {
        if (s->name() == source) {
          looks.clear();
          break;
        }
        looks += (looks.empty() ? "" : ", ") + s->name();
      }
      text += looks.empty()
                  ? "; its patterns or filters fit none of them: is `" + source +
                        "` the right source, and does the log hold the messages it reads?"
                  : "; the file looks like '" + looks + "', not '" + source +
                        "': check the input's `source:` (or give the bare path to auto-detect)";
    } else {
      text += "; see the errors above";
    }
    return text;
  }
  if (input.source->category() == "hr" && got.identified == 0) {
    std::string missing;
    const std::set<std::string> have(input.header.begin(), input.header.end());
    for (const std::string& c : input.source->columns()) {
      if (!input.header.empty() && have.count(c)) continue;
      missing += (missing.empty() ? "" : ", ") + c;
    }
    return "none of its " + std::to_string(got.events) +
           " rows gave a worker an e-mail, an employee id or an alias, so no account will "
           "resolve to HR" +
           (missing.empty()
                ? std::string()
                : "; the columns " + source + " reads that the file lacks: " + missing) +
           (input.header.empty() ? std::string() : "; its header has: " + join(input.header)) +
           "; map them with `columns:` on the input (README \"Inputs\")";
  }
  return {};
}

int scan(const Config& config, model::Diagnostics& diags, ScanOutput& out,
         const ProgressFn& progress) {
  report::RunInfo& run = out.run;
  run.version = version();
  StageTimer timer(run);
  model::CountingDiagnostics setup(diags);

  // Pass 1: source definitions, rules, databases and lists. Any error here is a usage error.
  sources::Catalog catalog;
  load_catalog(config, catalog, setup);
  out.rules = std::make_unique<rules::RuleSet>(load_rules(config, setup));
  run.rules_loaded = out.rules->size();
  if (out.rules->size() == 0 && setup.errors() == 0) {
    // Nothing could fire: "No rule fired" would be a lie of omission.
    setup.error("E-RULES-NONE", config.path.empty() ? "command line" : config.path,
                std::string("no detection rule is loaded") +
                    (config.default_rules ? ""
                                          : " (the shipped pack is off: default_rules: false "
                                            "or --no-default-rules)") +
                    "; a scan without rules cannot flag anyone. List rule files under `rules:` "
                    "or --rules, or keep the shipped pack");
  }
  auto geoip = enrich::GeoIp::open(config.geoip, setup);
  if (geoip) run.geoip = geoip->describe();
  // The gazetteer only adds distance from home; without it the scan still runs, so a problem
  // with it is a warning, not a reason to stop.
  std::unique_ptr<enrich::Gazetteer> gazetteer;
  if (!config.gazetteer.empty()) {
    model::CollectingDiagnostics gazetteer_diags;
    gazetteer = enrich::Gazetteer::load(config.gazetteer, gazetteer_diags);
    for (auto d : gazetteer_diags.items()) {
      if (d.severity == model::Severity::kError) d.severity = model::Severity::kWarning;
      diags.report(std::move(d));
    }
  }
  enrich::IpLists ip_lists;
  for (const auto& [name, path] : config.ip_lists)
    ip_lists.load(name, path, setup);

  // One stream per configured input: its files (a glob or a directory) are read in name order.
  std::vector<PlannedInput> planned;
  std::size_t empty_inputs = 0;  // paths that match no file (W-INPUT-EMPTY)
  for (const auto& input : config.inputs) {
    bool no_files = false;
    if (auto p = plan_input(config, catalog, input, setup, &no_files))
      planned.push_back(std::move(*p));
    empty_inputs += no_files;
  }
  if (setup.errors() > 0 || !geoip) return kExitUsage;
  timer.lap("setup");

  // Pass 2: HR first, read whole (it is small), so that every worker's profile and aliases exist
  // before the first sign-in is judged.
  InputDiagnostics input_diags(diags, run.bad_examples);
  StreamOptions stream_options;
  stream_options.reorder_allowance_us = config.reorder_allowance_us;
  stream_options.threads = config.threads;
  // Declared before the streams: their threads use it until they are joined.
  identity::Directory directory;
  // Identities are resolved and events enriched where each log event is mapped, on the stream's
  // threads, in parallel (one Enricher per thread: it caches per IP). The streams start after
  // the HR pass, so the directory is complete and read-only by then.
  const auto make_prepare = [&]() -> StreamOptions::Prepare {
    auto enricher =
        std::make_shared<enrich::Enricher>(geoip.get(), &ip_lists, &directory, &input_diags);
    enricher->set_gazetteer(gazetteer.get());
    return [enricher, &directory](model::Event& event) {
      enricher->enrich(event, identity::resolve(event, directory));
    };
  };
  // Detection rules are matched on the stream threads too, while the consumer below (which
  // feeds the correlations in time order, alone) is the slower side; it matches the rest.
  const auto make_match = [&]() -> StreamOptions::Prepare {
    auto matcher = std::make_shared<rules::Matcher>(*out.rules);
    return [matcher](model::Event& event) { matcher->match(event); };
  };
  std::vector<std::unique_ptr<InputStream>> hr_streams, log_streams;
  std::vector<const PlannedInput*> hr_plans, log_plans;  // the input of each stream
  for (auto& p : planned) {
    std::vector<const std::string*> files;
    for (const auto& path : p.paths)
      files.push_back(&out.files.emplace_back(path));
    const bool hr = p.source->category() == "hr";
    // HR rows are dated by hire date in no particular order; they are read whole and sorted.
    StreamOptions options = stream_options;
    if (hr) options.reorder_allowance_us = std::numeric_limits<std::int64_t>::max() / 4;
    if (!hr) options.make_prepare = make_prepare;
    if (!hr) options.make_match = make_match;
    auto stream = std::make_unique<InputStream>(p.source, std::move(files), options, input_diags);
    (hr ? hr_streams : log_streams).push_back(std::move(stream));
    (hr ? hr_plans : log_plans).push_back(&p);
  }
  // HR records wait for the merge packed (a full Event per worker would be ~2.7 KB each).
  VectorSource hr_source;
  bool unreadable = false;
  std::uint64_t late = 0;
  // Inputs that gave nothing are said out loud (and, with `strict`, end the run with exit 3):
  // a wrong `source:` or an empty export otherwise looks like a clean company.
  std::size_t yielded_nothing = empty_inputs;
  const auto collect = [&](InputStream& s, const PlannedInput& p, std::uint64_t identified) {
    InputYield got;
    got.identified = identified;
    for (const auto& summary : s.summaries()) {
      run.inputs.push_back(summary);
      got.records += summary.records;
      got.bad += summary.bad;
      got.skipped += summary.skipped;
      got.events += summary.events;
    }
    if (!s.unreadable()) {
      const std::string why = why_nothing(p, got, catalog);
      if (!why.empty()) {
        ++yielded_nothing;
        const std::string& given = p.input->where;
        diags.warning("W-INPUT-NOTHING", p.paths.empty() ? given : p.paths.front(),
                      p.source->name() + " input " +
                          (given.empty() || given == "command line" ? "" : "(" + given + ") ") +
                          why);
      }
    }
    unreadable |= s.unreadable();
    late += s.late();
    if (s.late() > 0) {
      diags.warning(
          "W-INPUT-LATE", s.summaries().empty() ? "" : s.summaries().front().path,
          std::to_string(s.late()) +
              " events arrived more than the reorder allowance after later ones and were processed "
              "out of order; sort the input or raise --reorder-window");
    }
  };
  static const model::FieldId kEmail = model::Fields::id("user.email");
  static const model::FieldId kEmployee = model::Fields::id("hr.employee_id");
  static const model::FieldId kAliases = model::Fields::id("user.aliases");
  static const model::FieldId kZone = model::Fields::id("hr.timezone");
  static const model::FieldId kCountry = model::Fields::id("hr.country");
  for (std::size_t i = 0; i < hr_streams.size(); ++i) {
    InputStream& s = *hr_streams[i];
    s.start();
    model::Event e;
    std::uint64_t identified = 0;
    // HR time zones and countries vetter cannot read, counted: local-hour and country rules
    // skip those workers, so the share matters more than each spelling.
    std::map<std::string, std::uint64_t> bad_zones, bad_countries;
    std::uint64_t zones = 0, countries = 0;
    while (s.next(e)) {
      identified += !model::is_absent(e.get(kEmail)) || !model::is_absent(e.get(kEmployee)) ||
                    !model::is_absent(e.get(kAliases));
      if (const std::string_view zone = e.str(kZone); !zone.empty()) {
        ++zones;
        if (model::find_time_zone(zone) == nullptr && bad_zones.size() < 1000)
          ++bad_zones[std::string(zone)];
      }
      if (const std::string_view country = e.str(kCountry); !country.empty()) {
        ++countries;
        if (!enrich::country_iso_code(country) && bad_countries.size() < 1000)
          ++bad_countries[std::string(country)];
      }
      directory.add_hr(e);
      hr_source.add(e);
    }
    collect(s, *hr_plans[i], identified);
    const auto unread = [&](const std::map<std::string, std::uint64_t>& bad, std::uint64_t of,
                            const char* what, const char* effect) {
      if (bad.empty()) return;
      std::uint64_t n = 0;
      std::string examples;
      std::size_t shown = 0;
      for (const auto& [value, count] : bad) {
        n += count;
        if (shown++ < 5)
          examples +=
              (examples.empty() ? "'" : ", '") + value + "' (" + std::to_string(count) + ")";
      }
      diags.warning("W-HR-UNREAD", hr_plans[i]->paths.front(),
                    std::to_string(n) + " of " + std::to_string(of) + " HR rows have " + what +
                        " vetter cannot read: " + examples + "; " + effect);
    };
    unread(bad_zones, zones, "a time zone",
           "local-hour rules skip those workers (give IANA names such as America/Chicago, or "
           "labels like 'GMT-06:00 Central Time (Chicago)')");
    unread(bad_countries, countries, "a country",
           "it is kept as written, so country rules do not match it (give ISO codes or English "
           "names)");
  }
  if (input_diags.saw("E-CONFIG-HMAC")) return kExitUsage;  // identity numbers but no key
  hr_source.sort();
  // HR rows are resolved against the whole directory (an alias claimed by an earlier row), so
  // only once every row is in.
  hr_source.transform(make_prepare());
  run.hr_workers = directory.size();
  timer.lap("hr");

  // Pass 3: everything else, streamed. Stream threads read, map, resolve identities and enrich;
  // this thread merges by time and runs the rules, so memory holds queues and rule state only.
  std::vector<EventSource*> sources{&hr_source};
  for (auto& s : log_streams) {
    s->start();
    sources.push_back(s.get());
  }
  Merger merger(std::move(sources));
  rules::Engine engine(*out.rules);
  // Hits are folded into per-(account, rule) aggregates as they come, so a long scan does not
  // keep every hit; `batch` is reused for each event's hits.
  out.accumulator =
      std::make_unique<score::Accumulator>(score::Options{.threshold = config.review_threshold});
  score::Accumulator& scores = *out.accumulator;
  std::vector<rules::Hit> batch;
  std::set<std::string, std::less<>> unknown;  // transparent: looked up by string_view
  const auto category = model::Fields::id("event.category");
  const auto user_name = model::Fields::id("user.name");
  const auto in_hr = model::Fields::id("user.in_hr");
  model::Event e;
  std::int64_t data_end_us = 0;  // the newest log event: what score decay is measured from
  std::chrono::nanoseconds rules_time{0};
  ScanProgress shown;
  for (const auto& p : planned) {
    if (p.source->category() == "hr" || !ingest::has_line_path(p.source->format())) continue;
    for (const auto& file : p.paths) {
      std::error_code size_ec;
      const auto size = fs::file_size(file, size_ec);
      if (!size_ec) shown.bytes_total += size;
    }
  }
  const auto scan_start = Clock::now();
  auto next_report = scan_start;
  while (merger.next(e)) {
    if (progress && (run.events & 4095) == 0) {
      const auto now = Clock::now();
      if (now >= next_report) {
        shown.events = run.events;
        shown.elapsed_s = std::chrono::duration<double>(now - scan_start).count();
        shown.event_time_us = e.time_us;
        shown.bytes_read = 0;
        for (const auto& stream : log_streams)
          shown.bytes_read += stream->bytes_read();
        progress(shown);
        next_report = now + std::chrono::milliseconds(250);
      }
    }
    if (e.str(category) != "hr") data_end_us = std::max(data_end_us, e.time_us);
    if (e.str(category) != "hr" && !e.str(user_name).empty()) {
      const auto* known = std::get_if<bool>(&e.get(in_hr));
      if (known && !*known && unknown.find(e.str(user_name)) == unknown.end()) {
        unknown.emplace(e.str(user_name));
      }
    }
    // The rules' share of the stream is timed on one event in 16 (two clock reads per event were
    // 2% of this thread, the one that bounds a many-input scan) and scaled up.
    const bool timed = (run.events & 15) == 0;
    const auto t1 = timed ? Clock::now() : Clock::time_point();
    engine.process(e, batch);
    for (const auto& hit : batch)
      scores.add(hit);
    batch.clear();
    if (timed) rules_time += 16 * (Clock::now() - t1);
    ++run.events;
  }
  engine.finish(batch);
  for (const auto& hit : batch)
    scores.add(hit);
  batch.clear();
  // What the correlations could not use is said once, with what to do about it.
  const rules::EngineCounters set_aside = engine.counters();
  if (set_aside.too_late > 0) {
    diags.warning("W-RULES-LATE", "",
                  std::to_string(set_aside.too_late) +
                      " events reached a correlation older than its window allows and were not "
                      "counted; the inputs are out of order by more than reorder_window: raise it "
                      "(config reorder_window / --reorder-window) or sort the input");
  }
  if (set_aside.non_numeric > 0) {
    diags.warning("W-RULES-NON-NUMERIC", "",
                  std::to_string(set_aside.non_numeric) +
                      " events fed value_sum/value_avg/value_percentile a field that held no "
                      "number and were not counted; check the rule's field and the source mapping");
  }
  if (progress) {
    shown.events = run.events;
    shown.elapsed_s = std::chrono::duration<double>(Clock::now() - scan_start).count();
    shown.done = true;
    progress(shown);
  }
  for (std::size_t i = 0; i < log_streams.size(); ++i)
    collect(*log_streams[i], *log_plans[i], 0);
  run.unknown_accounts.assign(unknown.begin(), unknown.end());
  timer.lap("stream");
  // Rules on this thread: correlations, and the detections the stream threads left unmatched.
  run.stage_ms.emplace_back("  of which rules",
                            std::chrono::duration<double, std::milli>(rules_time).count());

  // Pass 6: scores and clusters. Accounts that HR does not know are findings in themselves.
  out.scores = scores.finish(
      [&](std::string_view account) { return unknown.find(account) == unknown.end(); },
      data_end_us);
  timer.lap("score");

  std::uint64_t records = 0, bad = 0;
  for (const auto& in : run.inputs) {
    records += in.records;
    bad += in.bad;
  }
  if (unreadable) return kExitBadInput;
  if (config.strict && yielded_nothing > 0) {
    diags.error("E-INPUT-NOTHING", config.path,
                std::to_string(yielded_nothing) + (yielded_nothing == 1 ? " input" : " inputs") +
                    " yielded nothing (warnings above) and strict is on (--strict / strict: true)");
    return kExitBadInput;
  }
  if (bad > config.max_errors ||
      (records > 0 &&
       static_cast<double>(bad) / static_cast<double>(records) > config.max_error_rate)) {
    diags.error("E-INPUT-BUDGET", "",
                std::to_string(bad) + " of " + std::to_string(records) +
                    " records were bad, more than --max-errors/--max-error-rate allow");
    return kExitBadInput;
  }
  return out.scores.flagged() > 0 ? kExitFlagged : kExitClean;
}

}  // namespace vetter::app
