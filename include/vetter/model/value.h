// One field's value in a normalized event.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vetter::model {

// Absent (monostate) is distinct from an empty string: Sigma's `null` and `exists` need it.
// IP addresses are held in their canonical text form; model/ip.h parses them when needed.
using Value =
    std::variant<std::monostate, std::string, std::int64_t, double, bool, std::vector<std::string>>;

inline bool is_absent(const Value& v) {
  return std::holds_alternative<std::monostate>(v);
}

// Text form used by reports, explain output and string comparisons in rules:
// ints as decimal, doubles with up to 6 significant decimals, bools as true/false, lists joined by
// ",".
std::string to_text(const Value& v);

}  // namespace vetter::model
