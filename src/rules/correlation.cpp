// Correlation windows: grouping matched events, sliding, counting, firing (semantics in the header).
#include "correlation.h"

#include <algorithm>

namespace vetter::rules {
namespace {

const model::FieldId kUserName = model::Fields::id("user.name");

}  // namespace

CorrelationWindow::CorrelationWindow(const CorrelationRule& rule, const RuleInfo* info)
    : rule_(rule), info_(info) {}

void CorrelationWindow::drop_front(Group& g) {
  const Entry& e = g.entries.front();
  if (rule_.type == CorrelationType::kValueCount) {
    auto it = g.values.find(e.value);
    if (it != g.values.end() && --it->second == 0) g.values.erase(it);
  }
  --g.per_rule[e.pos];
  g.entries.pop_front();
}

void CorrelationWindow::slide(Group& g, std::int64_t now) {
  while (!g.entries.empty() && g.entries.front().time_us < now - rule_.timespan_us) drop_front(g);
}

std::int64_t CorrelationWindow::count(const Group& g) const {
  switch (rule_.type) {
    case CorrelationType::kEventCount: return static_cast<std::int64_t>(g.entries.size());
    case CorrelationType::kValueCount: return static_cast<std::int64_t>(g.values.size());
    case CorrelationType::kTemporal:
      return std::count_if(g.per_rule.begin(), g.per_rule.end(),
                           [](std::uint32_t n) { return n > 0; });
    case CorrelationType::kTemporalOrdered: {
      // Longest prefix of `rules` found in order in the window (greedy is optimal here).
      std::uint32_t step = 0;
      for (const Entry& e : g.entries) {
        if (step < rule_.rules.size() && e.pos == step) ++step;
      }
      return step;
    }
  }
  return 0;
}

void CorrelationWindow::sweep(std::int64_t now) {
  if (swept_once_ && now - last_sweep_ < rule_.timespan_us) return;
  swept_once_ = true;
  last_sweep_ = now;
  for (auto it = groups_.begin(); it != groups_.end();) {
    slide(it->second, now);
    if (it->second.entries.empty() && (!it->second.fired || it->second.quiet_until < now)) {
      it = groups_.erase(it);
    } else {
      ++it;
    }
  }
}

void CorrelationWindow::feed(std::size_t pos, const model::Event& event, std::string_view summary,
                             std::vector<Hit>& out) {
  const std::int64_t now = event.time_us;
  sweep(now);

  std::string key;
  const std::vector<model::FieldId>& fields = rule_.group_fields[pos];
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const model::Value& v = event.get(fields[i]);
    if (model::is_absent(v)) return;
    if (i) key += ',';
    key += rule_.group_by[i];
    key += '=';
    key += model::to_text(v);
  }
  Entry entry;
  if (rule_.type == CorrelationType::kValueCount) {
    const model::Value& v = event.get(rule_.value_field);
    if (model::is_absent(v)) return;
    entry.value = model::to_text(v);
  }
  entry.time_us = now;
  entry.origin = event.origin;
  entry.account = std::string(event.str(kUserName));
  entry.summary = std::string(summary);
  entry.pos = static_cast<std::uint32_t>(pos);

  Group& g = groups_[key];
  if (g.per_rule.empty()) g.per_rule.assign(rule_.rules.size(), 0);
  slide(g, now);
  if (rule_.type == CorrelationType::kValueCount) ++g.values[entry.value];
  ++g.per_rule[pos];
  g.entries.push_back(std::move(entry));
  if (g.entries.size() > kMaxEntriesPerGroup) drop_front(g);

  if (g.fired && now <= g.quiet_until) return;
  if (!rule_.condition.holds(count(g))) return;
  g.fired = true;
  g.quiet_until = now + rule_.timespan_us;

  Hit hit;
  hit.rule = info_;
  hit.group_key = key;
  hit.window_us = rule_.timespan_us;
  hit.first_us = g.entries.front().time_us;
  hit.last_us = now;
  for (const Entry& e : g.entries) {
    if (!e.account.empty() &&
        std::find(hit.accounts.begin(), hit.accounts.end(), e.account) == hit.accounts.end()) {
      hit.accounts.push_back(e.account);
    }
    if (hit.evidence.size() < kMaxEvidence) {
      hit.evidence.push_back({e.origin, e.time_us, e.account, e.summary});
    }
  }
  out.push_back(std::move(hit));
}

}  // namespace vetter::rules
