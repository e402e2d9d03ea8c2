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
  double points = 0;  // the rule's maximum over its hits, after decay (x-score.decay_half_life)
  double base_points = 0;     // the same before decay
  bool counted = false;       // the strongest of its family for this account: in the score
  std::size_t hit_count = 0;  // how many times it fired for this account
  std::int64_t first_us = 0;
  std::int64_t last_us = 0;
  std::vector<const rules::Hit*> hits;  // the first few hits, for evidence (capped)
};

// The strongest contribution of one indicator family to an account.
struct FamilyScore {
  std::string family;
  double points = 0;
  const rules::RuleInfo* rule = nullptr;  // the rule that gave them
};

struct AccountScore {
  std::string account;
  double score = 0;  // 0-100: noisy-OR over family maxima, halved for one family alone
  bool in_hr = true;
  bool flagged = false;  // at or above the threshold and corroborated
  // Two or more families of at least Options::corroboration_points, or a decisive rule.
  bool corroborated = false;
  std::vector<FamilyScore> families;        // strongest first
  std::vector<Contribution> contributions;  // counted first, then strongest first
  std::optional<std::size_t> cluster;       // index into Result::clusters
  // Why the account crossed the threshold or did not, in one sentence.
  std::string verdict;
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
  // An account seen by one family only, with no decisive rule, scores this share of its points:
  // one observation is a lead, not a case (README "Scores").
  double uncorroborated_factor = 0.5;
  // A family corroborates a flag with at least these points (medium and up): low indicators
  // that 1-3% of benign staff show (one remote-access tool, one VPN sign-in) add to a score
  // but do not turn a single strong lead into a flag.
  double corroboration_points = 25;
};

struct Result {
  std::vector<AccountScore> accounts;  // flagged first, then score descending, then name
  std::vector<Cluster> clusters;       // max_score descending
  double threshold = 0;
  std::size_t flagged() const;   // accounts flagged (AccountScore::flagged)
  std::int64_t data_end_us = 0;  // the newest event time: what decay is measured from
};

// Noisy-OR over family maxima: score = 100 * (1 - prod(1 - p_f/100)), so one rule firing 500
// times counts once while independent indicators reinforce each other.
double combine(const std::vector<double>& family_points);

// Points after decay: halved for every `half_life_us` between `last_us` and `end_us` (none when
// half_life_us is 0 or the hit is not older than the end of the data).
double decayed(double points, std::int64_t half_life_us, std::int64_t last_us, std::int64_t end_us);

// Scores one account from its contributions (any order): picks each family's strongest,
// combines them, applies corroboration and the threshold, and orders the contributions.
void score_account(AccountScore& account, const Options& options);

// Folds hits in as the rules produce them, so that memory holds one aggregate per (account, rule)
// and the few hits kept as evidence, not every hit of a long scan. The result points into the
// accumulator's kept hits and into the RuleSet: both must outlive it.
class Accumulator {
 public:
  explicit Accumulator(Options options = {});
  void add(const rules::Hit& hit);         // copies what it keeps of `hit`
  void add_stable(const rules::Hit& hit);  // `hit` outlives the result: no copy
  // Scores, ranks and clusters what was added. Call once. `data_end_us`: the newest event time
  // of the scan, the point decay is measured back from (0: no decay).
  Result finish(const std::function<bool(std::string_view)>& in_hr, std::int64_t data_end_us = 0);

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
                      const std::function<bool(std::string_view)>& in_hr,
                      std::int64_t data_end_us = 0);

}  // namespace vetter::score
