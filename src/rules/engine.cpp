// Rule evaluation: detections per event (pruned by logsource category), then correlation windows.
#include "vetter/rules/engine.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <optional>

#include "compiled.h"
#include "correlation.h"
#include "prefilter.h"

namespace vetter::rules {
namespace {

const model::FieldId kUserName = model::Fields::id("user.name");
const model::FieldId kCategory = model::Fields::id("event.category");

bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char c = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (c != lower_b[i]) return false;
  }
  return true;
}

bool body_matches(const DetectionBody& body, const model::Event& event) {
  return evaluate(body.condition, body.condition.root,
                  [&](std::uint32_t s) { return matches(body.selections[s], event); });
}

// Where an event came from, named in every evidence line after the fields the rule tested, so
// that an analyst can check a hit without opening the log: address, GeoIP place and network.
const model::FieldId kContext[] = {
    model::Fields::id("source.ip"),
    model::Fields::id("source.geo.city_name"),
    model::Fields::id("source.geo.country_iso_code"),
    model::Fields::id("source.as.number"),
    model::Fields::id("source.as.organization.name"),
};

// "field=value, field=value" of the fields the rule tested, then the event's context fields,
// written into `out` (reused). A `false` flag says nothing an analyst needs and is left out.
void summary_of(const DetectionRule& rule, const model::Event& event, std::string& out) {
  out.clear();
  auto add = [&](model::FieldId id) {
    const model::Value& v = event.get(id);
    if (model::is_absent(v)) return;
    if (const bool* b = std::get_if<bool>(&v); b && !*b) return;
    if (!out.empty()) out += ", ";
    out += model::Fields::info(id).name;
    out += '=';
    append_text(v, out);
  };
  const auto& tested = rule.body.summary_fields;
  for (model::FieldId id : tested)
    add(id);
  for (model::FieldId id : kContext) {
    if (std::find(tested.begin(), tested.end(), id) == tested.end()) add(id);
  }
}

// Scratch of one thread's matching, reused for every event.
struct MatchScratch {
  std::vector<std::uint32_t> stamp;  // per detection: the last epoch it was a candidate
  std::uint32_t epoch = 0;
  std::vector<std::uint32_t> candidates;

  explicit MatchScratch(std::size_t detections) : stamp(detections, 0) {
    candidates.reserve(detections);
  }
};

// The detections `event` matches (its body and every Sigma filter hold, no x-tuning veto does),
// in the order the prefilter gives its candidates: the order Engine::process applies them in.
void match_detections(const CompiledRules& c, const Prefilter& prefilter, MatchScratch& scratch,
                      const model::Event& event, std::vector<std::uint32_t>& out) {
  out.clear();
  std::size_t category = std::string::npos;
  if (!prefilter.categories().empty()) {
    const std::string_view name = event.str(kCategory);
    for (std::size_t i = 0; i < prefilter.categories().size(); ++i) {
      if (iequals(name, prefilter.categories()[i])) {
        category = i;
        break;
      }
    }
  }
  if (++scratch.epoch == 0) {  // wrapped: old stamps could collide with new epochs
    std::fill(scratch.stamp.begin(), scratch.stamp.end(), 0);
    scratch.epoch = 1;
  }
  scratch.candidates.clear();
  prefilter.candidates(event, category, scratch.stamp, scratch.epoch, scratch.candidates);
  for (std::uint32_t d : scratch.candidates) {
    const DetectionRule& rule = c.detections[d];
    if (!body_matches(rule.body, event)) continue;
    bool filtered = false;
    for (const DetectionBody& filter : rule.filters) {
      if (!body_matches(filter, event)) {
        filtered = true;
        break;
      }
    }
    for (std::size_t v = 0; !filtered && v < rule.vetoes.size(); ++v)
      filtered = body_matches(rule.vetoes[v], event);
    if (!filtered) out.push_back(d);
  }
}

}  // namespace

struct Matcher::State {
  std::shared_ptr<const CompiledRules> compiled;
  std::optional<Prefilter> prefilter;
  std::optional<MatchScratch> scratch;
};

Matcher::Matcher(const RuleSet& rules, EngineOptions options) : state_(std::make_unique<State>()) {
  state_->compiled = rules.compiled();
  if (!state_->compiled) return;
  state_->prefilter.emplace(state_->compiled->detections, options.index);
  state_->scratch.emplace(state_->compiled->detections.size());
}

Matcher::~Matcher() = default;

void Matcher::match(const model::Event& event, std::vector<std::uint32_t>& out) {
  out.clear();
  if (state_->compiled)
    match_detections(*state_->compiled, *state_->prefilter, *state_->scratch, event, out);
}

