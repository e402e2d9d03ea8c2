// Detection explanations: the matcher run test by test, with the event's values beside them.
// Not on the hot path, so it may allocate freely.
#include "vetter/rules/explain.h"

#include <algorithm>

#include "compiled.h"

namespace vetter::rules {
namespace {

std::string describe(const ValueMatcher& v) {
  const std::string quoted = "'" + v.text + "'";
  switch (v.kind) {
    case MatchKind::kEquals:
      return "is " + quoted;
    case MatchKind::kContains:
      return "contains " + quoted;
    case MatchKind::kStartsWith:
      return "starts with " + quoted;
    case MatchKind::kEndsWith:
      return "ends with " + quoted;
    case MatchKind::kGlob:
      return "matches " + quoted;
    case MatchKind::kRegex:
      return "matches regex " + quoted;
    case MatchKind::kCidr:
      return "is in " + v.cidr.to_string();
    case MatchKind::kExists:
      return v.exists ? "exists" : "is absent";
    case MatchKind::kNull:
      return "is null (absent)";
    case MatchKind::kLt:
      return "< " + model::to_text(model::Value{v.number});
    case MatchKind::kLte:
      return "<= " + model::to_text(model::Value{v.number});
    case MatchKind::kGt:
      return "> " + model::to_text(model::Value{v.number});
    case MatchKind::kGte:
      return ">= " + model::to_text(model::Value{v.number});
    case MatchKind::kFieldRef:
      return "equals field " + std::string(model::Fields::info(v.ref).name);
    case MatchKind::kNumEquals:
      return "== " + model::to_text(model::Value{v.number});
  }
  return "?";
}

std::string describe(const FieldTest& t) {
  std::string out(model::Fields::info(t.field).name);
  out += t.negate ? " matches none of: " : (t.all && t.values.size() > 1 ? " all of: " : " ");
  for (std::size_t i = 0; i < t.values.size(); ++i) {
    if (i) out += t.all ? " and " : " or ";
    out += describe(t.values[i]);
    if (i == 4 && t.values.size() > 6) {
      out += " ... (" + std::to_string(t.values.size()) + " values)";
      break;
    }
  }
  if (t.values[0].cased) out += " (case-sensitive)";
  return out;
}

SelectionExplanation explain(const Selection& s, const model::Event& event) {
  SelectionExplanation out;
  out.name = s.name;
  out.matched = matches(s, event);
  for (const auto& branch : s.branches) {
    auto& tests = out.branches.emplace_back();
    for (const auto& t : branch) {
      const auto& v = event.get(t.field);
      tests.push_back(
          {describe(t), model::is_absent(v) ? "<absent>" : model::to_text(v), matches(t, event)});
    }
  }
  return out;
}

bool body_matches(const DetectionBody& body, const model::Event& event) {
  return evaluate(body.condition, body.condition.root,
                  [&](std::size_t i) { return matches(body.selections[i], event); });
}

}  // namespace

std::optional<DetectionExplanation> explain_detection(const RuleSet& rules, std::string_view rule,
                                                      const model::Event& event) {
  const auto compiled = rules.compiled();
  for (const auto& d : compiled->detections) {
    const RuleInfo& info = compiled->infos[d.info];
    if (info.id != rule && info.name != rule && info.title != rule) continue;
    DetectionExplanation out;
    out.title = info.title;
    out.id = info.id;
    out.category = d.category;
    if (!d.category.empty()) {
      std::string have(event.str(model::Fields::id("event.category")));
      std::transform(have.begin(), have.end(), have.begin(),
                     [](unsigned char c) { return std::tolower(c); });
      out.category_ok = have == d.category;
    }
    for (const auto& s : d.body.selections)
      out.selections.push_back(explain(s, event));
    out.condition = body_matches(d.body, event);
    auto label = [](const DetectionBody& b, const std::string& kind, std::size_t i) {
      return b.selections.empty() ? kind + " " + std::to_string(i + 1)
                                  : kind + " " + b.selections.front().name;
    };
    // Sigma filters are ANDed onto the rule (pySigma): one that does not hold excludes the event.
    for (std::size_t i = 0; i < d.filters.size(); ++i) {
      if (!body_matches(d.filters[i], event))
        out.filters_matched.push_back(label(d.filters[i], "Sigma filter", i));
    }
    // x-tuning filters veto the events they match.
    for (std::size_t i = 0; i < d.vetoes.size(); ++i) {
      if (body_matches(d.vetoes[i], event))
        out.filters_matched.push_back(label(d.vetoes[i], "tuning filter", i));
    }
    out.matched = out.category_ok && out.condition && out.filters_matched.empty();
    return out;
  }
  return std::nullopt;
}

std::string format(const DetectionExplanation& e) {
  std::string out =
      e.title + " (" + e.id + "): " + (e.matched ? "MATCHES" : "does not match") + "\n";
  if (!e.category.empty()) {
    out += std::string("  logsource category '") + e.category +
           "': " + (e.category_ok ? "fits" : "does NOT fit") + " the event's event.category\n";
  }
  for (const auto& s : e.selections) {
    out += "  selection " + s.name + ": " + (s.matched ? "matched" : "not matched") + "\n";
    for (std::size_t b = 0; b < s.branches.size(); ++b) {
      if (s.branches.size() > 1)
        out += "    branch " + std::to_string(b + 1) + " (any branch may match):\n";
      for (const auto& t : s.branches[b]) {
        out += std::string(s.branches.size() > 1 ? "      " : "    ") +
               (t.matched ? "[x] " : "[ ] ") + t.text + "  (event: " + t.actual + ")\n";
      }
    }
  }
  out += std::string("  condition: ") + (e.condition ? "true" : "false") + "\n";
  for (const auto& f : e.filters_matched)
    out += "  excluded by " + f + "\n";
  return out;
}

}  // namespace vetter::rules
