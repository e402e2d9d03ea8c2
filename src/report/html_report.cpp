// Self-contained HTML report: no scripts or fonts fetched, readable on a laptop without sideways
// scrolling, with an evidence timeline for every flagged account.
#include <algorithm>
#include <limits>

#include "text.h"
#include "vetter/report/report.h"

namespace vetter::report {
namespace {

constexpr const char* kStyle = R"css(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:1040px;margin:0 auto;padding:24px}
h1{font-size:1.6em;margin:0 0 4px} h2{margin-top:32px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
.summary{color:#4a5263;margin:0 0 16px}
table{border-collapse:collapse;width:100%;background:#fff;table-layout:fixed}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e5e8ee;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef1f5;font-weight:600}
.num{text-align:right;width:70px} .rank{width:44px} .small{width:90px}
.flag{color:#fff;background:#c0392b;border-radius:4px;padding:1px 6px;font-weight:600}
.ok{color:#4a5263}
.card{background:#fff;border:1px solid #d5d9e0;border-radius:8px;padding:12px 16px;margin:16px 0}
.card h3{margin:0 0 8px;overflow-wrap:anywhere}
.rule{margin:8px 0 4px;font-weight:600} .meta{color:#4a5263;font-size:.9em}
.ev{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;color:#333;margin:2px 0 2px 16px;overflow-wrap:anywhere}
svg{width:100%;height:auto;display:block;margin:8px 0}
.lvl-critical{color:#8e1b10}.lvl-high{color:#c0392b}.lvl-medium{color:#b9770e}.lvl-low{color:#1f618d}
code{background:#eef1f5;padding:0 3px;border-radius:3px;overflow-wrap:anywhere}
)css";

const char* level_colour(const std::string& level) {
  if (level == "critical") return "#8e1b10";
  if (level == "high") return "#c0392b";
  if (level == "medium") return "#b9770e";
  if (level == "low") return "#1f618d";
  return "#7f8c8d";
}

// One row per contribution, a dot per evidence event, on a shared axis for the whole run.
void timeline(std::ostream& out, const score::AccountScore& a, std::int64_t t0, std::int64_t t1) {
  const double width = 1000, left = 8, right = 8, row = 22, top = 22;
  const double span = std::max<double>(1, static_cast<double>(t1 - t0));
  const auto x = [&](std::int64_t t) {
    return left + (width - left - right) * static_cast<double>(std::clamp(t, t0, t1) - t0) / span;
  };
  const double height = top + row * static_cast<double>(a.contributions.size()) + 6;
  out << "<svg viewBox=\"0 0 " << width << ' ' << height
      << "\" role=\"img\" aria-label=\"evidence timeline\">";
  out << "<text x=\"" << left << "\" y=\"14\" font-size=\"12\" fill=\"#4a5263\">" << day(t0)
      << "</text>";
  out << "<text x=\"" << width - right
      << "\" y=\"14\" font-size=\"12\" fill=\"#4a5263\" text-anchor=\"end\">" << day(t1)
      << "</text>";
  for (std::size_t i = 0; i < a.contributions.size(); ++i) {
    const auto& c = a.contributions[i];
    const double y = top + row * static_cast<double>(i) + row / 2;
    out << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << y << "\" y2=\""
        << y << "\" stroke=\"#e5e8ee\"/>";
    // Undated HR evidence (time 0) is listed below the chart, not plotted at 1970.
    const std::int64_t from = dated(c.first_us) ? c.first_us : c.last_us;
    out << "<rect x=\"" << x(from) << "\" y=\"" << y - 3 << "\" width=\""
        << std::max(2.0, x(c.last_us) - x(from)) << "\" height=\"6\" fill=\""
        << level_colour(c.rule->level) << "\" opacity=\"0.25\"/>";
    for (const auto* h : c.hits) {
      for (const auto& e : h->evidence) {
        if (!dated(e.time_us)) continue;
        out << "<circle cx=\"" << x(e.time_us) << "\" cy=\"" << y << "\" r=\"4\" fill=\""
            << level_colour(c.rule->level) << "\"><title>"
            << html_escape(iso(e.time_us) + " " + c.rule->title) << "</title></circle>";
      }
    }
  }
  out << "</svg>\n";
}

}  // namespace

void write_html(std::ostream& out, const score::Result& result, const RunInfo& run) {
  // The axis spans the evidence, but at most the last 92 days: HR rows are dated by hire date
  // (or not at all), and one old row would squash every sign-in into the right edge. Older dots
  // sit on the left edge.
  std::int64_t t0 = std::numeric_limits<std::int64_t>::max(),
               t1 = std::numeric_limits<std::int64_t>::min();
  for (const auto& a : result.accounts) {
    for (const auto& c : a.contributions) {
      if (c.first_us > 0) t0 = std::min(t0, c.first_us);
      t1 = std::max(t1, c.last_us);
    }
  }
  t0 = std::max<std::int64_t>(t0, t1 - std::int64_t{92} * 86400 * 1'000'000);
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>vetter report</title><style>"
      << kStyle << "</style></head><body><main>\n";
  out << "<h1>vetter report</h1>\n<p class=\"summary\">" << run.events << " events from "
      << run.inputs.size() << " inputs, " << run.rules_loaded << " rules, " << run.hr_workers
      << " workers in HR. <strong>" << result.flagged() << "</strong> of " << result.accounts.size()
      << " accounts with hits are flagged: at or above the review threshold of "
      << fixed(result.threshold, 0)
      << " with two independent indicator families or a decisive rule.</p>\n";

  out << "<h2>Ranked accounts</h2>\n<table><thead><tr><th class=\"rank\">#</th><th "
         "class=\"num\">Score</th>"
         "<th>Account</th><th class=\"small\">Rules</th><th class=\"small\">Cluster</th><th "
         "class=\"small\">In HR</th>"
         "</tr></thead><tbody>\n";
  std::size_t rank = 0;
  for (const auto& a : result.accounts) {
    const bool flagged = a.flagged;
    out << "<tr><td class=\"rank\">" << ++rank << "</td><td class=\"num\">"
        << (flagged ? "<span class=\"flag\">" : "<span class=\"ok\">") << fixed(a.score, 1)
        << "</span></td><td>";
    if (flagged)
      out << "<a href=\"#acct-" << rank << "\">" << html_escape(a.account) << "</a>";
    else
      out << html_escape(a.account);
    out << "</td><td class=\"small\">" << a.contributions.size() << "</td><td class=\"small\">"
        << (a.cluster ? "#" + std::to_string(*a.cluster) : std::string("–"))
        << "</td><td class=\"small\">" << (a.in_hr ? "yes" : "<strong>no</strong>")
        << "</td></tr>\n";
  }
  out << "</tbody></table>\n";

  out << "<h2>Flagged accounts and their evidence</h2>\n";
  rank = 0;
  for (const auto& a : result.accounts) {
    ++rank;
    if (!a.flagged) continue;
    out << "<section class=\"card\" id=\"acct-" << rank << "\"><h3>" << html_escape(a.account)
        << " — " << fixed(a.score, 1) << "</h3>\n<p class=\"meta\">" << html_escape(a.verdict)
        << "</p>\n";
    timeline(out, a, t0, t1);
    for (const auto& c : a.contributions) {
      out << "<div class=\"rule lvl-" << html_escape(c.rule->level) << "\">"
          << (c.counted ? "+" + fixed(c.points, 0) : "(" + fixed(c.points, 0) + ")") << " "
          << html_escape(c.rule->title) << "</div><div class=\"meta\"><code>"
          << html_escape(c.rule->id) << "</code> · " << html_escape(c.rule->family)
          << (c.rule->decisive ? " (decisive)" : "") << (c.counted ? "" : ", not counted") << " · "
          << html_escape(c.rule->level) << " · fired " << c.hit_count << "× · " << iso(c.first_us)
          << " … " << iso(c.last_us) << "</div>\n";
      for (const auto* h : c.hits) {
        if (!h->group_key.empty()) {
          out << "<div class=\"ev\">group <strong>" << html_escape(h->group_key)
              << "</strong> within " << h->window_us / 3'600'000'000 << " h: ";
          for (std::size_t i = 0; i < h->accounts.size(); ++i)
            out << (i ? ", " : "") << html_escape(h->accounts[i]);
          out << "</div>\n";
        }
        for (std::size_t i = 0; i < h->evidence.size() && i < 4; ++i) {
          const auto& e = h->evidence[i];
          out << "<div class=\"ev\">" << html_escape(where(e.origin.file, e.origin.line)) << " · "
              << iso(e.time_us) << (e.summary.empty() ? "" : " · " + html_escape(e.summary))
              << "</div>\n";
        }
      }
    }
    out << "</section>\n";
  }

  if (!result.clusters.empty()) {
    out << "<h2>Clusters</h2>\n<table><thead><tr><th "
           "class=\"small\">Cluster</th><th>Accounts</th><th>Linked by</th>"
           "</tr></thead><tbody>\n";
    for (std::size_t i = 0; i < result.clusters.size(); ++i) {
      const auto& c = result.clusters[i];
      out << "<tr><td class=\"small\">#" << i << "</td><td>";
      for (std::size_t j = 0; j < c.accounts.size(); ++j)
        out << (j ? "<br>" : "") << html_escape(c.accounts[j]);
      out << "</td><td>";
      for (std::size_t j = 0; j < c.keys.size(); ++j)
        out << (j ? "<br>" : "") << "<code>" << html_escape(c.keys[j]) << "</code>";
      out << "</td></tr>\n";
    }
    out << "</tbody></table>\n";
  }
  if (!run.unknown_accounts.empty()) {
    out << "<h2>Accounts seen in logs but absent from HR</h2>\n<p>";
    for (std::size_t i = 0; i < run.unknown_accounts.size(); ++i) {
      out << (i ? ", " : "") << html_escape(run.unknown_accounts[i]);
    }
    out << "</p>\n";
  }
  out << "<h2>Inputs</h2>\n<table><thead><tr><th class=\"small\">Source</th><th>Path</th><th "
         "class=\"num\">Records</th>"
         "<th class=\"num\">Bad</th><th class=\"num\">Events</th></tr></thead><tbody>\n";
  for (const auto& in : run.inputs) {
    out << "<tr><td class=\"small\">" << html_escape(in.source) << "</td><td>"
        << html_escape(in.path) << "</td><td class=\"num\">" << in.records
        << "</td><td class=\"num\">" << in.bad << "</td><td class=\"num\">" << in.events
        << "</td></tr>\n";
  }
  out << "</tbody></table>\n<p class=\"meta\">vetter " << html_escape(run.version)
      << "</p>\n</main></body></html>\n";
}

}  // namespace vetter::report