void Matcher::match(model::Event& event) {
  match(event, event.matches.rules);
  event.matches.known = true;
}

struct Engine::State {
  State(const RuleSet& rules, EngineOptions options) : matcher(rules, options) {}

  std::shared_ptr<const CompiledRules> compiled;
  Matcher matcher;                     // for events no stream thread matched
  std::vector<std::uint32_t> matched;  // reused for every such event
  std::string summary_buf;             // reused: the matching detection's evidence summary
  std::vector<CorrelationWindow> windows;

  // Feeds correlation `c` and passes its hits on: to `out` when the correlation reports, and as
  // input to the correlations chained on it (with the event that made the hit). Chains are
  // acyclic (checked at load), so the recursion is as deep as the longest chain.
  void feed(std::size_t c, std::size_t pos, const model::Event& event, std::string_view summary,
            std::vector<Hit>& out) {
    std::vector<Hit> hits;
    windows[c].feed(pos, event, summary, hits);
    route(c, &event, hits, out);
  }

  void route(std::size_t c, const model::Event* event, std::vector<Hit>& hits,
             std::vector<Hit>& out) {
    const CompiledRules& rules = *compiled;
    const bool reports = rules.infos[rules.correlations[c].info].generate;
    for (Hit& hit : hits) {
      const std::string summary = hit.rule->title + ": " + hit.group_key;
      if (reports) out.push_back(std::move(hit));
      if (!event) continue;
      for (const auto& [outer, pos] : rules.correlation_feeds[c]) {
        feed(outer, pos, *event, summary, out);
      }
    }
  }
};

Engine::Engine(const RuleSet& rules, EngineOptions options)
    : rules_(rules), state_(std::make_unique<State>(rules, options)) {
  state_->compiled = rules_.compiled();
  if (!state_->compiled) return;
  const CompiledRules& c = *state_->compiled;
  state_->windows.reserve(c.correlations.size());
  for (const CorrelationRule& rule : c.correlations) {
    // A correlation that only feeds others still needs a RuleInfo for its (internal) hits.
    const RuleInfo* info = c.infos[rule.info].generate ? &c.reporting[c.reporting_index[rule.info]]
                                                       : &c.infos[rule.info];
    state_->windows.emplace_back(rule, info);
  }
}

Engine::~Engine() = default;

void Engine::process(const model::Event& event, std::vector<Hit>& out) {
  if (!state_->compiled) return;
  const CompiledRules& c = *state_->compiled;
  std::vector<Hit> closed;
  for (std::size_t w = 0; w < state_->windows.size(); ++w) {
    state_->windows[w].advance(event.time_us, closed);
    if (!closed.empty()) {
      state_->route(w, nullptr, closed, out);
      closed.clear();
    }
  }
  // The detections it matches: found by a stream thread already, or here.
  const std::vector<std::uint32_t>* matched = &event.matches.rules;
  if (!event.matches.known) {
    state_->matcher.match(event, state_->matched);
    matched = &state_->matched;
  }
  for (std::uint32_t d : *matched) {
    // Matches from a stream thread index this same compiled rule set (scan builds the Matchers
    // from the engine's RuleSet, with the same options).
    assert(d < c.detections.size());
    const DetectionRule& rule = c.detections[d];
    // Reused across detections: correlations fed below copy what they keep, and a chained
    // correlation's hit builds a summary of its own.
    std::string& summary = state_->summary_buf;
    summary_of(rule, event, summary);
    if (rule.generate) {
      Hit h;
      h.rule = &c.reporting[c.reporting_index[rule.info]];
      const std::string_view account = event.str(kUserName);
      if (!account.empty()) h.accounts.emplace_back(account);
      h.first_us = h.last_us = event.time_us;
      h.evidence.push_back({event.origin, event.time_us, std::string(account), summary});
      out.push_back(std::move(h));
    }
    for (const auto& [correlation, pos] : c.feeds[d]) {
      state_->feed(correlation, pos, event, summary, out);
    }
  }
}

EngineCounters Engine::counters() const {
  EngineCounters c;
  for (const CorrelationWindow& w : state_->windows) {
    c.non_numeric += w.non_numeric();
    c.too_late += w.too_late();
  }
  return c;
}

void Engine::finish(std::vector<Hit>& out) {
  if (!state_->compiled) return;
  std::vector<Hit> closed;
  for (std::size_t w = 0; w < state_->windows.size(); ++w) {
    state_->windows[w].finish(closed);
    state_->route(w, nullptr, closed, out);
    closed.clear();
  }
}

}  // namespace vetter::rules
