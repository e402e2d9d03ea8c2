// Benchmark (run on purpose, never by ctest): events per second through the rule engine.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "rules_test_support.h"

using namespace vetter;
using namespace vetter::rules;
using namespace vetter::rules::testing;

namespace {

// `n` detection rules of the kinds the dprk pack uses, none of which match the synthetic events
// except every tenth, plus the shipped pack.
std::string synthetic_rules(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    text += "title: synthetic " + std::to_string(i) + "\nlevel: low\ndetection:\n";
    switch (i % 4) {
      case 0:
        text +=
            "  sel:\n    event.category: [authentication, vpn]\n    user_agent.original|contains:"
            " [tool" +
            std::to_string(i) + ", other" + std::to_string(i) + "]\n";
        break;
      case 1:
        text += "  sel:\n    source.ip|cidr: [10." + std::to_string(i % 256) + ".0.0/16]\n";
        break;
      case 2:
        text += "  sel:\n    host.name|re: '^farm-" + std::to_string(i) + "-[0-9]+$'\n";
        break;
      default:
        text +=
            "  sel:\n    source.lists: list" + std::to_string(i) + "\n    event.outcome: success\n";
    }
    text +=
        "  filter:\n    source.connection_type: Cellular\n  condition: sel and not filter\n---\n";
  }
  return text;
}

}  // namespace

int main() {
  for (int n : {2, 100, 1000}) {
    model::CollectingDiagnostics diags;
    RuleSet set = n == 2
                      ? RuleSet::load({std::string(VETTER_SOURCE_DIR) + "/rules/dprk"}, {}, diags)
                      : RuleSet::load_text(synthetic_rules(n), "synthetic.yml", {}, diags);
    if (errors(diags)) {
      std::printf("load failed:\n%s", dump(diags).c_str());
      return 1;
    }
    std::vector<model::Event> events;
    const int kEvents = n >= 1000 ? 20'000 : 200'000;
    events.reserve(kEvents);
    for (int i = 0; i < kEvents; ++i) {
      const std::string ip = "203.0." + std::to_string(i % 200) + "." + std::to_string(i % 7);
      const std::string user = "user" + std::to_string(i % 5000);
      model::Event e = make_event({{"event.category", i % 2 ? "authentication" : "vpn"},
                                   {"event.outcome", "success"},
                                   {"user.name", user.c_str()},
                                   {"source.ip", ip.c_str()},
                                   {"source.lists", "residential"},
                                   {"host.name", "LAPTOP-1234"},
                                   {"user_agent.original", "Mozilla/5.0 (Windows NT 10.0)"},
                                   {"source.connection_type", "Cable/DSL"}},
                                  static_cast<std::int64_t>(i) * 60 * kSecond);
      events.push_back(std::move(e));
    }
    Engine engine(set);
    std::vector<Hit> hits;
    const auto start = std::chrono::steady_clock::now();
    for (const model::Event& e : events)
      engine.process(e, hits);
    engine.finish(hits);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%5zu rules (%zu compiled): %8d events in %.3f s = %10.0f events/s, %zu hits\n",
                set.all_rules().size(), set.all_rules().size(), kEvents, s, kEvents / s,
                hits.size());
  }
}
