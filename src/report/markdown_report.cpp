// Markdown report: a document an analyst can paste into a ticket or a review.
#include "text.h"
#include "vetter/report/report.h"

namespace vetter::report {

void write_markdown(std::ostream& out, const score::Result& result, const RunInfo& run) {
  out << "# vetter report\n\n";
  out << "- " << run.events << " events from " << run.inputs.size() << " inputs; "
      << run.rules_loaded << " rules; " << run.hr_workers << " workers in HR\n";
  out << "- " << result.flagged() << " of " << result.accounts.size()
      << " accounts with hits are flagged (review threshold " << fixed(result.threshold, 0)
      << ", two independent indicator families or a decisive rule)\n";
  out << "- " << result.clusters.size() << " clusters of linked accounts; "
      << run.unknown_accounts.size() << " accounts seen in logs but absent from HR\n\n";

  out << "## Ranked accounts\n\n| rank | score | account | rules | cluster | in HR "
         "|\n|---:|---:|---|---:|---|---|\n";
  std::size_t rank = 0;
  for (const auto& a : result.accounts) {
    ++rank;
    out << "| " << rank << " | "
        << (a.flagged ? "**" + fixed(a.score, 1) + "**" : fixed(a.score, 1)) << " | "
        << md_cell(a.account) << " | " << a.contributions.size() << " | "
        << (a.cluster ? "#" + std::to_string(*a.cluster) : std::string("–")) << " | "
        << (a.in_hr ? "yes" : "**no**") << " |\n";
  }

  out << "\n## Evidence for flagged accounts\n";
  for (const auto& a : result.accounts) {
    if (!a.flagged) continue;
    out << "\n### " << md_cell(a.account) << " — " << fixed(a.score, 1) << "\n\n"
        << md_cell(a.verdict) << "\n\n";
    for (const auto& c : a.contributions) {
      out << "- **" << (c.counted ? "+" + fixed(c.points, 0) : "(" + fixed(c.points, 0) + ")")
          << " " << md_cell(c.rule->title) << "** (`" << c.rule->id << "`, " << c.rule->level
          << ", family " << md_cell(c.rule->family) << (c.rule->decisive ? ", decisive" : "")
          << (c.counted ? "" : ", not counted") << "), fired " << c.hit_count << "×, "
          << iso(c.first_us) << " … " << iso(c.last_us) << "\n";
      for (const auto* h : c.hits) {
        if (!h->group_key.empty()) {
          out << "  - group `" << md_cell(h->group_key) << "` within "
              << h->window_us / 3'600'000'000 << " h: " << h->accounts.size() << " accounts\n";
        }
        for (std::size_t i = 0; i < h->evidence.size() && i < 3; ++i) {
          const auto& e = h->evidence[i];
          out << "  - `" << where(e.origin.file, e.origin.line) << "` " << iso(e.time_us);
          if (!e.summary.empty()) out << " — " << md_cell(e.summary);
          out << "\n";
        }
      }
    }
  }

  if (!result.clusters.empty()) {
    out << "\n## Clusters\n\n";
    for (std::size_t i = 0; i < result.clusters.size(); ++i) {
      const auto& c = result.clusters[i];
      out << "- **#" << i << "** (max score " << fixed(c.max_score, 1) << "): ";
      for (std::size_t j = 0; j < c.accounts.size(); ++j)
        out << (j ? ", " : "") << md_cell(c.accounts[j]);
      out << "\n  - linked by: ";
      for (std::size_t j = 0; j < c.keys.size(); ++j)
        out << (j ? ", " : "") << "`" << md_cell(c.keys[j]) << "`";
      out << "\n";
    }
  }
  if (!run.unknown_accounts.empty()) {
    out << "\n## Accounts absent from HR\n\n";
    for (const auto& a : run.unknown_accounts)
      out << "- " << md_cell(a) << "\n";
  }
  out << "\n## Inputs\n\n| source | path | records | bad | events |\n|---|---|---:|---:|---:|\n";
  for (const auto& in : run.inputs) {
    out << "| " << in.source << " | " << md_cell(in.path) << " | " << in.records << " | " << in.bad
        << " | " << in.events << " |\n";
  }
}

}  // namespace vetter::report
