// The rule loader's passes: collect metadata, compile detections, resolve correlations, index.
#include "loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_map>

#include "compile_context.h"
#include "detection_compiler.h"
#include "geo_velocity.h"
#include "test_spec.h"
#include "tuning.h"
#include "vetter/model/time.h"
#include "vetter/rules/codes.h"

namespace vetter::rules {
namespace {

const std::set<std::string> kTopLevelKeys = {
    "title", "id",       "name",    "status",      "description", "references", "author",
    "date",  "modified", "tags",    "logsource",   "detection",   "fields",     "falsepositives",
    "level", "related",  "license", "correlation", "generate",    "scope",      "taxonomy"};
const std::set<std::string> kLevels = {"informational", "low", "medium", "high", "critical"};
const std::set<std::string> kStatuses = {"stable", "test", "experimental", "deprecated",
                                         "unsupported"};
const std::set<std::string> kCorrelationKeys = {"type",     "rules",     "group-by",
                                                "timespan", "condition", "aliases",
                                                "generate", "location",  "ignore"};

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One document after the collect pass.
struct Source {
  const Document* doc = nullptr;
  RuleInfo info;
  CompileContext ctx;
  enum class Kind { kInvalid, kDetection, kCorrelation, kFilter, kTuning } kind = Kind::kInvalid;
  bool is_correlation = false;
  bool disabled = false;         // by local tuning
  std::optional<bool> generate;  // correlation's `generate`
  std::vector<RuleTestSpec> tests;
  std::vector<TuningItem> tuning;
};

// Reads a scalar as text; reports and returns nullopt for maps and lists.
std::optional<std::string> scalar(const YAML::Node& node, std::string_view key,
                                  CompileContext& ctx) {
  if (node.IsScalar()) return node.Scalar();
  if (node.IsNull()) return std::string();
  ctx.error(codes::kShape, node,
            "'" + std::string(key) + "' " + std::string(messages::kMustBeScalar));
  return std::nullopt;
}

// A list of scalars; a lone scalar counts as a list of one.
std::vector<std::string> scalar_list(const YAML::Node& node, std::string_view key,
                                     CompileContext& ctx) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (item.IsScalar()) {
        out.push_back(item.Scalar());
      } else {
        ctx.error(codes::kShape, item,
                  "'" + std::string(key) + "' " + std::string(messages::kMustBeList));
      }
    }
  } else if (!node.IsNull()) {
    ctx.error(codes::kShape, node,
              "'" + std::string(key) + "' " + std::string(messages::kMustBeList));
  }
  return out;
}

std::optional<bool> boolean(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string t = lower(node.Scalar());
  if (t == "true" || t == "yes") return true;
  if (t == "false" || t == "no") return false;
  return std::nullopt;
}

std::optional<double> number(const YAML::Node& node) {
  if (!node.IsScalar()) return std::nullopt;
  const std::string& t = node.Scalar();
  char* end = nullptr;
  const double d = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size()) return std::nullopt;
  return d;
}

// yaml-cpp throws on some misuse of a node (a subscript on a scalar). The checks above are meant
// to prevent that; if one is missed, the rule fails with a position instead of the whole load.
template <typename Fn>
void guarded(CompileContext& ctx, Fn&& fn) {
  try {
    fn();
  } catch (const YAML::Exception& e) {
    ctx.error(codes::kYaml, where(ctx.file, e.mark),
              std::string(messages::kYamlSyntax) + ": " + e.msg);
  }
}

// --- pass 1: collect ---------------------------------------------------------------------------

