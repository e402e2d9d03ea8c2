// Benchmark (run on purpose, never by ctest): events per second through the rule engine, and the
// memory one correlation holds for many group keys.
//
//   bench_rules              detection throughput: shipped pack, 100 and 1000 synthetic rules,
//                            without and with the value index, in the same run
//   bench_rules only R       just the indexed case with R rules (0: shipped pack), for perf
//   bench_rules groups [N [TYPE [E]]]
//                            N distinct group keys (default 1,000,000), E events each (default
//                            2), through an event_count or value_count correlation (default
//                            event_count): peak RSS and bytes per group
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "rules_test_support.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

namespace {

// `n` detection rules in the shapes real Sigma rules take: equals, contains, startswith, endswith,
// cidr, re, value lists (YAML lists of alternatives), `1 of`, filters; spread over four
// logsource categories and some with none. Every 25th rule matches a share of the events;
// the rest test the same fields with values the events do not carry (benign look-alikes).
std::string synthetic_rules(int n) {
  static const char* kCategories[] = {"authentication", "vpn", "inventory", "hr", ""};
  std::string text;
  for (int i = 0; i < n; ++i) {
    const std::string k = std::to_string(i);
    const bool hits = i % 25 == 0;
    text += "title: synthetic " + k + "\nid: syn-" + k + "\nlevel: low\n";
    const char* category = kCategories[i % 5];
    if (*category) text += "logsource:\n  category: " + std::string(category) + "\n";
    text += "detection:\n";
    switch (i % 8) {
      case 0:  // equals, a list of alternatives
        text += "  sel:\n    event.outcome: " + std::string(hits ? "success" : "denied" + k) +
                "\n    event.action: [logon" + k + ", login-" + k + ", session-start" +
                (hits ? "" : k) + "]\n";
        break;
      case 1:  // contains, several literals
        text += "  sel:\n    user_agent.original|contains: [" +
                std::string(hits ? "Windows NT" : "tool" + k) + ", curl/" + k + ", python-" + k +
                "]\n";
        break;
      case 2:  // startswith / endswith
        text += "  sel_host:\n    host.name|startswith: [farm" + k + "-, " +
                (hits ? "laptop-" : "vm-" + k) +
                "]\n  sel_user:\n    user.name|endswith: '@contractor" + k + ".example'\n";
        break;
      case 3:  // cidr
        text += "  sel:\n    source.ip|cidr: [" +
                (hits ? "203.0.0.0/16" : "10." + std::to_string(i % 256) + ".0.0/16") + ", 172." +
                std::to_string(16 + i % 16) + ".0.0/12, 2001:db8:" + k + "::/48]\n";
        break;
      case 4:  // re
        text += "  sel:\n    host.name|re: '^farm-" + k + "-[0-9]+$'\n";
        break;
      case 5:  // list field membership and equality
        text += "  sel:\n    source.lists: list" + k + "\n    event.outcome: success\n";
        break;
      case 6:  // country codes and anonymizer flags
        text += "  sel:\n    source.geo.country_iso_code: [K" + std::string(1, 'A' + i % 26) +
                ", X" + std::string(1, 'A' + i % 26) + "]\n    source.anonymous.vpn: true\n";
        break;
      default:  // app names, contains with an inner wildcard (glob)
        text += "  sel:\n    app.name|contains: ['remote*" + k + "', 'viewer " + k + "']\n";
    }
    text += "  filter:\n    source.connection_type: Cellular\n  condition: " +
            std::string(i % 8 == 2 ? "1 of sel_*" : "sel") + " and not filter\n---\n";
  }
  return text;
}

// A pool of distinct events, replayed in turn with increasing times: the engine sees each event
// as it comes out of a mapper, hot in cache (a scan reuses one Event buffer per chunk), rather
// than walking gigabytes of prepared events.
constexpr int kPool = 256;

std::vector<model::Event> synthetic_events() {
  static const char* kCategories[] = {"authentication", "vpn", "inventory", "hr"};
  std::vector<model::Event> events;
  events.reserve(kPool);
  for (int i = 0; i < kPool; ++i) {
    // about three users per address, as the shipped pack's shared-IP rules expect to see
    const std::string ip = "203.0." + std::to_string(i % 32) + "." + std::to_string(i % 3);
    const std::string user = "user" + std::to_string(i) + "@corp.example";
    events.push_back(make_event({{"event.category", kCategories[i % 4]},
                                 {"event.outcome", "success"},
                                 {"event.action", "session-start"},
                                 {"user.name", user.c_str()},
                                 {"source.ip", ip.c_str()},
                                 {"source.lists", "residential"},
                                 {"source.geo.country_iso_code", "US"},
                                 {"host.name", "LAPTOP-1234"},
                                 {"app.name", "Google Chrome"},
                                 {"user_agent.original", "Mozilla/5.0 (Windows NT 10.0)"},
                                 {"source.connection_type", "Cable/DSL"}}));
  }
  return events;
}

double run(const RuleSet& set, std::vector<model::Event>& pool, int count, bool index,
           std::size_t& hits_out) {
  Engine engine(set, EngineOptions{index});
  std::vector<Hit> hits;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    model::Event& e = pool[static_cast<std::size_t>(i) % pool.size()];
    e.time_us = static_cast<std::int64_t>(i) * 60 * kSecond;
    engine.process(e, hits);
    hits_out += hits.size();
    hits.clear();
  }
  engine.finish(hits);
  hits_out += hits.size();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// `only`: run just the case with that many rules (0: the shipped pack), e.g. under perf.
int throughput(int only) {
  double load[3] = {0, 0, 0};
  if (std::ifstream in("/proc/loadavg"); in) in >> load[0] >> load[1] >> load[2];
  std::printf(
      "load average %.2f %.2f %.2f; single thread; best of 3 runs each; baseline = every "
      "rule of the event's category evaluated (EngineOptions{.index = false})\n",
      load[0], load[1], load[2]);
  std::printf(
      "synthetic rules: equals/lists, contains, startswith/endswith with 1 of, cidr "
      "(v4+v6), re, list fields, flags, glob; 5 logsource categories; each with a filter\n");
  struct Case {
    const char* name;
    int rules;  // 0: the shipped pack
    int events;
  };
  for (const Case& c : {Case{"shipped pack", 0, 200'000}, Case{"synthetic", 100, 400'000},
                        Case{"synthetic", 1000, 100'000}}) {
    if (only >= 0 && c.rules != only) continue;
    model::CollectingDiagnostics diags;
    RuleSet set = c.rules == 0
                      ? RuleSet::load({std::string(VETTER_SOURCE_DIR) + "/rules/dprk"},
                                      shipped_options(), diags)
                      : RuleSet::load_text(synthetic_rules(c.rules), "synthetic.yml", {}, diags);
    if (errors(diags)) {
      std::printf("load failed:\n%s", dump(diags).c_str());
      return 1;
    }
    std::vector<model::Event> pool = synthetic_events();
    double rate[2] = {0, 0};
    std::size_t hits[2] = {0, 0};
    for (int index = 0; index < 2; ++index) {
      if (only >= 0 && index == 0) continue;  // profiling: the indexed path only
      double best = 1e9;
      for (int r = 0; r < 3; ++r) {
        hits[index] = 0;
        best = std::min(best, run(set, pool, c.events, index == 1, hits[index]));
      }
      rate[index] = c.events / best;
    }
    std::printf(
        "%-12s %5zu rules, %7d events: baseline %9.0f events/s, indexed %9.0f events/s "
        "(%.2fx); hits %zu / %zu%s\n",
        c.name, set.all_rules().size(), c.events, rate[0], rate[1],
        rate[0] > 0 ? rate[1] / rate[0] : 0.0, hits[0], hits[1],
        only < 0 && hits[0] != hits[1] ? "  MISMATCH" : "");
  }
  return 0;
}

long peak_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

long rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

// N distinct source.ip groups, `rounds` events each, through one correlation; events are built one
// at a time so the figure is the engine's state, not the input.
int groups(long n, const char* type, int rounds) {
  const std::string rule =
      std::string(
          "title: base\nname: base\nlevel: low\nlogsource:\n  category: authentication\n"
          "detection:\n  sel:\n    event.outcome: success\n  condition: sel\n---\n"
          "title: many groups\nlevel: low\ncorrelation:\n  type: ") +
      type + "\n  rules: base\n  group-by: [source.ip]\n  timespan: 30d\n" +
      (std::strcmp(type, "value_count") == 0 ? "  condition: {gte: 3, field: user.name}\n"
                                             : "  condition: {gte: 3}\n");
  model::CollectingDiagnostics diags;
  RuleSet set = RuleSet::load_text(rule, "groups.yml", {}, diags);
  if (errors(diags)) {
    std::printf("load failed:\n%s", dump(diags).c_str());
    return 1;
  }
  Engine engine(set);
  std::vector<Hit> hits;
  const long before = rss_kb();
  model::Event e = make_event({{"event.category", "authentication"}, {"event.outcome", "success"}});
  const model::FieldId ip = model::Fields::id("source.ip");
  const model::FieldId user = model::Fields::id("user.name");
  const auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < rounds; ++round) {
    for (long i = 0; i < n; ++i) {
      e.time_us = (round * n + i) * 1000;  // all within the 30-day timespan
      char buf[48];
      std::snprintf(buf, sizeof buf, "10.%ld.%ld.%ld", (i >> 16) & 255, (i >> 8) & 255, i & 255);
      e.set(ip, std::string(buf));
      std::snprintf(buf, sizeof buf, "user%ld@corp.example", i % 1000 + round);
      e.set(user, std::string(buf));
      engine.process(e, hits);
      hits.clear();
    }
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long peak = peak_rss_kb();
  const long after = rss_kb();
  std::printf(
      "%-11s %ld groups x %d events: %.2f s; RSS before %ld MB, after %ld MB, peak %ld MB; "
      "%.0f bytes per group (RSS growth); target peak < 200 MB: %s\n",
      type, n, rounds, s, before / 1024, after / 1024, peak / 1024,
      static_cast<double>(after - before) * 1024.0 / static_cast<double>(n),
      peak < 200 * 1024 ? "met" : "NOT met");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "groups") == 0) {
    const long n = argc >= 3 ? std::atol(argv[2]) : 1'000'000;
    const char* type = argc >= 4 ? argv[3] : "event_count";
    const int rounds = argc >= 5 ? std::max(1, std::atoi(argv[4])) : 2;
    return groups(n, type, rounds);
  }
  if (argc >= 3 && std::strcmp(argv[1], "only") == 0) return throughput(std::atoi(argv[2]));
  if (argc >= 2) {
    std::fprintf(
        stderr,
        "usage: bench_rules [only RULES | groups [N [event_count|value_count [EVENTS]]]]\n");
    return 2;
  }
  return throughput(-1);
}
