// x-tests parsing: field names against the catalogue, values converted to the field's type.
#include "test_spec.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "matcher.h"
#include "vetter/model/ip.h"
#include "vetter/model/time.h"
#include "vetter/rules/codes.h"

namespace vetter::rules {
namespace {

const std::set<std::string> kCaseKeys = {"name", "expect", "count", "accounts", "event", "events"};

std::optional<model::Value> convert(model::FieldId id, const YAML::Node& node, std::string& why) {
  const model::FieldType type = model::Fields::info(id).type;
  if (type == model::FieldType::kStringList) {
    std::vector<std::string> items;
    if (node.IsScalar()) {
      items.push_back(node.Scalar());
    } else if (node.IsSequence()) {
      for (const YAML::Node& item : node) {
        if (!item.IsScalar()) {
          why = "a list of values";
          return std::nullopt;
        }
        items.push_back(item.Scalar());
      }
    } else {
      why = "a value or a list of values";
      return std::nullopt;
    }
    return items;
  }
  if (!node.IsScalar()) {
    why = "a single value";
    return std::nullopt;
  }
  const std::string& t = node.Scalar();
  switch (type) {
    case model::FieldType::kString:
      return t;
    case model::FieldType::kInt: {
      std::int64_t v = 0;
      auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc{} || ptr != t.data() + t.size()) break;
      return v;
    }
    case model::FieldType::kFloat: {
      double v = 0;
      auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc{} || ptr != t.data() + t.size()) break;
      return v;
    }
    case model::FieldType::kBool:
      if (t == "true") return true;
      if (t == "false") return false;
      break;
    case model::FieldType::kIp:
      if (auto ip = model::IpAddress::parse(t)) return ip->to_string();
      break;
    case model::FieldType::kTime:
      if (auto us = model::parse_iso8601(t)) return *us;
      break;
    case model::FieldType::kStringList:
      break;
  }
  why = "a value of type " + std::string(model::to_string(type));
  return std::nullopt;
}

bool read_event(const YAML::Node& fields, CompileContext& ctx, model::Event& event) {
  if (!fields.IsMap()) {
    ctx.error(codes::kTests, fields,
              std::string(messages::kBadTests) + ": 'event' must map field names to values");
    return false;
  }
  bool ok = true;
  for (const auto& item : fields) {
    const std::string name = item.first.IsScalar() ? item.first.Scalar() : std::string();
    const std::optional<model::FieldId> id = model::Fields::find(name);
    if (!id) {
      const std::string hint = closest_field(name);
      ctx.error(codes::kTests, item.first,
                std::string(messages::kBadTests) + ": " + std::string(messages::kUnknownField) +
                    " '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
      ok = false;
      continue;
    }
    std::string why;
    std::optional<model::Value> v = convert(*id, item.second, why);
    if (!v) {
      ctx.error(codes::kTests, item.second,
                std::string(messages::kBadTests) + ": '" + name + "' needs " + why);
      ok = false;
      continue;
    }
    event.set(*id, std::move(*v));
  }
  return ok;
}

}  // namespace

std::int64_t test_epoch_us() {
  return model::days_from_civil(2026, 1, 5) * 86'400'000'000LL;
}

std::vector<RuleTestSpec> read_tests(const YAML::Node& tests, CompileContext& ctx) {
  std::vector<RuleTestSpec> out;
  if (!tests.IsSequence()) {
    ctx.error(codes::kTests, tests,
              std::string(messages::kBadTests) + ": 'x-tests' must be a list");
    return out;
  }
  for (const YAML::Node& c : tests) {
    if (!c.IsMap()) {
      ctx.error(codes::kTests, c, std::string(messages::kBadTests) + ": each test must be a map");
      continue;
    }
    RuleTestSpec spec;
    spec.where = where(ctx.file, c);
    bool ok = true;
    for (const auto& item : c) {
      const std::string k = item.first.IsScalar() ? item.first.Scalar() : std::string();
      if (!kCaseKeys.count(k)) {
        ctx.error(codes::kTests, item.first,
                  std::string(messages::kBadTests) + ": unknown key '" + k +
                      "' (name, expect, count, accounts, event, events)");
        ok = false;
      }
    }
    if (const YAML::Node n = c["name"]; n && n.IsScalar()) spec.name = n.Scalar();
    const YAML::Node expect = c["expect"];
    const std::string e = expect && expect.IsScalar() ? expect.Scalar() : std::string();
    if (e == "match") {
      spec.expect_match = true;
    } else if (e == "no-match") {
      spec.expect_match = false;
    } else {
      ctx.error(codes::kTests, expect ? expect : c,
                std::string(messages::kBadTests) + ": 'expect' must be match or no-match");
      ok = false;
    }
    if (const YAML::Node n = c["count"]) {
      std::size_t v = 0;
      const std::string t = n.IsScalar() ? n.Scalar() : std::string();
      auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc{} || ptr != t.data() + t.size()) {
        ctx.error(codes::kTests, n,
                  std::string(messages::kBadTests) + ": 'count' must be a number");
        ok = false;
      } else {
        spec.count = v;
      }
    }
    if (const YAML::Node n = c["accounts"]) {
      std::vector<std::string> accounts;
      if (n.IsSequence()) {
        for (const YAML::Node& a : n) {
          if (a.IsScalar()) accounts.push_back(a.Scalar());
        }
      }
      if (!n.IsSequence() || accounts.size() != n.size()) {
        ctx.error(codes::kTests, n,
                  std::string(messages::kBadTests) + ": 'accounts' must be a list");
        ok = false;
      }
      spec.accounts = std::move(accounts);
    }
    const YAML::Node single = c["event"];
    const YAML::Node many = c["events"];
    if (static_cast<bool>(single) == static_cast<bool>(many)) {
      ctx.error(codes::kTests, c,
                std::string(messages::kBadTests) + ": give either 'event' or 'events'");
      continue;
    }
    if (single) {
      RuleTestEvent te;
      te.event.origin = {"x-tests", 1};
      ok &= read_event(single, ctx, te.event);
      spec.events.push_back(std::move(te));
    } else if (!many.IsSequence()) {
      ctx.error(codes::kTests, many,
                std::string(messages::kBadTests) + ": 'events' must be a list");
      ok = false;
    } else {
      std::uint64_t line = 0;
      for (const YAML::Node& item : many) {
        RuleTestEvent te;
        te.event.origin = {"x-tests", ++line};
        if (!item.IsMap() || !item["event"]) {
          ctx.error(codes::kTests, item,
                    std::string(messages::kBadTests) +
                        ": each of 'events' is {offset: 1h, event: {...}}");
          ok = false;
          continue;
        }
        if (const YAML::Node offset = item["offset"]) {
          std::optional<std::int64_t> us =
              offset.IsScalar() ? model::parse_duration_us(offset.Scalar()) : std::nullopt;
          if (!us) {
            ctx.error(
                codes::kTests, offset,
                std::string(messages::kBadTests) + ": " + std::string(messages::kBadTimespan));
            ok = false;
          } else {
            te.offset_us = *us;
          }
        }
        ok &= read_event(item["event"], ctx, te.event);
        spec.events.push_back(std::move(te));
      }
    }
    std::stable_sort(
        spec.events.begin(), spec.events.end(),
        [](const RuleTestEvent& a, const RuleTestEvent& b) { return a.offset_us < b.offset_us; });
    for (RuleTestEvent& te : spec.events)
      te.event.time_us = test_epoch_us() + te.offset_us;
    if (ok) out.push_back(std::move(spec));
  }
  return out;
}

}  // namespace vetter::rules
