// Correlation windows: grouping matched events, sliding or closing windows, measuring, firing.
#include "correlation.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <tuple>

#include "geo_velocity.h"

namespace vetter::rules {
namespace {

const model::FieldId kUserName = model::Fields::id("user.name");

// value_count groups up to this size find a value by scanning their entries; larger ones keep a
// table of value -> count (in Extra), so a big window stays O(1) per event.
constexpr std::uint32_t kLinearValues = 16;

std::optional<double> number(const model::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

// A number, or text that is entirely one (log fields often carry numbers as text).
std::optional<double> numeric(const model::Value& v) {
  if (std::optional<double> n = number(v)) return n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    double d = 0;
    const char* end = s->data() + s->size();
    auto [ptr, ec] = std::from_chars(s->data(), end, d);
    if (ec == std::errc{} && ptr == end && !s->empty() && std::isfinite(d)) return d;
  }
  return std::nullopt;
}

bool measures_numbers(CorrelationType t) {
  return t == CorrelationType::kValueSum || t == CorrelationType::kValueAvg ||
         t == CorrelationType::kValuePercentile;
}

SharedTexts::Ref as_ref(std::uint64_t bits) {
  return reinterpret_cast<SharedTexts::Ref>(static_cast<std::uintptr_t>(bits));
}

}  // namespace

CorrelationWindow::CorrelationWindow(const CorrelationRule& rule, const RuleInfo* info)
    : rule_(rule),
      info_(info),
      window_end_(rule.condition.window_end()),
      pool_(std::make_unique<BlockPool>()),
      groups_(*pool_) {}

CorrelationWindow::~CorrelationWindow() {
  // Rings are raw blocks of pool_; large ones are heap blocks that must be given back.
  for (std::size_t i = 0; i < groups_.slot_count(); ++i) {
    if (auto* r = groups_.at(i)) free_ring(r->value);
  }
}

// A ring of 2^log2 entries holding `g`'s entries in order from its start (grown or shrunk).
void CorrelationWindow::resize_ring(Group& g, std::uint8_t log2) {
  const std::size_t n = std::size_t{1} << log2;
  auto* ring = static_cast<Entry*>(pool_->allocate(n * sizeof(Entry)));
  std::uninitialized_default_construct_n(ring, n);
  for (std::uint32_t i = 0; i < g.size; ++i)
    ring[i] = g.at(i);
  free_ring(g);
  g.ring = ring;
  g.cap_log2 = log2;
  g.head = 0;
}

void CorrelationWindow::free_ring(Group& g) {
  if (!g.ring) return;
  pool_->deallocate(g.ring, sizeof(Entry) << g.cap_log2);
  g.ring = nullptr;
}

CorrelationWindow::Extra& CorrelationWindow::extra(Group& g) {
  if (!g.extra) {
    g.extra = std::make_unique<Extra>();
    if (rule_.type == CorrelationType::kTemporal) g.extra->per_rule.assign(rule_.rules.size(), 0);
  }
  return *g.extra;
}

void CorrelationWindow::push(Group& g, const Entry& e) {
  const std::uint32_t capacity = g.ring ? 1u << g.cap_log2 : 0;
  if (g.size == capacity) {
    // Two to start with: most groups see a few events, and growing from one to two would leave
    // a hole per group in the heap.
    resize_ring(g, g.ring ? static_cast<std::uint8_t>(g.cap_log2 + 1) : 1);
  }
  // Keep the ring in time order: an event that arrives late (within the reorder allowance) goes
  // where it belongs, behind any later ones.
  std::uint32_t i = g.size;
  for (; i > 0 && g.at(i - 1).time_us > e.time_us; --i)
    g.at(i) = g.at(i - 1);
  g.at(i) = e;
  ++g.size;
}

void CorrelationWindow::release(const Entry& e) {
  texts_.release(e.evidence);
  if (rule_.type == CorrelationType::kValueCount) texts_.release(as_ref(e.value));
}

void CorrelationWindow::drop_front(Group& g) {
  const Entry e = g.at(0);
  g.head = (g.head + 1) & ((1u << g.cap_log2) - 1);
  --g.size;
  if (rule_.type == CorrelationType::kValueCount) remove_value(g, as_ref(e.value));
  if (rule_.type == CorrelationType::kTemporal) --g.extra->per_rule[e.pos()];
  if (measures_numbers(rule_.type)) g.extra->sum -= std::bit_cast<double>(e.value);
  release(e);
  if (g.size == 0) {
    clear(g);
  } else if (g.cap_log2 >= 6 && g.size * 4 <= (1u << g.cap_log2)) {
    // Mostly empty after a burst: halve the ring so idle groups give memory back.
    resize_ring(g, static_cast<std::uint8_t>(g.cap_log2 - 1));
  }
}

// Empties the window (the group itself stays until it is idle).
void CorrelationWindow::clear(Group& g) {
  for (std::uint32_t i = 0; i < g.size; ++i)
    release(g.at(i));
  free_ring(g);
  g.head = g.size = g.distinct = 0;
  g.cap_log2 = 0;
  if (g.extra) {
    std::fill(g.extra->per_rule.begin(), g.extra->per_rule.end(), 0);
    g.extra->values.clear();
    g.extra->values_active = false;
    g.extra->sum = 0;  // drops the rounding a long run of adds and subtracts leaves
  }
}

void CorrelationWindow::slide(Group& g, std::int64_t now) {
  while (g.size > 0 && g.at(0).time_us < now - rule_.timespan_us)
    drop_front(g);
}

void CorrelationWindow::add_value(Group& g, SharedTexts::Ref value) {
  if (g.extra && g.extra->values_active) {
    if (++g.extra->values[value] == 1) ++g.distinct;
    return;
  }
  bool seen = false;
  for (std::uint32_t i = 0; i < g.size && !seen; ++i)
    seen = as_ref(g.at(i).value) == value;
  if (!seen) ++g.distinct;
  if (g.size + 1 > kLinearValues) {
    Extra& x = extra(g);
    for (std::uint32_t i = 0; i < g.size; ++i)
      ++x.values[as_ref(g.at(i).value)];
    ++x.values[value];
    x.values_active = true;
  }
}

// Called after the entry holding `value` left the window.
void CorrelationWindow::remove_value(Group& g, SharedTexts::Ref value) {
  if (g.extra && g.extra->values_active) {
    auto it = g.extra->values.find(value);
    if (it != g.extra->values.end() && --it->second == 0) {
      g.extra->values.erase(it);
      --g.distinct;
    }
    return;
  }
  for (std::uint32_t i = 0; i < g.size; ++i) {
    if (as_ref(g.at(i).value) == value) return;
  }
  --g.distinct;
}

double CorrelationWindow::measure(const Group& g) {
  switch (rule_.type) {
    case CorrelationType::kEventCount:
      return g.size;
    case CorrelationType::kValueCount:
      return g.distinct;
    case CorrelationType::kValueSum:
      return g.extra ? g.extra->sum : 0;
    case CorrelationType::kValueAvg:
      return g.size > 0 && g.extra ? g.extra->sum / g.size : 0;
    case CorrelationType::kValuePercentile: {
      if (g.size == 0) return 0;
      sorted_.clear();
      for (std::uint32_t i = 0; i < g.size; ++i)
        sorted_.push_back(std::bit_cast<double>(g.at(i).value));
      const double rank = rule_.percentile / 100.0 * static_cast<double>(g.size - 1);
      const auto low = static_cast<std::size_t>(std::floor(rank));
      std::nth_element(sorted_.begin(), sorted_.begin() + static_cast<std::ptrdiff_t>(low),
                       sorted_.end());
      const double v = sorted_[low];
      if (low + 1 >= sorted_.size()) return v;
      const double next =
          *std::min_element(sorted_.begin() + static_cast<std::ptrdiff_t>(low) + 1, sorted_.end());
      return v + (rank - static_cast<double>(low)) * (next - v);
    }
    case CorrelationType::kTemporal:
      return static_cast<double>(std::count_if(g.extra->per_rule.begin(), g.extra->per_rule.end(),
                                               [](std::uint32_t n) { return n > 0; }));
    case CorrelationType::kGeoVelocity:
      return 0;  // judged per pair in feed_geo
    case CorrelationType::kTemporalOrdered: {
      // Longest prefix of `rules` found in order in the window (greedy is optimal here).
      std::uint32_t step = 0;
      for (std::uint32_t i = 0; i < g.size; ++i) {
        if (step < rule_.rules.size() && g.at(i).pos() == step) ++step;
      }
      return step;
    }
  }
  return 0;
}

// Map keys hold the group-by values only; reports name them: "source.ip=1.2.3.4".
std::string CorrelationWindow::display_key(std::string_view key) const {
  std::string out;
  if (rule_.group_by.size() == 1) {  // otherwise built in full in feed
    out.reserve(rule_.group_by[0].size() + 1 + key.size());
    out += rule_.group_by[0];
    out += '=';
  }
  out += key;
  return out;
}

namespace {

// The account and summary of an evidence text (past its 4-byte file index).
std::pair<std::string_view, std::string_view> split_evidence(std::string_view text) {
  text.remove_prefix(std::min<std::size_t>(4, text.size()));
  const std::size_t nul = text.find('\0');
  if (nul == std::string_view::npos) return {text, {}};
  return {text.substr(0, nul), text.substr(nul + 1)};
}

}  // namespace

Evidence CorrelationWindow::evidence_of(const Entry& e) const {
  const std::string_view text = SharedTexts::text(e.evidence);
  std::uint32_t file = 0;
  if (text.size() >= 4) std::memcpy(&file, text.data(), 4);
  const auto [account, summary] = split_evidence(text);
  Evidence ev;
  ev.origin.file = files_[file];
  ev.origin.line = e.line();
  ev.time_us = e.time_us;
  ev.account = std::string(account);
  ev.summary = std::string(summary);
  return ev;
}

void CorrelationWindow::emit(std::string_view key, const Group& g, std::int64_t last_us,
                             std::vector<Hit>& out) {
  Hit hit;
  hit.rule = info_;
  hit.group_key = display_key(key);
  hit.window_us = rule_.timespan_us;
  hit.first_us = g.size == 0 ? last_us : g.at(0).time_us;
  hit.last_us = last_us;
  for (std::uint32_t i = 0; i < g.size; ++i) {
    const Entry& e = g.at(i);
    const std::string_view account = split_evidence(SharedTexts::text(e.evidence)).first;
    if (!account.empty() &&
        std::find(hit.accounts.begin(), hit.accounts.end(), account) == hit.accounts.end()) {
      hit.accounts.emplace_back(account);
    }
    if (hit.evidence.size() < kMaxEvidence) hit.evidence.push_back(evidence_of(e));
  }
  out.push_back(std::move(hit));
}

void CorrelationWindow::close(std::string_view key, Group& g, std::vector<Hit>& out) {
  if (g.size > 0 && rule_.condition.holds(measure(g))) emit(key, g, g.at(g.size - 1).time_us, out);
  clear(g);
}

void CorrelationWindow::close_all(std::int64_t before, std::vector<Hit>& out) {
  std::vector<Ending>& ending = ending_;
  ending.clear();
  for (std::size_t i = 0; i < groups_.slot_count(); ++i) {
    auto* r = groups_.at(i);
    if (r && r->value.size > 0 && r->value.mark_us + rule_.timespan_us < before) {
      ending.push_back({r->value.mark_us, r->key(), &r->value});
    }
  }
  std::sort(ending.begin(), ending.end(), [](const Ending& a, const Ending& b) {
    return a.start != b.start ? a.start < b.start : a.key < b.key;
  });
  for (const Ending& e : ending)
    close(e.key, *e.group, out);
}

void CorrelationWindow::advance(std::int64_t now, std::vector<Hit>& out) {
  if (swept_once_ && now - last_sweep_ < rule_.timespan_us) return;
  swept_once_ = true;
  last_sweep_ = now;
  if (window_end_) close_all(now, out);
  for (std::size_t i = 0; i < groups_.slot_count();) {
    auto* r = groups_.at(i);
    if (!r) {
      ++i;
      continue;
    }
    Group& g = r->value;
    if (!window_end_) slide(g, now);
    const bool idle =
        rule_.type == CorrelationType::kGeoVelocity
            ? !g.extra || !g.extra->has_last || g.extra->last.time_us < now - rule_.timespan_us
            : g.size == 0 && (!g.fired || g.mark_us < now);
    if (idle) {
      clear(g);
      if (g.extra && g.extra->has_last) release(g.extra->last);
      groups_.erase_at(i);  // slot i now holds a later group, or none
    } else {
      ++i;
    }
  }
  groups_.shrink();
}

void CorrelationWindow::finish(std::vector<Hit>& out) {
  if (window_end_) close_all(std::numeric_limits<std::int64_t>::max(), out);
}

std::uint32_t CorrelationWindow::file_index(std::string_view file) {
  for (std::size_t i = files_.size(); i-- > 0;) {
    if (files_[i].data() == file.data() && files_[i].size() == file.size()) {
      return static_cast<std::uint32_t>(i);
    }
  }
  files_.push_back(file);
  return static_cast<std::uint32_t>(files_.size() - 1);
}

void CorrelationWindow::feed(std::size_t pos, const model::Event& event, std::string_view summary,
                             std::vector<Hit>& out) {
  const std::int64_t now = event.time_us;
  if (rule_.type == CorrelationType::kGeoVelocity && !rule_.geo.ignore.branches.empty() &&
      matches(rule_.geo.ignore, event)) {
    return;
  }
  std::string& key = scratch_;
  key.clear();
  const std::vector<model::FieldId>& fields = rule_.group_fields[pos];
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const model::Value& v = event.get(fields[i]);
    if (model::is_absent(v)) return;
    if (fields.size() == 1) {
      append_text(v, key);
      break;
    }
    if (i) key += ',';
    key += rule_.group_by[i];
    key += '=';
    append_text(v, key);
  }
  // The group, the evidence text and the value text are each found by a hash lookup in state
  // that is usually out of cache by now: hash all three and prefetch their table lines first so
  // the misses overlap instead of following one another.
  const std::uint64_t key_hash = SharedTexts::hash(key);
  groups_.prefetch(key_hash);
  Entry entry;
  std::string& value_text = value_scratch_;
  value_text.clear();
  std::uint64_t value_hash = 0;
  if (rule_.type == CorrelationType::kValueCount) {
    const model::Value& v = event.get(rule_.value_field);
    if (model::is_absent(v)) return;
    append_text(v, value_text);
    value_hash = SharedTexts::hash(value_text);
    texts_.prefetch(value_hash);
  } else if (measures_numbers(rule_.type)) {
    const model::Value& v = event.get(rule_.value_field);
    if (model::is_absent(v)) return;
    const std::optional<double> n = numeric(v);
    if (!n) {
      ++non_numeric_;
      return;
    }
    entry.value = std::bit_cast<std::uint64_t>(*n);
  }

