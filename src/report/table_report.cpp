// The ranked table printed on a terminal: what an analyst reads first.
#include <cstdio>
#include <string>

#include "text.h"
#include "vetter/model/time.h"
#include "vetter/report/report.h"

namespace vetter::report {
namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string cluster_label(const score::AccountScore& a) {
  if (!a.cluster) return "-";
  std::string label = std::to_string(*a.cluster);
  label.insert(label.begin(), '#');
  return label;
}

}  // namespace

void write_table(std::ostream& out, const score::Result& result, const RunInfo& run,
                 std::size_t max_accounts) {
  std::size_t width = 7;
  for (const auto& a : result.accounts)
    width = std::max(width, a.account.size());
  width = std::min<std::size_t>(width, 40);

  out << "vetter: " << run.events << " events, " << run.rules_loaded << " rules, "
      << result.accounts.size() << " accounts with hits, " << result.flagged()
      << " flagged (review threshold " << fixed(result.threshold, 0)
      << ", two independent families or a decisive rule)\n\n";
  if (result.accounts.empty()) {
    out << "No rule fired.\n";
  } else {
    out << "RANK  SCORE  " << pad("ACCOUNT", width) << "  RULES  CLUSTER\n";
  }
  std::size_t rank = 0;
  for (const auto& a : result.accounts) {
    if (++rank > max_accounts) {
      out << "... " << (result.accounts.size() - max_accounts)
          << " more accounts in the JSON report\n";
      break;
    }
    const bool flagged = a.flagged;
    out << pad(std::to_string(rank), 4) << (flagged ? "! " : "  ") << pad(fixed(a.score, 1), 5)
        << "  " << pad(a.account, width) << "  " << pad(std::to_string(a.contributions.size()), 5)
        << "  " << cluster_label(a) << (a.in_hr ? "" : "  (not in HR)") << "\n";
    if (!flagged) continue;
    out << "        " << a.verdict << "\n";
    for (const auto& c : a.contributions) {
      // A contribution its family's stronger rule outweighs is shown in brackets: not counted.
      const std::string points =
          c.counted ? "+" + fixed(c.points, 0) : "(" + fixed(c.points, 0) + ")";
      out << "        " << pad(points, 4) << " " << c.rule->title << " [" << c.rule->family
          << (c.rule->decisive ? ", decisive" : "") << "] x" << c.hit_count << ", "
          << day(c.first_us) << ".." << day(c.last_us) << "\n";
      if (!c.hits.empty()) {
        const auto& h = *c.hits.front();
        if (!h.group_key.empty()) out << "             group " << h.group_key << "\n";
        if (!h.evidence.empty()) {
          const auto& e = h.evidence.front();
          out << "             e.g. " << where(e.origin.file, e.origin.line) << " "
              << iso(e.time_us) << (e.account.empty() ? "" : " " + e.account)
              << (e.summary.empty() ? "" : " " + e.summary) << "\n";
        }
      }
    }
  }
  if (!result.clusters.empty()) {
    out << "\nClusters (accounts linked by shared keys):\n";
    for (std::size_t i = 0; i < result.clusters.size(); ++i) {
      const auto& c = result.clusters[i];
      out << "  #" << i << "  ";
      for (std::size_t j = 0; j < c.accounts.size(); ++j)
        out << (j ? ", " : "") << c.accounts[j];
      out << "\n      via ";
      for (std::size_t j = 0; j < c.keys.size(); ++j)
        out << (j ? ", " : "") << c.keys[j];
      out << "\n";
    }
  }
  if (!run.unknown_accounts.empty()) {
    out << "\nAccounts seen in logs but absent from HR (" << run.unknown_accounts.size() << "): ";
    for (std::size_t i = 0; i < run.unknown_accounts.size() && i < 10; ++i) {
      out << (i ? ", " : "") << run.unknown_accounts[i];
    }
    if (run.unknown_accounts.size() > 10) out << ", ...";
    out << "\n";
  }
}

}  // namespace vetter::report
