// The scan driver: one context (scan_context.h) and the passes over it, run in order. Each pass
// reports problems through diagnostics; the driver checks them between passes.
#include "vetter/app/scan.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "../enrich/countries.h"
#include "merger.h"
#include "scan_context.h"
#include "vetter/ingest/reader.h"
#include "vetter/model/text.h"
#include "vetter/model/time_zone.h"

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

bool load_catalog(const Config& config, sources::Catalog& catalog, model::Diagnostics& diags) {
  model::CountingDiagnostics counted(diags);
  catalog.set_hmac_key(read_hmac_key(config, counted));
  for (const auto& dir : unique_paths(config.source_dirs))
    catalog.load_dir(dir, counted);
  return counted.errors() == 0;
}

StreamOptions::Prepare ScanContext::make_prepare() {
  auto enricher =
      std::make_shared<enrich::Enricher>(geoip.get(), &ip_lists, &directory, &input_diags);
  enricher->set_gazetteer(gazetteer.get());
  const identity::Directory* hr = &directory;
  return [enricher, hr](model::Event& event) {
    enricher->enrich(event, identity::resolve(event, *hr));
  };
}

StreamOptions::Prepare ScanContext::make_match() {
  auto matcher = std::make_shared<rules::Matcher>(*out.rules);
  return [matcher](model::Event& event) { matcher->match(event); };
}

// Pass 1: source definitions, rules, databases and lists. Any error here is a usage error.
bool load_setup(ScanContext& ctx) {
  const Config& config = ctx.config;
  report::RunInfo& run = ctx.out.run;
  model::CountingDiagnostics setup(ctx.diags);
  load_catalog(config, ctx.catalog, setup);
  ctx.out.rules = std::make_unique<rules::RuleSet>(load_rules(config, setup));
  run.rules_loaded = ctx.out.rules->size();
  if (ctx.out.rules->size() == 0 && setup.errors() == 0) {
    // Nothing could fire: "No rule fired" would be a lie of omission.
    setup.error("E-RULES-NONE", config.path.empty() ? "command line" : config.path,
                std::string("no detection rule is loaded") +
                    (config.default_rules ? ""
                                          : " (the shipped pack is off: default_rules: false "
                                            "or --no-default-rules)") +
                    "; a scan without rules cannot flag anyone. List rule files under `rules:` "
                    "or --rules, or keep the shipped pack");
  }
  ctx.geoip = enrich::GeoIp::open(config.geoip, setup);
  if (ctx.geoip) run.geoip = ctx.geoip->describe();
  // The gazetteer only adds distance from home; without it the scan still runs, so a problem
  // with it is a warning, not a reason to stop.
  if (!config.gazetteer.empty()) {
    model::CollectingDiagnostics gazetteer_diags;
    ctx.gazetteer = enrich::Gazetteer::load(config.gazetteer, gazetteer_diags);
    for (auto d : gazetteer_diags.items()) {
      if (d.severity == model::Severity::kError) d.severity = model::Severity::kWarning;
      ctx.diags.report(std::move(d));
    }
  }
  for (const auto& [name, path] : config.ip_lists)
    ctx.ip_lists.load(name, path, setup);

  // One stream per configured input: its files (a glob or a directory) are read in name order.
  for (const auto& input : config.inputs) {
    bool no_files = false;  // a path that matches no file (W-INPUT-EMPTY)
    if (auto p = plan_input(config, ctx.catalog, input, setup, &no_files))
      ctx.planned.push_back(std::move(*p));
    ctx.yielded_nothing += no_files;
  }
  return setup.errors() == 0 && ctx.geoip != nullptr;
}

