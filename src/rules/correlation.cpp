// Correlation windows: grouping matched events, sliding or closing windows, counting, firing.
#include "correlation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "geo_velocity.h"

namespace vetter::rules {
namespace {

const model::FieldId kUserName = model::Fields::id("user.name");

std::optional<double> number(const model::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

}  // namespace

CorrelationWindow::CorrelationWindow(const CorrelationRule& rule, const RuleInfo* info)
    : rule_(rule), info_(info), window_end_(rule.condition.window_end()) {}

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
  while (!g.entries.empty() && g.entries.front().time_us < now - rule_.timespan_us)
    drop_front(g);
}

std::int64_t CorrelationWindow::count(const Group& g) const {
  switch (rule_.type) {
    case CorrelationType::kEventCount:
      return static_cast<std::int64_t>(g.entries.size());
    case CorrelationType::kValueCount:
      return static_cast<std::int64_t>(g.values.size());
    case CorrelationType::kTemporal:
      return std::count_if(g.per_rule.begin(), g.per_rule.end(),
                           [](std::uint32_t n) { return n > 0; });
    case CorrelationType::kGeoVelocity:
      return 0;  // judged per pair in feed_geo
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

void CorrelationWindow::emit(const std::string& key, const Group& g, std::int64_t last_us,
                             std::vector<Hit>& out) {
  Hit hit;
  hit.rule = info_;
  hit.group_key = key;
  hit.window_us = rule_.timespan_us;
  hit.first_us = g.entries.empty() ? last_us : g.entries.front().time_us;
  hit.last_us = last_us;
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

void CorrelationWindow::close(const std::string& key, Group& g, std::vector<Hit>& out) {
  if (!g.entries.empty() && rule_.condition.holds(count(g))) {
    emit(key, g, g.entries.back().time_us, out);
  }
  g.entries.clear();
  g.values.clear();
  std::fill(g.per_rule.begin(), g.per_rule.end(), 0);
}

void CorrelationWindow::close_all(std::int64_t before, std::vector<Hit>& out) {
  std::vector<std::pair<std::int64_t, const std::string*>> ending;
  for (auto& [key, g] : groups_) {
    if (!g.entries.empty() && g.window_start + rule_.timespan_us < before) {
      ending.emplace_back(g.window_start, &key);
    }
  }
  std::sort(ending.begin(), ending.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  });
  for (const auto& [start, key] : ending)
    close(*key, groups_.at(*key), out);
}

void CorrelationWindow::advance(std::int64_t now, std::vector<Hit>& out) {
  if (swept_once_ && now - last_sweep_ < rule_.timespan_us) return;
  swept_once_ = true;
  last_sweep_ = now;
  if (window_end_) close_all(now, out);
  for (auto it = groups_.begin(); it != groups_.end();) {
    Group& g = it->second;
    if (!window_end_) slide(g, now);
    const bool idle = rule_.type == CorrelationType::kGeoVelocity
                          ? !g.has_last || g.last.time_us < now - rule_.timespan_us
                          : g.entries.empty() && (!g.fired || g.quiet_until < now);
    if (idle) {
      it = groups_.erase(it);
    } else {
      ++it;
    }
  }
}

void CorrelationWindow::finish(std::vector<Hit>& out) {
  if (window_end_) close_all(std::numeric_limits<std::int64_t>::max(), out);
}

void CorrelationWindow::feed(std::size_t pos, const model::Event& event, std::string_view summary,
                             std::vector<Hit>& out) {
  const std::int64_t now = event.time_us;
  if (rule_.type == CorrelationType::kGeoVelocity && !rule_.geo.ignore.branches.empty() &&
      matches(rule_.geo.ignore, event)) {
    return;
  }
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

  auto [it, fresh] = groups_.try_emplace(key);
  Group& g = it->second;
  if (fresh) g.per_rule.assign(rule_.rules.size(), 0);
  if (rule_.type == CorrelationType::kGeoVelocity) {
    feed_geo(it->first, g, std::move(entry), event, out);
    return;
  }
  if (window_end_) {
    if (!g.entries.empty() && now > g.window_start + rule_.timespan_us) close(key, g, out);
    if (g.entries.empty()) g.window_start = now;
  } else {
    slide(g, now);
  }
  if (rule_.type == CorrelationType::kValueCount) ++g.values[entry.value];
  ++g.per_rule[pos];
  g.entries.push_back(std::move(entry));
  if (g.entries.size() > kMaxEntriesPerGroup) drop_front(g);
  if (window_end_) return;

  if (g.fired && now <= g.quiet_until) return;
  if (!rule_.condition.holds(count(g))) return;
  g.fired = true;
  g.quiet_until = now + rule_.timespan_us;
  emit(key, g, now, out);
}

void CorrelationWindow::feed_geo(const std::string& key, Group& g, Entry entry,
                                 const model::Event& event, std::vector<Hit>& out) {
  const GeoVelocity& geo = rule_.geo;
  const std::optional<double> lat = number(event.get(geo.lat));
  const std::optional<double> lon = number(event.get(geo.lon));
  if (!lat || !lon) return;  // not located
  const double accuracy = geo.accuracy ? number(event.get(*geo.accuracy)).value_or(0) : 0;
  const std::int64_t now = entry.time_us;
  if (g.has_last && now - g.last.time_us <= rule_.timespan_us) {
    const double raw = distance_km(g.last_lat, g.last_lon, *lat, *lon);
    const double km = std::max(0.0, raw - g.last_accuracy - accuracy);
    const double hours = static_cast<double>(now - g.last.time_us) / 3.6e9;
    const double speed = hours > 0 ? km / hours : (km > 0 ? HUGE_VAL : 0);
    const bool fires = (!geo.speed_gt || speed > *geo.speed_gt) &&
                       (!geo.speed_gte || speed >= *geo.speed_gte) &&
                       (!geo.distance_gt || km > *geo.distance_gt) &&
                       (!geo.distance_gte || km >= *geo.distance_gte);
    if (fires) {
      char figures[96];
      std::snprintf(figures, sizeof figures, "distance_km=%.0f, speed_kmh=%.0f", km, speed);
      Hit hit;
      hit.rule = info_;
      hit.group_key = key;
      hit.window_us = rule_.timespan_us;
      hit.first_us = g.last.time_us;
      hit.last_us = now;
      for (const Entry* e : {&g.last, &entry}) {
        if (!e->account.empty() &&
            std::find(hit.accounts.begin(), hit.accounts.end(), e->account) == hit.accounts.end()) {
          hit.accounts.push_back(e->account);
        }
        hit.evidence.push_back({e->origin, e->time_us, e->account,
                                e->summary + (e->summary.empty() ? "" : ", ") + figures});
      }
      out.push_back(std::move(hit));
    }
  }
  g.has_last = true;
  g.last = std::move(entry);
  g.last_lat = *lat;
  g.last_lon = *lon;
  g.last_accuracy = accuracy;
}

}  // namespace vetter::rules
