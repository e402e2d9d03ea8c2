// Account scoring: rule hits become per-account scores with evidence, and linked accounts clusters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "vetter/rules/engine.h"

namespace vetter::score {

// One rule's share of an account's score.
struct Contribution {
  const rules::RuleInfo* rule = nullptr;
  double points = 0;          // the rule's maximum over its hits on this account
  std::size_t hit_count = 0;  // how many times it fired for this account
  std::int64_t first_us = 0;
  std::int64_t last_us = 0;
  std::vector<const rules::Hit*> hits;  // the first few hits, for evidence (capped)
};

struct AccountScore {
  std::string account;
  double score = 0;  // 0-100
  bool in_hr = true;
  std::vector<Contribution> contributions;  // strongest first
  std::optional<std::size_t> cluster;       // index into Result::clusters
};

// Accounts joined by correlations grouped on a shared key (an IP, an address, a document...).
struct Cluster {
  std::vector<std::string> accounts;  // sorted
  std::vector<std::string> keys;      // the group keys that link them, sorted
  double max_score = 0;
};

struct Options {
  double threshold = 50;  // review threshold on the 0-100 score
  std::size_t evidence_hits_per_rule = 5;
};

struct Result {
  std::vector<AccountScore> accounts;  // score descending, then account name
  std::vector<Cluster> clusters;       // max_score descending
  double threshold = 0;
  std::size_t flagged() const;  // accounts at or above the threshold
};

// Noisy-OR over per-rule maxima (DESIGN.md): score = 100 * (1 - prod(1 - p_r/100)), so one rule
// firing 500 times counts once while independent indicators reinforce each other.
double combine(const std::vector<double>& rule_points);

// Folds hits in as the rules produce them, so that memory holds one aggregate per (account, rule)
// and the few hits kept as evidence, not every hit of a long scan. The result points into the
// accumulator's kept hits and into the RuleSet: both must outlive it.
class Accumulator {
 public:
  explicit Accumulator(Options options = {});
  void add(const rules::Hit& hit);         // copies what it keeps of `hit`
  void add_stable(const rules::Hit& hit);  // `hit` outlives the result: no copy
  // Scores, ranks and clusters what was added. Call once.
  Result finish(const std::function<bool(std::string_view)>& in_hr);

 private:
  void fold(const rules::Hit& hit, bool stable);

  Options options_;
  std::deque<rules::Hit> kept_;  // hits some contribution shows as evidence (stable addresses)
  std::map<std::string, std::map<const rules::RuleInfo*, Contribution>> by_account_;
  std::set<std::pair<std::string, std::string>> links_;  // (account, group key) of shared-key hits
  std::set<std::pair<std::string, std::string>> joins_;  // accounts that share a hit, to union
};

// The same over a finished list of hits (tests, small runs); hits must outlive the result.
Result score_accounts(const std::vector<rules::Hit>& hits, const Options& options,
                      const std::function<bool(std::string_view)>& in_hr);

}  // namespace vetter::score
