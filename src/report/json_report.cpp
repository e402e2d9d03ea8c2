// The versioned JSON report (docs/report-schema.md describes every key).
#include <nlohmann/json.hpp>

#include "text.h"
#include "vetter/model/time.h"
#include "vetter/report/report.h"

namespace vetter::report {
namespace {

using nlohmann::ordered_json;

double round2(double v) {
  return static_cast<double>(static_cast<long long>(v * 100 + (v >= 0 ? 0.5 : -0.5))) / 100;
}

// RFC 3339 UTC, or null for an undated HR row (text.h).
ordered_json time_json(std::int64_t us) {
  return dated(us) ? ordered_json(iso(us)) : ordered_json(nullptr);
}

ordered_json hit_json(const rules::Hit& hit) {
  ordered_json h;
  h["first_seen"] = time_json(hit.first_us);
  h["last_seen"] = time_json(hit.last_us);
  if (!hit.group_key.empty()) {
    h["group_key"] = hit.group_key;
    h["window_seconds"] = hit.window_us / 1'000'000;
    h["accounts"] = hit.accounts;
  }
  ordered_json ev = ordered_json::array();
  for (const auto& e : hit.evidence) {
    ordered_json item;
    item["time"] = time_json(e.time_us);
    item["file"] = std::string(e.origin.file);
    item["line"] = e.origin.line;
    item["account"] = e.account;
    if (!e.summary.empty()) item["summary"] = e.summary;
    ev.push_back(std::move(item));
  }
  h["evidence"] = std::move(ev);
  return h;
}

}  // namespace

void write_json(std::ostream& out, const score::Result& result, const RunInfo& run) {
  ordered_json doc;
  doc["schema_version"] = kJsonSchemaVersion;
  doc["tool"] = {{"name", "vetter"}, {"version", run.version}};
  doc["review_threshold"] = result.threshold;

  ordered_json accounts = ordered_json::array();
  for (const auto& a : result.accounts) {
    ordered_json acc;
    acc["account"] = a.account;
    acc["score"] = round2(a.score);
    acc["flagged"] = a.flagged;
    acc["corroborated"] = a.corroborated;
    acc["verdict"] = a.verdict;
    acc["in_hr"] = a.in_hr;
    if (a.cluster) acc["cluster"] = *a.cluster;
    ordered_json families = ordered_json::array();
    for (const auto& f : a.families) {
      families.push_back(
          {{"family", f.family}, {"points", round2(f.points)}, {"rule_id", f.rule->id}});
    }
    acc["families"] = std::move(families);
    ordered_json contributions = ordered_json::array();
    for (const auto& c : a.contributions) {
      ordered_json item;
      item["rule_id"] = c.rule->id;
      item["title"] = c.rule->title;
      item["level"] = c.rule->level;
      item["family"] = c.rule->family;
      item["decisive"] = c.rule->decisive;
      item["counted"] = c.counted;
      item["points"] = round2(c.points);
      if (c.points != c.base_points) item["points_before_decay"] = round2(c.base_points);
      item["hit_count"] = c.hit_count;
      item["first_seen"] = time_json(c.first_us);
      item["last_seen"] = time_json(c.last_us);
      ordered_json hits = ordered_json::array();
      for (const auto* h : c.hits)
        hits.push_back(hit_json(*h));
      item["hits"] = std::move(hits);
      contributions.push_back(std::move(item));
    }
    acc["contributions"] = std::move(contributions);
    accounts.push_back(std::move(acc));
  }
  doc["accounts"] = std::move(accounts);

  ordered_json clusters = ordered_json::array();
  for (std::size_t i = 0; i < result.clusters.size(); ++i) {
    const auto& c = result.clusters[i];
    clusters.push_back({{"id", i},
                        {"max_score", round2(c.max_score)},
                        {"accounts", c.accounts},
                        {"keys", c.keys}});
  }
  doc["clusters"] = std::move(clusters);
  doc["unknown_accounts"] = run.unknown_accounts;

  ordered_json inputs = ordered_json::array();
  for (const auto& in : run.inputs) {
    inputs.push_back({{"source", in.source},
                      {"path", in.path},
                      {"bytes", in.bytes},
                      {"records", in.records},
                      {"bad", in.bad},
                      {"skipped", in.skipped},
                      {"events", in.events}});
  }
  doc["run"] = {{"events", run.events},         {"rules_loaded", run.rules_loaded},
                {"hr_workers", run.hr_workers}, {"flagged", result.flagged()},
                {"inputs", std::move(inputs)},  {"geoip", run.geoip}};
  out << doc.dump(2) << '\n';
}

}  // namespace vetter::report