void open_streams(ScanContext& ctx) {
  StreamOptions stream_options;
  stream_options.reorder_allowance_us = ctx.config.reorder_allowance_us;
  stream_options.threads = ctx.config.threads;
  for (auto& p : ctx.planned) {
    std::vector<const std::string*> files;
    for (const auto& path : p.paths)
      files.push_back(&ctx.out.files.emplace_back(path));
    const bool hr = p.source->category() == "hr";
    StreamOptions options = stream_options;
    if (hr) {
      // HR rows are dated by hire date in no particular order; they are read whole and sorted.
      options.reorder_allowance_us = std::numeric_limits<std::int64_t>::max() / 4;
    } else {
      // Identities are resolved and events enriched where each log event is mapped, on the
      // stream's threads, in parallel. The streams start after the HR pass, so the directory is
      // complete and read-only by then. Detection rules are matched there too, while the consumer
      // (which feeds the correlations in time order, alone) is the slower side; it matches the
      // rest.
      options.make_prepare = [&ctx] { return ctx.make_prepare(); };
      options.make_match = [&ctx] { return ctx.make_match(); };
    }
    auto stream =
        std::make_unique<InputStream>(p.source, std::move(files), options, ctx.input_diags);
    (hr ? ctx.hr_streams : ctx.log_streams).push_back({std::move(stream), &p});
  }
}

namespace {

// Adds what one input gave to the run summary once its stream is drained, and says out loud when
// it gave nothing (with `strict`, that ends the run with exit 3: a wrong `source:` or an empty
// export otherwise looks like a clean company) or came out of order.
void collect(ScanContext& ctx, const ScanContext::Stream& stream, std::uint64_t identified) {
  const InputStream& s = *stream.stream;
  const PlannedInput& p = *stream.plan;
  InputYield got;
  got.identified = identified;
  for (const auto& summary : s.summaries()) {
    ctx.out.run.inputs.push_back(summary);
    got.records += summary.records;
    got.bad += summary.bad;
    got.skipped += summary.skipped;
    got.events += summary.events;
  }
  if (!s.unreadable()) {
    const std::string why = why_nothing(p, got, ctx.catalog);
    if (!why.empty()) {
      ++ctx.yielded_nothing;
      const std::string& given = p.input->where;
      ctx.diags.warning("W-INPUT-NOTHING", p.paths.empty() ? given : p.paths.front(),
                        p.source->name() + " input " +
                            (given.empty() || given == "command line" ? "" : "(" + given + ") ") +
                            why);
    }
  }
  ctx.unreadable |= s.unreadable();
  if (s.late() > 0) {
    ctx.diags.warning(
        "W-INPUT-LATE", s.summaries().empty() ? "" : s.summaries().front().path,
        std::to_string(s.late()) +
            " events arrived more than the reorder allowance after later ones and were processed "
            "out of order; sort the input or raise --reorder-window");
  }
}

// HR rows that name a worker, and HR time zones and countries vetter cannot read, counted:
// local-hour and country rules skip those workers, so the share matters more than each spelling.
struct HrTally {
  std::uint64_t identified = 0;
  std::map<std::string, std::uint64_t> bad_zones, bad_countries;
  std::uint64_t zones = 0, countries = 0;

  void add(const model::Event& e) {
    static const model::FieldId kEmail = model::Fields::id("user.email");
    static const model::FieldId kEmployee = model::Fields::id("hr.employee_id");
    static const model::FieldId kAliases = model::Fields::id("user.aliases");
    static const model::FieldId kZone = model::Fields::id("hr.timezone");
    static const model::FieldId kCountry = model::Fields::id("hr.country");
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
  }
};

// W-HR-UNREAD: how many of `of` rows hold a value vetter cannot read, with the commonest.
void warn_unread(model::Diagnostics& diags, const std::string& path,
                 const std::map<std::string, std::uint64_t>& bad, std::uint64_t of,
                 const char* what, const char* effect) {
  if (bad.empty()) return;
  std::uint64_t n = 0;
  std::string examples;
  std::size_t shown = 0;
  for (const auto& [value, count] : bad) {
    n += count;
    if (shown++ < 5)
      examples += (examples.empty() ? "'" : ", '") + value + "' (" + std::to_string(count) + ")";
  }
  diags.warning("W-HR-UNREAD", path,
                std::to_string(n) + " of " + std::to_string(of) + " HR rows have " + what +
                    " vetter cannot read: " + examples + "; " + effect);
}

}  // namespace

