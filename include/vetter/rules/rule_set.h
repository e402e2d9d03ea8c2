// Sigma v2.1 rule files (detection and correlation) plus vetter's x- extensions, compiled once.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vetter/model/diagnostics.h"

namespace vetter::rules {

// What a report says about a rule.
struct RuleInfo {
  std::string id;
  std::string name;
  std::string title;
  std::string description;
  std::string level;  // informational, low, medium, high, critical
  double points = 0;  // x-score.points, else the level's default
  std::vector<std::string> references;
  std::vector<std::string> tags;
  std::vector<std::string> falsepositives;
  std::string file;  // file:line where the rule starts
  bool correlation = false;
  std::string status;                   // stable, test, experimental, ... (as written)
  std::string logsource_category;       // logsource.category; matched against event.category
  std::string logsource_product;        // logsource.product, kept for reports
  std::string logsource_service;        // logsource.service, kept for reports
  std::int64_t decay_half_life_us = 0;  // x-score.decay_half_life; 0 when not given
  // The indicator family (x-family, else from tags, else the rule's own name): an account's score
  // keeps one contribution per family, so two rules that see one observation count it once.
  std::string family;
  // x-score.decisive: enough for a flag without a second family (a reused identity document,
  // a sign-in from North Korean address space, an IP-KVM).
  bool decisive = false;
  bool generate = true;  // false: a base rule that only feeds correlations (Sigma `generate`)
};

// Level defaults: informational 5, low 15, medium 35, high 60, critical 90.
double default_points(const std::string& level);

// The family a rule without x-family belongs to, from its tags (rules/dprk/README.md lists the
// mapping), else its own name (or id, or title): an unlabelled rule is its own family.
std::string default_family(const RuleInfo& info);

struct LoadOptions {
  // Values for %name% placeholders (the `expand` modifier), from list files.
  std::map<std::string, std::vector<std::string>> placeholders;
};

class CompiledRules;  // private to the module

class RuleSet {
 public:
  RuleSet() = default;  // no rules
  explicit RuleSet(std::shared_ptr<const CompiledRules> compiled)
      : compiled_(std::move(compiled)) {}

  // Loads and compiles every rule file (a path may be a directory: its *.yml/*.yaml, sorted).
  // Every problem is reported to `diags` with file:line:col, a stable code and the rule's title;
  // the returned set holds the rules that compiled. Check diags for errors before using it.
  static RuleSet load(const std::vector<std::string>& paths, const LoadOptions& options,
                      model::Diagnostics& diags);
  // Same, for rule text held in memory (tests, tools); `name` stands for the file in messages.
  static RuleSet load_text(std::string_view text, const std::string& name,
                           const LoadOptions& options, model::Diagnostics& diags);

  const std::vector<RuleInfo>& rules() const;  // every rule that reports hits
  // Every rule that compiled, including base rules with `generate: false`.
  const std::vector<RuleInfo>& all_rules() const;
  std::size_t size() const { return rules().size(); }

  std::shared_ptr<const CompiledRules> compiled() const { return compiled_; }

 private:
  std::shared_ptr<const CompiledRules> compiled_;
};

}  // namespace vetter::rules