  // The entry's texts, shared with every other entry that has the same ones.
  const std::uint32_t file = file_index(event.origin.file);
  std::string& evidence = evidence_scratch_;
  evidence.assign(reinterpret_cast<const char*>(&file), 4);
  evidence += event.str(kUserName);
  evidence += '\0';
  evidence += summary;
  const std::uint64_t evidence_hash = SharedTexts::hash(evidence);
  texts_.prefetch(evidence_hash);

  auto* record = groups_.find(key, key_hash);
  if (!record) record = &groups_.insert(key, key_hash);
  Group& g = record->value;
  const std::string_view group_key = record->key();
  // The ring's ends are read next (newest time, the slide): start loading them while the texts
  // are looked up.
  if (g.size > 0) {
    __builtin_prefetch(&g.at(g.size - 1));
    __builtin_prefetch(&g.at(0));
  }
  entry.time_us = now;
  entry.line_pos = (event.origin.line & kLineMask) | static_cast<std::uint64_t>(pos) << 48;
  entry.evidence = texts_.acquire(evidence, evidence_hash);
  if (rule_.type == CorrelationType::kValueCount) {
    entry.value = reinterpret_cast<std::uintptr_t>(texts_.acquire(value_text, value_hash));
  }

  // A late event is judged at the group's newest time, as if it had arrived in order; one that
  // no window ending then could hold is dropped and counted.
  const std::int64_t newest = g.size > 0 ? std::max(now, g.at(g.size - 1).time_us) : now;
  if (!window_end_ && rule_.type != CorrelationType::kGeoVelocity &&
      now < newest - rule_.timespan_us) {
    ++too_late_;
    release(entry);
    return;
  }