// Pass 2: HR first, read whole (it is small), so that every worker's profile and aliases exist
// before the first sign-in is judged. HR records wait for the merge packed (VectorSource).
bool read_hr(ScanContext& ctx) {
  for (const ScanContext::Stream& stream : ctx.hr_streams) {
    InputStream& s = *stream.stream;
    s.start();
    model::Event e;
    HrTally tally;
    while (s.next(e)) {
      tally.add(e);
      ctx.directory.add_hr(e);
      ctx.hr_source.add(e);
    }
    collect(ctx, stream, tally.identified);
    const std::string& path = stream.plan->paths.front();
    warn_unread(ctx.diags, path, tally.bad_zones, tally.zones, "a time zone",
                "local-hour rules skip those workers (give IANA names such as America/Chicago, or "
                "labels like 'GMT-06:00 Central Time (Chicago)')");
    warn_unread(ctx.diags, path, tally.bad_countries, tally.countries, "a country",
                "it is kept as written, so country rules do not match it (give ISO codes or "
                "English names)");
  }
  if (ctx.input_diags.saw("E-CONFIG-HMAC")) return false;  // identity numbers but no key
  ctx.hr_source.sort();
  // HR rows are resolved against the whole directory (an alias claimed by an earlier row), so
  // only once every row is in.
  ctx.hr_source.transform(ctx.make_prepare());
  ctx.out.run.hr_workers = ctx.directory.size();
  return true;
}

namespace {

// The progress line's figures, handed to the caller's ProgressFn about four times a second.
class ProgressMeter {
 public:
  ProgressMeter(const ScanContext& ctx, const ProgressFn& fn)
      : ctx_(ctx), fn_(fn), start_(Clock::now()), next_(start_) {
    if (!fn_) return;
    for (const auto& p : ctx.planned) {
      if (p.source->category() == "hr" || !ingest::has_line_path(p.source->format())) continue;
      for (const auto& file : p.paths) {
        std::error_code size_ec;
        const auto size = fs::file_size(file, size_ec);
        if (!size_ec) shown_.bytes_total += size;
      }
    }
  }

  void tick(std::uint64_t events, std::int64_t event_time_us) {
    if (!fn_ || (events & 4095) != 0) return;
    const auto now = Clock::now();
    if (now < next_) return;
    shown_.events = events;
    shown_.elapsed_s = std::chrono::duration<double>(now - start_).count();
    shown_.event_time_us = event_time_us;
    shown_.bytes_read = 0;
    for (const auto& stream : ctx_.log_streams)
      shown_.bytes_read += stream.stream->bytes_read();
    fn_(shown_);
    next_ = now + std::chrono::milliseconds(250);
  }

  void finish(std::uint64_t events) {
    if (!fn_) return;
    shown_.events = events;
    shown_.elapsed_s = std::chrono::duration<double>(Clock::now() - start_).count();
    shown_.done = true;
    fn_(shown_);
  }

 private:
  const ScanContext& ctx_;
  const ProgressFn& fn_;
  ScanProgress shown_;
  Clock::time_point start_, next_;
};

// The newest log event (what score decay is measured from), and accounts HR does not know.
void note_account(ScanContext& ctx, const model::Event& e) {
  static const auto category = model::Fields::id("event.category");
  static const auto user_name = model::Fields::id("user.name");
  static const auto in_hr = model::Fields::id("user.in_hr");
  if (e.str(category) == "hr") return;
  ctx.data_end_us = std::max(ctx.data_end_us, e.time_us);
  if (e.str(user_name).empty()) return;
  const auto* known = std::get_if<bool>(&e.get(in_hr));
  if (known && !*known && ctx.unknown.find(e.str(user_name)) == ctx.unknown.end())
    ctx.unknown.emplace(e.str(user_name));
}

// What the correlations could not use is said once, with what to do about it.
void warn_set_aside(model::Diagnostics& diags, const rules::EngineCounters& set_aside) {
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
}

}  // namespace

