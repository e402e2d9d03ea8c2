// Turns rule hits into ranked accounts and clusters (DESIGN.md "Scoring and output").
#include "vetter/score/score.h"

#include <algorithm>
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
  return static_cast<std::size_t>(
      std::count_if(accounts.begin(), accounts.end(),
                    [&](const AccountScore& a) { return a.score >= threshold; }));
}

double combine(const std::vector<double>& rule_points) {
  double keep = 1.0;
  for (double p : rule_points)
    keep *= 1.0 - std::clamp(p, 0.0, 100.0) / 100.0;
  return 100.0 * (1.0 - keep);
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
    c.points = std::max(c.points, hit.rule->points);
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

Result Accumulator::finish(const std::function<bool(std::string_view)>& in_hr) {
  Links links;
  for (const auto& [a, b] : joins_)
    links.join(links.add(a), links.add(b));
  Result result;
  result.threshold = options_.threshold;
  for (auto& [account, rules_hit] : by_account_) {
    AccountScore score;
    score.account = account;
    score.in_hr = in_hr ? in_hr(account) : true;
    std::vector<double> points;
    for (auto& [rule, c] : rules_hit) {
      points.push_back(c.points);
      score.contributions.push_back(std::move(c));
    }
    score.score = combine(points);
    std::sort(score.contributions.begin(), score.contributions.end(),
              [](const Contribution& a, const Contribution& b) {
                if (a.points != b.points) return a.points > b.points;
                return a.rule->title < b.rule->title;
              });
    result.accounts.push_back(std::move(score));
  }
  std::sort(result.accounts.begin(), result.accounts.end(),
            [](const AccountScore& a, const AccountScore& b) {
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
                      const std::function<bool(std::string_view)>& in_hr) {
  Accumulator acc(options);
  for (const auto& hit : hits)
    acc.add_stable(hit);
  return acc.finish(in_hr);
}

}  // namespace vetter::score