void collect_metadata(Source& s) {
  const YAML::Node& root = s.doc->node;
  CompileContext& ctx = s.ctx;
  if (root["x-tuning"] && !root["detection"] && !root["correlation"] && !root["filter"]) {
    s.kind = Source::Kind::kTuning;
    if (const YAML::Node title = root["title"]; title && title.IsScalar())
      ctx.title = title.Scalar();
    s.tuning = read_tuning(root["x-tuning"], ctx);
    return;
  }
  if (const YAML::Node title = root["title"]; title && title.IsScalar()) {
    s.info.title = title.Scalar();
    ctx.title = s.info.title;
  } else {
    ctx.error(codes::kMissing, root, std::string(messages::kMissingTitle));
  }
  for (const auto& item : root) {
    const YAML::Node& key = item.first;
    const std::string k = key.IsScalar() ? key.Scalar() : std::string();
    if (k.starts_with("x-")) continue;
    if (k == "filter") {
      continue;
    } else if (k == "action") {
      ctx.error(codes::kUnsupported, key, std::string(messages::kAction));
    } else if (!kTopLevelKeys.count(k)) {
      ctx.error(codes::kKey, key, std::string(messages::kUnknownKey) + ": '" + k + "'");
    }
  }
  auto text = [&](const char* key, std::string& out) {
    if (const YAML::Node n = root[key]) {
      if (auto v = scalar(n, key, ctx)) out = *v;
    }
  };
  text("id", s.info.id);
  text("name", s.info.name);
  text("description", s.info.description);
  text("status", s.info.status);
  if (const YAML::Node n = root["references"])
    s.info.references = scalar_list(n, "references", ctx);
  if (const YAML::Node n = root["tags"]) s.info.tags = scalar_list(n, "tags", ctx);
  if (const YAML::Node n = root["x-family"]) {
    if (auto v = scalar(n, "x-family", ctx)) s.info.family = lower(*v);
  }
  if (const YAML::Node n = root["falsepositives"]) {
    s.info.falsepositives = scalar_list(n, "falsepositives", ctx);
  }
  if (!s.info.status.empty() && !kStatuses.count(s.info.status)) {
    ctx.warning(codes::kStatus, root["status"],
                std::string(messages::kBadStatus) + " (got '" + s.info.status + "')");
  }
  if (const YAML::Node logsource = root["logsource"]) {
    if (!logsource.IsMap()) {
      ctx.error(codes::kShape, logsource, "'logsource' " + std::string(messages::kMustBeMap));
    } else {
      if (const YAML::Node n = logsource["category"]) {
        if (auto v = scalar(n, "logsource.category", ctx)) s.info.logsource_category = *v;
      }
      if (const YAML::Node n = logsource["product"]) {
        if (auto v = scalar(n, "logsource.product", ctx)) s.info.logsource_product = *v;
      }
      if (const YAML::Node n = logsource["service"]) {
        if (auto v = scalar(n, "logsource.service", ctx)) s.info.logsource_service = *v;
      }
    }
  }
  const bool has_detection = static_cast<bool>(root["detection"]);
  const bool has_filter = static_cast<bool>(root["filter"]);
  s.is_correlation = static_cast<bool>(root["correlation"]);
  s.info.correlation = s.is_correlation;
  if (has_filter && !has_detection && !s.is_correlation) {
    s.kind = Source::Kind::kFilter;
    return;  // a filter has no level, status or score
  }
  s.kind = s.is_correlation ? Source::Kind::kCorrelation : Source::Kind::kDetection;
  if (has_detection + s.is_correlation + has_filter != 1) {
    ctx.error(codes::kMissing, root, std::string(messages::kNeedsBody));
  }
  if (const YAML::Node level = root["level"]) {
    s.info.level = level.IsScalar() ? level.Scalar() : std::string();
    if (!kLevels.count(s.info.level)) {
      ctx.error(codes::kLevel, level,
                std::string(messages::kBadLevel) + " (got '" + s.info.level + "')");
    }
  }
  if (const YAML::Node generate = root["generate"]) {
    s.generate = boolean(generate);
    if (!s.generate)
      ctx.error(codes::kShape, generate, "'generate' " + std::string(messages::kMustBeBool));
  }
  if (const YAML::Node tests = root["x-tests"]) s.tests = read_tests(tests, ctx);
  s.info.points = -1;
  if (const YAML::Node score = root["x-score"]) {
    const YAML::Node points = score.IsMap() ? score["points"] : YAML::Node();
    std::optional<double> p = points ? number(points) : std::nullopt;
    if (!score.IsMap() || (points && (!p || *p < 0 || *p > 100))) {
      ctx.error(codes::kScore, score, std::string(messages::kBadScore));
    } else if (p) {
      s.info.points = *p;
    }
    if (score.IsMap()) {
      if (const YAML::Node decisive = score["decisive"]) {
        bool value = false;
        if (!decisive.IsScalar() || !YAML::convert<bool>::decode(decisive, value)) {
          ctx.error(codes::kScore, decisive, std::string(messages::kBadScore));
        }
        s.info.decisive = value;
      }
      if (const YAML::Node decay = score["decay_half_life"]) {
        std::optional<std::int64_t> us =
            decay.IsScalar() ? model::parse_duration_us(decay.Scalar()) : std::nullopt;
        if (!us) {
          ctx.error(codes::kScore, decay, std::string(messages::kBadScore));
        } else {
          s.info.decay_half_life_us = *us;
        }
      }
    }
  }
}

