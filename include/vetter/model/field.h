// The normalized event's field catalogue: every field a source may set and a rule may test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace vetter::model {

enum class FieldType : std::uint8_t { kString, kInt, kFloat, kBool, kIp, kStringList, kTime };

std::string_view to_string(FieldType type);

// A field's slot in Event::fields. Stable within one build; never persisted.
using FieldId = std::uint16_t;
// The catalogue's size limit (Event keeps one presence bit per field in a fixed array).
inline constexpr std::size_t kMaxFields = 128;

struct FieldInfo {
  std::string_view name;  // ECS-style dotted name, e.g. "source.geo.country_iso_code"
  FieldType type;
  std::string_view description;
};

// The fixed catalogue. Rules compile field names to ids once; events index by id.
class Fields {
 public:
  static std::span<const FieldInfo> all();
  static std::size_t count() { return all().size(); }
  // nullopt when `name` is not a known field (callers report it with their own context).
  static std::optional<FieldId> find(std::string_view name);
  static const FieldInfo& info(FieldId id) { return all()[id]; }
  // find() for names known at compile time; aborts on a typo, which is a programming error.
  static FieldId id(std::string_view name);
};

}  // namespace vetter::model
