// CSV report: one row per (account, rule) contribution, so a spreadsheet can pivot on either.
#include "text.h"
#include "vetter/report/report.h"

namespace vetter::report {
namespace {

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// True when `v` from `pos` on would read as a formula once spaces, quotes and control characters
// that a spreadsheet may drop or trim are gone.
bool formula_at(std::string_view v, std::size_t pos) {
  while (pos < v.size() && (v[pos] == ' ' || v[pos] == '"' || is_control(v[pos])))
    ++pos;
  return pos < v.size() && std::string_view("=+-@").find(v[pos]) != std::string_view::npos;
}

// RFC 4180: quote when needed, double inner quotes. Values taken from logs must never be evaluated
// as formulas by a spreadsheet (CSV injection; OWASP's guidance):
// - leading control characters other than tab, CR and LF (NUL, ESC...) are dropped: spreadsheets
//   drop them too, which would make a formula behind them the cell's start;
// - a cell starting with = + - @ tab CR or LF (after any spaces) is prefixed with ';
// - Excel in locales whose list separator is ';' splits every line at ';' whatever the quoting,
//   so a formula right after a ';' inside a value would start a cell of its own: ' goes after
//   that ';'.
std::string cell(std::string_view s) {
  std::size_t start = 0;
  while (start < s.size() && is_control(s[start]) && s[start] != '\t' && s[start] != '\r' &&
         s[start] != '\n')
    ++start;
  s.remove_prefix(start);
  std::string v;
  v.reserve(s.size() + 2);
  std::size_t lead = 0;
  while (lead < s.size() && s[lead] == ' ')
    ++lead;
  if (lead < s.size() && std::string_view("=+-@\t\r\n").find(s[lead]) != std::string_view::npos)
    v += '\'';
  for (std::size_t i = 0; i < s.size(); ++i) {
    v += s[i];
    if (s[i] == ';' && formula_at(s, i + 1)) v += '\'';
  }
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
          << (a.flagged ? "true" : "false") << ',' << (a.in_hr ? "true" : "false") << ','
          << (a.cluster ? std::to_string(*a.cluster) : "") << ',' << cell(c.rule->id) << ','
          << cell(c.rule->title) << ',' << cell(c.rule->level) << ',' << cell(c.rule->family) << ','
          << (c.counted ? "true" : "false") << ',' << fixed(c.points, 2) << ',' << c.hit_count
          << ',' << iso(c.first_us) << ',' << iso(c.last_us) << ',' << cell(group) << ','
          << cell(example) << "\r\n";
    }
  }
}

}  // namespace vetter::report