// Pass 3: everything else, streamed. Stream threads read, map, resolve identities and enrich;
// this thread merges by time and runs the rules, so memory holds queues and rule state only.
void stream_logs(ScanContext& ctx, const ProgressFn& progress) {
  report::RunInfo& run = ctx.out.run;
  std::vector<EventSource*> sources{&ctx.hr_source};
  for (auto& s : ctx.log_streams) {
    s.stream->start();
    sources.push_back(s.stream.get());
  }
  Merger merger(std::move(sources));
  rules::Engine engine(*ctx.out.rules);
  // Hits are folded into per-(account, rule) aggregates as they come, so a long scan does not
  // keep every hit; `batch` is reused for each event's hits.
  ctx.out.accumulator = std::make_unique<score::Accumulator>(
      score::Options{.threshold = ctx.config.review_threshold});
  score::Accumulator& scores = *ctx.out.accumulator;
  std::vector<rules::Hit> batch;
  model::Event e;
  std::chrono::nanoseconds rules_time{0};
  ProgressMeter meter(ctx, progress);
  while (merger.next(e)) {
    meter.tick(run.events, e.time_us);
    note_account(ctx, e);
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
  warn_set_aside(ctx.diags, engine.counters());
  meter.finish(run.events);
  for (const ScanContext::Stream& s : ctx.log_streams)
    collect(ctx, s, 0);
  run.unknown_accounts.assign(ctx.unknown.begin(), ctx.unknown.end());
  // Rules on this thread: correlations, and the detections the stream threads left unmatched.
  ctx.rules_ms = std::chrono::duration<double, std::milli>(rules_time).count();
}

// Pass 4: scores and clusters. Accounts that HR does not know are findings in themselves.
void score_accounts(ScanContext& ctx) {
  const auto& unknown = ctx.unknown;
  ctx.out.scores = ctx.out.accumulator->finish(
      [&](std::string_view account) { return unknown.find(account) == unknown.end(); },
      ctx.data_end_us);
}

// Pass 5: how the run ended.
int exit_code(ScanContext& ctx) {
  const Config& config = ctx.config;
  std::uint64_t records = 0, bad = 0;
  for (const auto& in : ctx.out.run.inputs) {
    records += in.records;
    bad += in.bad;
  }
  if (ctx.unreadable) return kExitBadInput;
  if (config.strict && ctx.yielded_nothing > 0) {
    const std::size_t n = ctx.yielded_nothing;
    ctx.diags.error("E-INPUT-NOTHING", config.path,
                    std::to_string(n) + (n == 1 ? " input" : " inputs") +
                        " yielded nothing (warnings above) and strict is on (--strict / strict: "
                        "true)");
    return kExitBadInput;
  }
  if (bad > config.max_errors ||
      (records > 0 &&
       static_cast<double>(bad) / static_cast<double>(records) > config.max_error_rate)) {
    ctx.diags.error("E-INPUT-BUDGET", "",
                    std::to_string(bad) + " of " + std::to_string(records) +
                        " records were bad, more than --max-errors/--max-error-rate allow");
    return kExitBadInput;
  }
  return ctx.out.scores.flagged() > 0 ? kExitFlagged : kExitClean;
}

int scan(const Config& config, model::Diagnostics& diags, ScanOutput& out,
         const ProgressFn& progress) {
  out.run.version = version();
  StageTimer timer(out.run);
  ScanContext ctx(config, diags, out);
  if (!load_setup(ctx)) return kExitUsage;
  timer.lap("setup");
  open_streams(ctx);
  if (!read_hr(ctx)) return kExitUsage;
  timer.lap("hr");
  stream_logs(ctx, progress);
  timer.lap("stream");
  out.run.stage_ms.emplace_back("  of which rules", ctx.rules_ms);
  score_accounts(ctx);
  timer.lap("score");
  return exit_code(ctx);
}

}  // namespace vetter::app
