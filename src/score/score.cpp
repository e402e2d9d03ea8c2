// Turns rule hits into ranked accounts and clusters (README "Scores" documents the model).
#include "vetter/score/score.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

namespace vetter::score {
namespace {

// Union-find over account indexes, for clusters.
class Links {
 public:
  std::size_t add(const std::string& account) {
    auto [it, inserted] = index_.try_emplace(account, parent_.size());
    if (inserted) parent_.push_back(parent_.size());
    return it->second;
  }
  std::size_t root(std::size_t i) {
    while (parent_[i] != i)
      i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void join(std::size_t a, std::size_t b) { parent_[root(a)] = root(b); }
  const std::unordered_map<std::string, std::size_t>& index() const { return index_; }

 private:
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<std::size_t> parent_;
};

}  // namespace

std::size_t Result::flagged() const {
  return static_cast<std::size_t>(std::count_if(accounts.begin(), accounts.end(),
                                                [&](const AccountScore& a) { return a.flagged; }));
}

double combine(const std::vector<double>& family_points) {
  double keep = 1.0;
  for (double p : family_points)
    keep *= 1.0 - std::clamp(p, 0.0, 100.0) / 100.0;
  return 100.0 * (1.0 - keep);
}

double decayed(double points, std::int64_t half_life_us, std::int64_t last_us,
               std::int64_t end_us) {
  if (half_life_us <= 0 || end_us <= last_us) return points;
  const double halves = static_cast<double>(end_us - last_us) / static_cast<double>(half_life_us);
  return points * std::exp2(-halves);
}

namespace {

std::string points_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", p);
  return buf;
}

// "geo 90, shipping 70": the counted families.
std::string family_list(const std::vector<FamilyScore>& families) {
  std::string out;
  for (const auto& f : families) {
    if (!out.empty()) out += ", ";
    out += f.family + " " + points_text(f.points);
  }
  return out;
}

// `decisive`: a decisive rule that gave points, or nullptr; `strong`: families with at least
// Options::corroboration_points (both as score_account found them).
std::string verdict_of(const AccountScore& a, const Options& options,
                       const rules::RuleInfo* decisive, std::ptrdiff_t strong) {
  const std::string threshold = points_text(options.threshold);
  if (a.families.empty()) return "no rule gave points";
  if (a.flagged) {
    if (strong >= 2) {
      return "flagged: " + std::to_string(a.families.size()) + " independent families (" +
             family_list(a.families) + ") reach the threshold " + threshold;
    }
    return "flagged: '" + decisive->title + "' is decisive on its own";
  }
  if (a.families.size() < 2 && !a.corroborated) {
    return "not flagged: one family only (" + family_list(a.families) +
           "), scored at half; a flag needs a second, independent family or a decisive rule";
  }
  if (!a.corroborated) {
    return "not flagged: " + std::to_string(a.families.size()) + " families (" +
           family_list(a.families) + ") but " + std::to_string(strong) + " of at least " +
           points_text(options.corroboration_points) +
           " points; a flag needs two such families or a decisive rule";
  }
  return "not flagged: " + std::to_string(a.families.size()) + " families (" +
         family_list(a.families) + ") stay below the threshold " + threshold;
}

}  // namespace

void score_account(AccountScore& a, const Options& options) {
  // Each family's strongest contribution is the one counted.
  std::map<std::string, Contribution*> best;
  for (auto& c : a.contributions) {
    c.counted = false;
    Contribution*& b =
        best[c.rule->family.empty() ? rules::default_family(*c.rule) : c.rule->family];
    if (!b || c.points > b->points || (c.points == b->points && c.rule->title < b->rule->title)) {
      b = &c;
    }
  }
  a.families.clear();
  const auto decisive_hit =
      std::find_if(a.contributions.begin(), a.contributions.end(),
                   [](const Contribution& c) { return c.rule->decisive && c.points > 0; });
  const rules::RuleInfo* decisive =
      decisive_hit == a.contributions.end() ? nullptr : decisive_hit->rule;
  std::vector<double> points;
  for (auto& [family, c] : best) {
    c->counted = true;
    if (c->points <= 0) continue;
    a.families.push_back({family, c->points, c->rule});
    points.push_back(c->points);
  }
  std::sort(a.families.begin(), a.families.end(), [](const FamilyScore& x, const FamilyScore& y) {
    if (x.points != y.points) return x.points > y.points;
    return x.family < y.family;
  });
  const auto strong =
      std::count_if(a.families.begin(), a.families.end(),
                    [&](const FamilyScore& f) { return f.points >= options.corroboration_points; });
  a.corroborated = decisive != nullptr || strong >= 2;
  // One family alone is scored at half; two families count in full even when the second is too
  // weak to corroborate a flag, so that two independent weak traces outrank one strong lead.
  const bool single = !decisive && a.families.size() < 2;
  a.score = combine(points) * (single ? options.uncorroborated_factor : 1.0);
  a.flagged = a.corroborated && a.score >= options.threshold;
  std::sort(a.contributions.begin(), a.contributions.end(),
            [](const Contribution& x, const Contribution& y) {
              if (x.counted != y.counted) return x.counted;
              if (x.points != y.points) return x.points > y.points;
              return x.rule->title < y.rule->title;
            });
  a.verdict = verdict_of(a, options, decisive, strong);
}

Accumulator::Accumulator(Options options) : options_(options) {}

void Accumulator::add(const rules::Hit& hit) {
  fold(hit, false);
}
void Accumulator::add_stable(const rules::Hit& hit) {
  fold(hit, true);
}

void Accumulator::fold(const rules::Hit& hit, bool stable) {
  if (!hit.rule) return;
  // Evidence points at the caller's hit when it outlives the result, else at a copy made once,
  // on first use.
  const rules::Hit* kept = stable ? &hit : nullptr;
  for (const auto& account : hit.accounts) {
    auto& c = by_account_[account][hit.rule];
    if (c.hit_count == 0) {
      c.rule = hit.rule;
      c.first_us = hit.first_us;
      c.last_us = hit.last_us;
    }
    c.base_points = std::max(c.base_points, hit.rule->points);
    ++c.hit_count;
    c.first_us = std::min(c.first_us, hit.first_us);
    c.last_us = std::max(c.last_us, hit.last_us);
    if (c.hits.size() < options_.evidence_hits_per_rule) {
      if (!kept) kept = &kept_.emplace_back(hit);
      c.hits.push_back(kept);
    }
  }
  // A correlation grouped on a shared key links every account it names.
  if (hit.accounts.size() >= 2 && !hit.group_key.empty()) {
    for (const auto& account : hit.accounts)
      links_.emplace(account, hit.group_key);
    // Every account joins the group's first; a set, so repeated hits add nothing.
    for (std::size_t i = 1; i < hit.accounts.size(); ++i)
      joins_.emplace(hit.accounts.front(), hit.accounts[i]);
  }
}

Result Accumulator::finish(const std::function<bool(std::string_view)>& in_hr,
                           std::int64_t data_end_us) {
  Links links;
  for (const auto& [a, b] : joins_)
    links.join(links.add(a), links.add(b));
  Result result;
  result.threshold = options_.threshold;
  result.data_end_us = data_end_us;
  for (auto& [account, rules_hit] : by_account_) {
    AccountScore score;
    score.account = account;
    score.in_hr = in_hr ? in_hr(account) : true;
    for (auto& [rule, c] : rules_hit) {
      c.points = decayed(c.base_points, rule->decay_half_life_us, c.last_us, data_end_us);
      score.contributions.push_back(std::move(c));
    }
    score_account(score, options_);
    result.accounts.push_back(std::move(score));
  }
  std::sort(result.accounts.begin(), result.accounts.end(),
            [](const AccountScore& a, const AccountScore& b) {
              if (a.flagged != b.flagged) return a.flagged;
              if (a.score != b.score) return a.score > b.score;
              return a.account < b.account;
            });

  // Clusters: components of two or more accounts.
  std::map<std::size_t, Cluster> components;
  for (const auto& [account, i] : links.index())
    components[links.root(i)].accounts.push_back(account);
  for (const auto& [account, key] : links_)
    components[links.root(links.add(account))].keys.push_back(key);
  std::unordered_map<std::string, double> score_of;
  for (const auto& a : result.accounts)
    score_of[a.account] = a.score;
  for (auto& [root, cluster] : components) {
    if (cluster.accounts.size() < 2) continue;
    std::sort(cluster.accounts.begin(), cluster.accounts.end());
    std::sort(cluster.keys.begin(), cluster.keys.end());
    cluster.keys.erase(std::unique(cluster.keys.begin(), cluster.keys.end()), cluster.keys.end());
    for (const auto& a : cluster.accounts)
      cluster.max_score = std::max(cluster.max_score, score_of[a]);
    result.clusters.push_back(std::move(cluster));
  }
  std::sort(result.clusters.begin(), result.clusters.end(), [](const Cluster& a, const Cluster& b) {
    if (a.max_score != b.max_score) return a.max_score > b.max_score;
    return a.accounts < b.accounts;
  });
  std::unordered_map<std::string, std::size_t> cluster_of;
  for (std::size_t c = 0; c < result.clusters.size(); ++c) {
    for (const auto& a : result.clusters[c].accounts)
      cluster_of[a] = c;
  }
  for (auto& a : result.accounts) {
    if (auto it = cluster_of.find(a.account); it != cluster_of.end()) a.cluster = it->second;
  }
  by_account_.clear();
  return result;
}

Result score_accounts(const std::vector<rules::Hit>& hits, const Options& options,
                      const std::function<bool(std::string_view)>& in_hr,
                      std::int64_t data_end_us) {
  Accumulator acc(options);
  for (const auto& hit : hits)
    acc.add_stable(hit);
  return acc.finish(in_hr, data_end_us);
}

}  // namespace vetter::score
