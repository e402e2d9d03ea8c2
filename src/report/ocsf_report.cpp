// OCSF Detection Finding (class_uid 2004) JSON Lines for a SIEM: one finding per (account, rule).
//
// Required by the schema and always present: activity_id, category_uid, class_uid, type_uid,
// severity_id, time, metadata.{product, version}, finding_info.uid. `time` is the time of the last
// evidence, not the wall clock, so that the same logs always give the same findings.
#include <nlohmann/json.hpp>

#include "text.h"
#include "vetter/report/report.h"

namespace vetter::report {
namespace {

using nlohmann::ordered_json;

constexpr const char* kOcsfVersion = "1.4.0";

int severity_id(const std::string& level) {
  if (level == "informational") return 1;
  if (level == "low") return 2;
  if (level == "medium") return 3;
  if (level == "high") return 4;
  if (level == "critical") return 5;
  return 0;  // Unknown
}

const char* severity_name(int id) {
  static constexpr const char* kNames[] = {"Unknown", "Informational", "Low",
                                           "Medium",  "High",          "Critical"};
  return kNames[id];
}

std::int64_t ms(std::int64_t us) {
  return us / 1000;
}

}  // namespace

void write_ocsf(std::ostream& out, const score::Result& result, const RunInfo& run) {
  for (const auto& a : result.accounts) {
    const bool flagged = a.flagged;
    for (const auto& c : a.contributions) {
      const int sev = severity_id(c.rule->level);
      ordered_json f;
      f["class_uid"] = 2004;
      f["class_name"] = "Detection Finding";
      f["category_uid"] = 2;
      f["category_name"] = "Findings";
      f["activity_id"] = 1;
      f["activity_name"] = "Create";
      f["type_uid"] = 200401;
      f["type_name"] = "Detection Finding: Create";
      f["time"] = ms(c.last_us);
      if (dated(c.first_us)) f["start_time"] = ms(c.first_us);  // not for undated HR rows
      f["end_time"] = ms(c.last_us);
      f["severity_id"] = sev;
      f["severity"] = severity_name(sev);
      f["status_id"] = 1;
      f["status"] = "New";
      f["is_alert"] = flagged;
      f["risk_score"] = static_cast<int>(a.score + 0.5);
      f["metadata"] = {
          {"version", kOcsfVersion},
          {"product", {{"name", "vetter"}, {"vendor_name", "vetter"}, {"version", run.version}}}};
      ordered_json info;
      info["uid"] = c.rule->id + ":" + a.account;
      info["title"] = c.rule->title;
      if (!c.rule->description.empty()) info["desc"] = c.rule->description;
      info["analytic"] = {
          {"uid", c.rule->id}, {"name", c.rule->title}, {"type_id", 1}, {"type", "Rule"}};
      if (dated(c.first_us)) info["first_seen_time"] = ms(c.first_us);
      info["last_seen_time"] = ms(c.last_us);
      info["related_events_count"] = c.hit_count;
      if (!c.rule->tags.empty()) info["types"] = c.rule->tags;
      f["finding_info"] = std::move(info);
      ordered_json evidences = ordered_json::array();
      for (const auto* h : c.hits) {
        for (const auto& e : h->evidence) {
          ordered_json ev;
          ev["user"] = {{"name", e.account}};
          ev["data"] = {{"file", std::string(e.origin.file)},
                        {"line", e.origin.line},
                        {"time", dated(e.time_us) ? ordered_json(ms(e.time_us)) : nullptr},
                        {"summary", e.summary}};
          if (!h->group_key.empty()) ev["data"]["group_key"] = h->group_key;
          evidences.push_back(std::move(ev));
          if (evidences.size() >= 10) break;
        }
        if (evidences.size() >= 10) break;
      }
      f["evidences"] = std::move(evidences);
      f["resources"] =
          ordered_json::array({{{"type", "User"}, {"name", a.account}, {"uid", a.account}}});
      f["unmapped"] = {{"vetter_account_score", a.score}, {"vetter_points", c.points},
                       {"vetter_family", c.rule->family}, {"vetter_counted", c.counted},
                       {"vetter_verdict", a.verdict},     {"vetter_in_hr", a.in_hr}};
      out << f.dump() << '\n';
    }
  }
}

}  // namespace vetter::report