  if (rule_.type == CorrelationType::kGeoVelocity) {
    feed_geo(group_key, g, entry, event, out);
    return;
  }
  if (window_end_) {
    if (g.size > 0 && now > g.mark_us + rule_.timespan_us) close(group_key, g, out);
    if (g.size == 0) g.mark_us = now;
  } else {
    slide(g, newest);
  }
  if (rule_.type == CorrelationType::kValueCount) add_value(g, as_ref(entry.value));
  if (rule_.type == CorrelationType::kTemporal) ++extra(g).per_rule[pos];
  if (measures_numbers(rule_.type)) extra(g).sum += std::bit_cast<double>(entry.value);
  push(g, entry);
  if (g.size > kMaxEntriesPerGroup) drop_front(g);
  if (window_end_) return;

  if (g.fired && newest <= g.mark_us) return;
  if (!rule_.condition.holds(measure(g))) return;
  g.fired = true;
  g.mark_us = newest + rule_.timespan_us;
  emit(group_key, g, newest, out);
}

void CorrelationWindow::feed_geo(std::string_view key, Group& g, const Entry& entry,
                                 const model::Event& event, std::vector<Hit>& out) {
  const GeoVelocity& geo = rule_.geo;
  const std::optional<double> lat = number(event.get(geo.lat));
  const std::optional<double> lon = number(event.get(geo.lon));
  if (!lat || !lon) {  // not located
    release(entry);
    return;
  }
  const double accuracy = geo.accuracy ? number(event.get(*geo.accuracy)).value_or(0) : 0;
  const std::int64_t now = entry.time_us;
  Extra& x = extra(g);
  if (x.has_last && now - x.last.time_us <= rule_.timespan_us) {
    const double raw = distance_km(x.last_lat, x.last_lon, *lat, *lon);
    const double km = std::max(0.0, raw - x.last_accuracy - accuracy);
    const double hours = static_cast<double>(now - x.last.time_us) / 3.6e9;
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
      hit.group_key = display_key(key);
      hit.window_us = rule_.timespan_us;
      hit.first_us = x.last.time_us;
      hit.last_us = now;
      for (const Entry* e : {static_cast<const Entry*>(&x.last), &entry}) {
        Evidence ev = evidence_of(*e);
        if (!ev.account.empty() &&
            std::find(hit.accounts.begin(), hit.accounts.end(), ev.account) == hit.accounts.end()) {
          hit.accounts.push_back(ev.account);
        }
        ev.summary += (ev.summary.empty() ? "" : ", ") + std::string(figures);
        hit.evidence.push_back(std::move(ev));
      }
      out.push_back(std::move(hit));
    }
  }
  if (x.has_last) release(x.last);
  x.has_last = true;
  x.last = entry;
  x.last_lat = *lat;
  x.last_lon = *lon;
  x.last_accuracy = accuracy;
}

}  // namespace vetter::rules
