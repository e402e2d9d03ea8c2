// Helpers for rules tests: events from field=value text, loading inline YAML, running an engine.
#pragma once

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"
#include "vetter/model/field.h"
#include "vetter/rules/engine.h"
#include "vetter/rules/rule_set.h"

namespace vetter::rules::testing {

// The shipped pack's load options: its %placeholders% come from the shipped value lists
// (rules/lists/<name>.txt), as the default config registers them.
inline LoadOptions shipped_options() {
  LoadOptions options;
  for (const char* name : {"remote_access_tools", "it_roles"}) {
    std::ifstream in(std::string(VETTER_SOURCE_DIR) + "/rules/lists/" + name + ".txt");
    std::string line;
    auto& values = options.placeholders[name];
    while (std::getline(in, line)) {
      if (auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r'))
        line.pop_back();
      if (!line.empty()) values.push_back(line);
    }
  }
  return options;
}

// Values are converted by the field's catalogue type; lists are comma-separated.
inline model::Event make_event(std::initializer_list<std::pair<const char*, const char*>> fields,
                               std::int64_t time_us = 0) {
  model::Event e;
  e.time_us = time_us;
  for (const auto& [name, text] : fields) {
    const model::FieldId id = model::Fields::id(name);
    const std::string t = text;
    switch (model::Fields::info(id).type) {
      case model::FieldType::kInt:
      case model::FieldType::kTime:
        e.set(id, static_cast<std::int64_t>(std::atoll(t.c_str())));
        break;
      case model::FieldType::kFloat:
        e.set(id, std::atof(t.c_str()));
        break;
      case model::FieldType::kBool:
        e.set(id, t == "true");
        break;
      case model::FieldType::kStringList: {
        std::vector<std::string> items;
        std::size_t start = 0;
        while (start <= t.size()) {
          const std::size_t comma = t.find(',', start);
          items.push_back(t.substr(start, comma == std::string::npos ? comma : comma - start));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
        e.set(id, std::move(items));
        break;
      }
      default:
        e.set(id, t);
    }
  }
  return e;
}

struct Loaded {
  model::CollectingDiagnostics diags;
  RuleSet set;
};

inline std::size_t errors(const model::CollectingDiagnostics& d) {
  return d.count(model::Severity::kError);
}

// Finds the first diagnostic with `code`; an empty Diagnostic when there is none.
inline model::Diagnostic find(const model::CollectingDiagnostics& d, std::string_view code) {
  for (const model::Diagnostic& item : d.items()) {
    if (item.code == code) return item;
  }
  return {};
}

inline std::string dump(const model::CollectingDiagnostics& d) {
  std::string out;
  for (const model::Diagnostic& item : d.items())
    out += model::format(item) + "\n";
  return out;
}

// Runs every event through a fresh engine; returns all hits.
inline std::vector<Hit> run(const RuleSet& set, const std::vector<model::Event>& events) {
  Engine engine(set);
  std::vector<Hit> hits;
  for (const model::Event& e : events)
    engine.process(e, hits);
  engine.finish(hits);
  return hits;
}

inline constexpr std::int64_t kSecond = 1'000'000;
inline constexpr std::int64_t kHour = 3600 * kSecond;
inline constexpr std::int64_t kDay = 24 * kHour;

}  // namespace vetter::rules::testing
