// One selection item, `field|modifiers: values`, compiled to a field slot and value matchers.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include "compile_context.h"
#include "vetter/model/event.h"
#include "vetter/model/field.h"
#include "vetter/model/ip.h"

namespace vetter::rules {

enum class MatchKind : std::uint8_t {
  kEquals,      // whole value, no wildcards
  kContains,    // substring, no wildcards
  kStartsWith,  // prefix, no wildcards
  kEndsWith,    // suffix, no wildcards
  kGlob,        // `*` and `?` wildcards
  kRegex,       // RE2 partial match
  kCidr,        // source.ip|cidr
  kExists,      // field|exists: true/false
  kNull,        // `null`: the field is absent
  kLt,
  kLte,
  kGt,
  kGte,
  kFieldRef,   // equal to another field of the same event
  kNumEquals,  // time part equal to `number`
};

// Sigma v2.1 time modifiers: the part of a date a test compares.
enum class TimePart : std::uint8_t { kNone, kMinute, kHour, kDay, kWeek, kMonth, kYear };

struct ValueMatcher {
  MatchKind kind = MatchKind::kEquals;
  bool cased = false;              // compare case-sensitively (`cased`); otherwise text is lower
  std::string text;                // pattern text, lower-cased unless `cased`
  std::vector<std::uint8_t> glob;  // kGlob: per char of `text`, 0 literal, 1 '*', 2 '?'
  std::shared_ptr<const RE2> regex;
  model::Cidr cidr;
  double number = 0;
  bool exists = true;
  model::FieldId ref = 0;
};

struct FieldTest {
  model::FieldId field = 0;
  bool all = false;     // every value must match (`all`); otherwise any
  bool negate = false;  // `neq`: the field is present and matches none of the values
  TimePart time_part = TimePart::kNone;  // minute..year: compare that part of a date (UTC)
  std::vector<ValueMatcher> values;
};

// A selection is an OR of branches; a branch is an AND of field tests (Sigma: a list of maps,
// each map's items ANDed).
struct Selection {
  std::string name;
  std::vector<std::vector<FieldTest>> branches;
};

// Compiles `key` (field|mod|mod) with its YAML value. Problems go to `ctx`; nullopt when the item
// cannot be used. `placeholders` feed the `expand` modifier.
std::optional<FieldTest> compile_field_test(
    const YAML::Node& key, const YAML::Node& value,
    const std::map<std::string, std::vector<std::string>>& placeholders, CompileContext& ctx);

// The text form of a scalar value, as string matchers see it (model::to_text without
// allocating: numbers are written into `buf`). Lists and absent values give an empty view.
using TextBuffer = std::array<char, 64>;
std::string_view text_of(const model::Value& v, TextBuffer& buf);

// Appends model::to_text(v) to `out` (same text, lists included) without a string of its own, so
// a caller's reused buffer keeps the engine free of allocation per event.
void append_text(const model::Value& v, std::string& out);

// The address in `text`, parsed once for consecutive calls with the same text (per thread).
const std::optional<model::IpAddress>& parsed_ip(std::string_view text);

// Evaluation: no allocation, no exceptions, no string-keyed lookups.
bool matches(const FieldTest& test, const model::Event& event);
bool matches(const Selection& selection, const model::Event& event);

// The catalogue name closest to `name` (edit distance), for "did you mean" hints; empty if none
// is close.
std::string closest_field(std::string_view name);

}  // namespace vetter::rules
