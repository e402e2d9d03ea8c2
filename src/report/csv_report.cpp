// CSV report: one row per (account, rule) contribution, so a spreadsheet can pivot on either.
#include "text.h"
#include "vetter/report/report.h"

namespace vetter::report {
namespace {

// RFC 4180: quote when needed, double inner quotes. A leading = + - @ is prefixed with ' so that
// a spreadsheet never evaluates a value taken from a log as a formula (CSV injection).
std::string cell(std::string_view s) {
  std::string v(s);
  if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@'))
    v.insert(v.begin(), '\'');
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace

void write_csv(std::ostream& out, const score::Result& result, const RunInfo&) {
  out << "rank,account,score,flagged,in_hr,cluster,rule_id,rule_title,level,family,counted,"
         "points,hit_count,"
         "first_seen,last_seen,group_key,example_evidence\r\n";
  std::size_t rank = 0;
  for (const auto& a : result.accounts) {
    ++rank;
    for (const auto& c : a.contributions) {
      std::string group, example;
      if (!c.hits.empty()) {
        group = c.hits.front()->group_key;
        if (!c.hits.front()->evidence.empty()) {
          const auto& e = c.hits.front()->evidence.front();
          example = where(e.origin.file, e.origin.line);
        }
      }
      out << rank << ',' << cell(a.account) << ',' << fixed(a.score, 2) << ','
          << (a.flagged ? "true" : "false") << ',' << (a.in_hr ? "true" : "false")
          << ',' << (a.cluster ? std::to_string(*a.cluster) : "") << ',' << cell(c.rule->id) << ','
          << cell(c.rule->title) << ',' << cell(c.rule->level) << ',' << cell(c.rule->family) << ','
          << (c.counted ? "true" : "false") << ',' << fixed(c.points, 2) << ','
          << c.hit_count << ',' << iso(c.first_us) << ',' << iso(c.last_us) << ',' << cell(group)
          << ',' << cell(example) << "\r\n";
    }
  }
}

}  // namespace vetter::report