// --- pass 2: detections --------------------------------------------------------------------------

std::optional<DetectionRule> compile_detection(Source& s, const LoadOptions& options) {
  std::optional<DetectionBody> body =
      compile_detection_body(s.doc->node["detection"], "detection", {}, options, s.ctx);
  if (!body) return std::nullopt;
  DetectionRule rule;
  rule.category = lower(s.info.logsource_category);
  rule.body = std::move(*body);
  return rule;
}

// --- pass 3: correlations ------------------------------------------------------------------------

struct CorrelationDraft {
  std::size_t source = 0;
  CorrelationRule rule;
  std::vector<std::pair<std::string, YAML::Node>> refs;  // as written, with position
  std::map<std::string, std::map<std::string, std::string>> aliases;
  YAML::Node group_node;
};

std::optional<CorrelationDraft> read_correlation(Source& s, const LoadOptions& options) {
  CompileContext& ctx = s.ctx;
  const YAML::Node c = s.doc->node["correlation"];
  if (!c.IsMap()) {
    ctx.error(codes::kShape, c, "'correlation' " + std::string(messages::kMustBeMap));
    return std::nullopt;
  }
  CorrelationDraft d;
  for (const auto& item : c) {
    const std::string k = item.first.IsScalar() ? item.first.Scalar() : std::string();
    if (!kCorrelationKeys.count(k) && !k.starts_with("x-")) {
      ctx.error(codes::kCorrelation, item.first,
                std::string(messages::kUnknownCorrelationKey) + ": '" + k + "'");
    }
  }
  const YAML::Node type = c["type"];
  const std::string t = type && type.IsScalar() ? type.Scalar() : std::string();
  bool known_type = true;
  if (t == "event_count") {
    d.rule.type = CorrelationType::kEventCount;
  } else if (t == "value_count") {
    d.rule.type = CorrelationType::kValueCount;
  } else if (t == "temporal") {
    d.rule.type = CorrelationType::kTemporal;
  } else if (t == "temporal_ordered") {
    d.rule.type = CorrelationType::kTemporalOrdered;
  } else if (t == "x-geo_velocity") {
    d.rule.type = CorrelationType::kGeoVelocity;
  } else if (t == "value_sum") {
    d.rule.type = CorrelationType::kValueSum;
  } else if (t == "value_avg") {
    d.rule.type = CorrelationType::kValueAvg;
  } else if (t == "value_percentile") {
    d.rule.type = CorrelationType::kValuePercentile;
  } else {
    known_type = false;
    ctx.error(codes::kCorrelation, type ? type : c,
              std::string(messages::kBadCorrelationType) + " (got '" + t + "')");
  }
  if (const YAML::Node rules = c["rules"]; rules && (rules.IsScalar() || rules.IsSequence())) {
    if (rules.IsScalar()) {
      d.refs.emplace_back(rules.Scalar(), rules);
    } else {
      for (const YAML::Node& r : rules) {
        if (r.IsScalar()) {
          d.refs.emplace_back(r.Scalar(), r);
        } else {
          ctx.error(codes::kCorrelation, r, std::string(messages::kMissingRules));
        }
      }
    }
  }
  if (d.refs.empty()) {
    ctx.error(codes::kCorrelation, c["rules"] ? c["rules"] : c,
              std::string(messages::kMissingRules));
  }
  if (const YAML::Node g = c["group-by"]) {
    d.rule.group_by = scalar_list(g, "group-by", ctx);
    d.group_node.reset(g);
  }
  const YAML::Node timespan = c["timespan"];
  std::optional<std::int64_t> span =
      timespan && timespan.IsScalar() ? model::parse_duration_us(timespan.Scalar()) : std::nullopt;
  if (!span || *span <= 0) {
    ctx.error(codes::kCorrelation, timespan ? timespan : c,
              std::string(messages::kBadTimespan) +
                  (timespan && timespan.IsScalar() ? " (got '" + timespan.Scalar() + "')" : ""));
  } else {
    d.rule.timespan_us = *span;
  }
  if (d.rule.type == CorrelationType::kGeoVelocity) {
    read_geo_velocity(c, d.rule, options, ctx);
  } else {
    for (const char* key : {"location", "ignore"}) {
      if (const YAML::Node n = c[key]) {
        ctx.error(codes::kCorrelation, n,
                  "'" + std::string(key) + "' " + std::string(messages::kOnlyGeoVelocity));
      }
    }
  }
  const YAML::Node cond = c["condition"];
  const bool geo = d.rule.type == CorrelationType::kGeoVelocity;
  const bool numbers = d.rule.type == CorrelationType::kValueSum ||
                       d.rule.type == CorrelationType::kValueAvg ||
                       d.rule.type == CorrelationType::kValuePercentile;
  const bool takes_field = numbers || d.rule.type == CorrelationType::kValueCount;
  const bool counting = numbers || d.rule.type == CorrelationType::kEventCount ||
                        d.rule.type == CorrelationType::kValueCount;
  if (!geo && cond) {
    if (!cond.IsMap()) {
      ctx.error(codes::kCorrelation, cond, std::string(messages::kBadCorrelationCondition));
    } else {
      bool any_bound = false;
      for (const auto& item : cond) {
        const std::string k = item.first.IsScalar() ? item.first.Scalar() : std::string();
        if (k == "percentile") {
          std::optional<double> p = number(item.second);
          if (d.rule.type != CorrelationType::kValuePercentile) {
            ctx.error(codes::kCorrelation, item.first, std::string(messages::kPercentileOnly));
          } else if (!p || *p < 0 || *p > 100) {
            ctx.error(codes::kCorrelation, item.second, std::string(messages::kBadPercentile));
          } else {
            d.rule.percentile = *p;
          }
          continue;
        }
        if (k == "field") {
          if (!takes_field) {
            ctx.error(codes::kCorrelation, item.first, std::string(messages::kFieldOnlyValueCount));
            continue;
          }
          const std::string f = item.second.IsScalar() ? item.second.Scalar() : std::string();
          if (auto id = model::Fields::find(f)) {
            d.rule.value_field = *id;
          } else {
            const std::string hint = closest_field(f);
            ctx.error(codes::kField, item.second,
                      std::string(messages::kUnknownField) + " '" + f + "'" +
                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; " +
                          std::string(messages::kFieldHint));
          }
          continue;
        }
        std::optional<double> n = number(item.second);
        // Counts are whole numbers; sums, means and percentiles need not be.
        const bool integral = n && *n == static_cast<double>(static_cast<std::int64_t>(*n));
        const bool usable = numbers ? n && std::isfinite(*n) : integral;
        if (!usable || (k != "gt" && k != "gte" && k != "lt" && k != "lte" && k != "eq")) {
          ctx.error(codes::kCorrelation, item.first,
                    std::string(messages::kBadCorrelationCondition) + " (got '" + k + "')");
          continue;
        }
        any_bound = true;
        const double v = *n;
        if (k == "gt") d.rule.condition.gt = v;
        if (k == "gte") d.rule.condition.gte = v;
        if (k == "eq") d.rule.condition.eq = v;
        if (k == "lt") d.rule.condition.lt = v;
        if (k == "lte") d.rule.condition.lte = v;
      }
      if (!any_bound) {
        ctx.error(codes::kCorrelation, cond, std::string(messages::kBadCorrelationCondition));
      }
      if (takes_field && !cond["field"]) {
        ctx.error(codes::kCorrelation, cond,
                  std::string(messages::kBadCorrelationCondition) + " (" + t + ": no 'field')");
      }
      if (d.rule.type == CorrelationType::kValuePercentile && !cond["percentile"]) {
        ctx.error(codes::kCorrelation, cond, std::string(messages::kBadPercentile));
      }
    }
  } else if (geo) {
    // its condition was read by read_geo_velocity
  } else if (counting && known_type) {
    ctx.error(codes::kCorrelation, c,
              std::string(messages::kBadCorrelationCondition) + " ('condition' is required for " +
                  t + ")");
  } else {
    d.rule.condition.gte = static_cast<double>(d.refs.size());  // temporal: all of them
  }
  if (const YAML::Node aliases = c["aliases"]) {
    if (!aliases.IsMap()) {
      ctx.error(codes::kCorrelation, aliases, std::string(messages::kBadAliases));
    } else {
      for (const auto& alias : aliases) {
        if (!alias.second.IsMap()) {
          ctx.error(codes::kCorrelation, alias.second, std::string(messages::kBadAliases));
          continue;
        }
        for (const auto& entry : alias.second) {
          d.aliases[alias.first.Scalar()][entry.first.Scalar()] =
              entry.second.IsScalar() ? entry.second.Scalar() : std::string();
        }
      }
    }
  }
  if (const YAML::Node generate = c["generate"]) {
    s.generate = boolean(generate);
    if (!s.generate) {
      ctx.error(codes::kShape, generate, "'generate' " + std::string(messages::kMustBeBool));
    }
  }
  // Problems are in ctx; the caller still resolves references so that those are reported too.
  return d;
}

// Whether a condition negates anything: a Sigma filter without `not` keeps only the events it
// names, which is almost never what its author meant.
bool has_not(const Condition& c) {
  return std::any_of(c.nodes.begin(), c.nodes.end(),
                     [](const ConditionNode& n) { return n.kind == ConditionNode::Kind::kNot; });
}

}  // namespace

// Looks a rule up by name, then by id.
std::optional<std::size_t> find_rule(const std::unordered_map<std::string, std::size_t>& by_name,
                                     const std::unordered_map<std::string, std::size_t>& by_id,
                                     const std::string& ref) {
  if (auto f = by_name.find(ref); f != by_name.end()) return f->second;
  if (auto g = by_id.find(ref); g != by_id.end()) return g->second;
  return std::nullopt;
}

std::shared_ptr<CompiledRules> compile_documents(const std::vector<Document>& documents,
                                                 const LoadOptions& options,
                                                 model::Diagnostics& diags) {
  using Kind = Source::Kind;
  auto out = std::make_shared<CompiledRules>();
  std::set<std::string> used_placeholders;

  // Pass 1: collect every document's metadata; report shape problems of all of them.
  std::vector<Source> sources;
  sources.reserve(documents.size());
  for (const Document& doc : documents) {
    Source s{&doc, {}, CompileContext{doc.file, {}, diags, false, &used_placeholders}};
    s.info.file = doc.file + ":" + std::to_string(doc.node.Mark().line + 1);
    if (!doc.node.IsMap()) {
      s.ctx.error(codes::kShape, doc.node, std::string(messages::kNotAMap));
      sources.push_back(std::move(s));
      continue;
    }
    guarded(s.ctx, [&] { collect_metadata(s); });
    sources.push_back(std::move(s));
  }
  // Ids and names are how correlations, filters, tuning and reports refer to rules: unique.
  std::unordered_map<std::string, std::size_t> by_name, by_id;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    Source& s = sources[i];
    if (s.kind != Kind::kDetection && s.kind != Kind::kCorrelation) continue;
    if (!s.info.id.empty()) {
      auto [it, fresh] = by_id.emplace(s.info.id, i);
      if (!fresh) {
        s.ctx.error(codes::kDuplicate, s.doc->node["id"],
                    std::string(messages::kDuplicateId) + " '" + sources[it->second].info.title +
                        "' (" + sources[it->second].info.file + ")");
      }
    }
    if (!s.info.name.empty()) {
      auto [it, fresh] = by_name.emplace(s.info.name, i);
      if (!fresh) {
        s.ctx.error(codes::kDuplicate, s.doc->node["name"],
                    std::string(messages::kDuplicateName) + " '" + sources[it->second].info.title +
                        "' (" + sources[it->second].info.file + ")");
      }
    }
  }

  // Pass 2: local tuning changes metadata before anything is compiled; its filters wait for
  // pass 4. A tuning item for a rule that is not loaded only warns: packs change under tuning.
  struct PendingFilter {
    std::size_t target;  // source index
    YAML::Node body;
    CompileContext* ctx;
    bool is_sigma = false;  // a Sigma filter document (else an x-tuning filter)
    // A Sigma filter document's body, compiled once for all its targets (nullopt: it failed).
    std::optional<DetectionBody> sigma;
  };
  std::vector<PendingFilter> pending_filters;
  for (Source& s : sources) {
    for (const TuningItem& item : s.tuning) {
      const std::optional<std::size_t> target = find_rule(by_name, by_id, item.rule);
      if (!target) {
        s.ctx.warning(codes::kUnmatchedTarget, item.at,
                      "tuning for '" + item.rule + "' " + std::string(messages::kUnmatchedTarget));
        continue;
      }
      Source& t = sources[*target];
      if (item.disabled) {
        t.disabled = true;
        diags.info(std::string(codes::kDisabledInfo), where(s.ctx.file, item.at),
                   "rule '" + t.info.title + "' disabled by local tuning");
      }
      if (item.level) {
        t.info.level = *item.level;
        t.info.points = -1;  // follow the new level unless points are given too
      }
      if (item.points) t.info.points = *item.points;
      if (item.has_filter) pending_filters.push_back({*target, item.filter, &s.ctx, false, {}});
    }
  }

  // Pass 3: compile detections. `detection_of[i]` is the detection index of source i.
  std::vector<std::optional<std::size_t>> detection_of(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    Source& s = sources[i];
    if (s.kind != Kind::kDetection || s.disabled || !s.doc->node["detection"]) continue;
    std::optional<DetectionRule> rule;
    guarded(s.ctx, [&] { rule = compile_detection(s, options); });
    if (!rule || s.ctx.failed) continue;
    rule->info = out->infos.size();
    out->infos.push_back(s.info);
    out->tests.push_back(std::move(s.tests));
    detection_of[i] = out->detections.size();
    out->detections.push_back(std::move(*rule));
  }

  // Pass 4: Sigma filter documents and tuning filters. A Sigma filter is ANDed onto its rules as
  // pySigma does it (`(rule condition) and (filter condition)`), so its condition says which
  // events stay: `condition: not sel` excludes sel. A tuning filter says which events go:
  // `(rule condition) and not (filter condition)`.
  for (Source& s : sources) {
    if (s.kind != Kind::kFilter) continue;
    const YAML::Node filter = s.doc->node["filter"];
    const YAML::Node rules = filter.IsMap() ? filter["rules"] : YAML::Node();
    if (!filter.IsMap() || !rules) {
      s.ctx.error(codes::kFilter, filter, std::string(messages::kFilterShape));
      continue;
    }
    // Compiled (and checked) once, whether or not its rules are loaded: `rules lint` on a filter
    // file alone still sees its mistakes.
    std::optional<DetectionBody> body;
    guarded(s.ctx,
            [&] { body = compile_detection_body(filter, "filter", {"rules"}, options, s.ctx); });
    if (body && !has_not(body->condition)) {
      s.ctx.warning(codes::kFilterNoNot, filter["condition"], std::string(messages::kFilterNoNot));
    }
    for (const std::string& ref : scalar_list(rules, "rules", s.ctx)) {
      const std::optional<std::size_t> target = find_rule(by_name, by_id, ref);
      if (!target) {
        s.ctx.warning(codes::kUnmatchedTarget, rules,
                      "filter for '" + ref + "' " + std::string(messages::kUnmatchedTarget));
        continue;
      }
      pending_filters.push_back({*target, filter, &s.ctx, true, body});
    }
  }
  for (PendingFilter& f : pending_filters) {
    const Source& target = sources[f.target];
    if (target.kind == Kind::kCorrelation) {
      f.ctx->error(codes::kFilter, f.body,
                   std::string(messages::kFilterOnCorrelation) + " ('" + target.info.title + "')");
      continue;
    }
    if (!detection_of[f.target]) continue;
    DetectionRule& rule = out->detections[*detection_of[f.target]];
    if (f.is_sigma) {
      if (f.sigma) rule.filters.push_back(std::move(*f.sigma));  // else its error stops the load
      continue;
    }
    std::optional<DetectionBody> body;
    guarded(*f.ctx,
            [&] { body = compile_detection_body(f.body, "filter", {"rules"}, options, *f.ctx); });
    if (body) rule.vetoes.push_back(std::move(*body));
  }

  // Pass 5: correlations. A correlation may use other correlations (Sigma chaining), so they are
  // compiled in dependency order; whatever cannot be ordered is a reference cycle.
  std::vector<std::optional<CorrelationDraft>> drafts(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    Source& s = sources[i];
    if (s.kind != Kind::kCorrelation || s.disabled) continue;
    guarded(s.ctx, [&] { drafts[i] = read_correlation(s, options); });
  }
  std::vector<std::optional<std::size_t>> correlation_of(sources.size());
  std::vector<bool> done(sources.size(), false);
  auto waits_for_other = [&](std::size_t i) {
    for (const auto& ref : drafts[i]->refs) {
      const std::optional<std::size_t> t = find_rule(by_name, by_id, ref.first);
      if (t && *t != i && drafts[*t] && !done[*t]) return true;
    }
    return false;
  };
  // Referenced rules (by infos index) and whether a referencing correlation says generate: true.
  std::vector<bool> referenced, generated_by_correlation;
  auto compile_correlation = [&](std::size_t i) {
    Source& s = sources[i];
    CorrelationDraft& draft = *drafts[i];
    CorrelationRule& rule = draft.rule;
    bool off = false;
    for (const auto& [ref, at] : draft.refs) {
      const std::optional<std::size_t> found = find_rule(by_name, by_id, ref);
      if (!found) {
        s.ctx.error(codes::kRef, at,
                    std::string(messages::kUnknownRule) + " '" + ref +
                        "' (give the base rule that 'name' or 'id')");
        continue;
      }
      const std::size_t target = *found;
      if (target == i) {
        s.ctx.error(codes::kCorrelation, at, std::string(messages::kCycle) + ": '" + ref + "'");
        continue;
      }
      if (sources[target].disabled) {
        s.ctx.warning(codes::kDisabled, at,
                      "correlation " + std::string(messages::kDisabledBase) + " ('" + ref + "')");
        off = true;
        continue;
      }
      const bool chained = sources[target].kind == Kind::kCorrelation;
      const std::optional<std::size_t> index =
          chained ? correlation_of[target] : detection_of[target];
      if (!index) {
        s.ctx.error(codes::kRef, at,
                    std::string(messages::kUnknownRule) + " '" + ref +
                        "': that rule failed to load (see its errors)");
        continue;
      }
      if (chained && out->correlations[*index].condition.window_end()) {
        s.ctx.error(codes::kUnsupported, at,
                    std::string(messages::kChainedWindowEnd) + ": '" + ref + "'");
        continue;
      }
      rule.rules.push_back({chained, *index});
    }
    // group-by: each name is an alias (resolved per rule) or a field.
    for (std::size_t r = 0; r < rule.rules.size() && !s.ctx.failed; ++r) {
      const RuleRef& ref = rule.rules[r];
      const RuleInfo& base = out->infos[ref.correlation ? out->correlations[ref.index].info
                                                        : out->detections[ref.index].info];
      std::vector<model::FieldId> fields;
      for (const std::string& g : rule.group_by) {
        std::string field_name = g;
        if (auto alias = draft.aliases.find(g); alias != draft.aliases.end()) {
          auto entry = alias->second.find(base.name);
          if (entry == alias->second.end()) entry = alias->second.find(base.id);
          if (entry == alias->second.end()) {
            s.ctx.error(codes::kCorrelation, draft.group_node,
                        "alias '" + g + "' has no field for rule '" +
                            (base.name.empty() ? base.id : base.name) + "'");
            continue;
          }
          field_name = entry->second;
        }
        if (auto id = model::Fields::find(field_name)) {
          fields.push_back(*id);
        } else {
          const std::string hint = closest_field(field_name);
          s.ctx.error(codes::kField, draft.group_node,
                      std::string(messages::kUnknownField) + " '" + field_name + "' in group-by" +
                          (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; " +
                          std::string(messages::kFieldHint));
        }
      }
      rule.group_fields.push_back(std::move(fields));
    }
    if (s.ctx.failed || off) return;
    rule.info = out->infos.size();
    out->infos.push_back(s.info);
    out->tests.push_back(std::move(s.tests));
    referenced.resize(out->infos.size(), false);
    generated_by_correlation.resize(out->infos.size(), false);
    for (const RuleRef& ref : rule.rules) {
      const std::size_t info =
          ref.correlation ? out->correlations[ref.index].info : out->detections[ref.index].info;
      referenced[info] = true;
      if (s.generate.value_or(false)) generated_by_correlation[info] = true;
    }
    correlation_of[i] = out->correlations.size();
    out->correlations.push_back(std::move(rule));
  };
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      if (!drafts[i] || done[i] || waits_for_other(i)) continue;
      done[i] = true;
      progress = true;
      compile_correlation(i);
    }
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (drafts[i] && !done[i]) {
      sources[i].ctx.error(codes::kCorrelation, sources[i].doc->node["correlation"],
                           std::string(messages::kCycle));
    }
  }

  // Pass 6: index. Sigma: rules referenced by a correlation are not output on their own unless a
  // correlation referencing them says `generate: true`.
  referenced.resize(out->infos.size(), false);
  generated_by_correlation.resize(out->infos.size(), false);
  out->feeds.resize(out->detections.size());
  out->correlation_feeds.resize(out->correlations.size());
  for (std::size_t c = 0; c < out->correlations.size(); ++c) {
    const CorrelationRule& rule = out->correlations[c];
    for (std::size_t pos = 0; pos < rule.rules.size(); ++pos) {
      const RuleRef& ref = rule.rules[pos];
      (ref.correlation ? out->correlation_feeds : out->feeds)[ref.index].emplace_back(c, pos);
    }
  }
  for (std::size_t i = 0; i < out->infos.size(); ++i) {
    out->infos[i].generate = !referenced[i] || generated_by_correlation[i];
  }
  for (DetectionRule& rule : out->detections)
    rule.generate = out->infos[rule.info].generate;
  for (RuleInfo& info : out->infos) {
    if (info.level.empty() && info.generate) {
      diags.warning(std::string(codes::kNoLevel), info.file,
                    "rule '" + info.title + "': " + std::string(messages::kNoLevel));
      info.level = "medium";
    }
    if (info.points < 0) info.points = default_points(info.level);
    if (info.family.empty()) info.family = default_family(info);
  }
  for (const auto& [name, values] : options.placeholders) {
    if (!used_placeholders.count(name)) {
      diags.warning(std::string(codes::kUnusedList), "",
                    "value list '" + name + "' " + std::string(messages::kUnusedList));
    }
  }
  out->reporting_index.assign(out->infos.size(), static_cast<std::size_t>(-1));
  for (std::size_t i = 0; i < out->infos.size(); ++i) {
    if (!out->infos[i].generate) continue;
    out->reporting_index[i] = out->reporting.size();
    out->reporting.push_back(out->infos[i]);
  }
  return out;
}

}  // namespace vetter::rules
