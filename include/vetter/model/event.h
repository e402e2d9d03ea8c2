// The normalized event every stage after the mappers works on.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "vetter/model/field.h"
#include "vetter/model/value.h"

namespace vetter::model {

// Where an event came from, so every flag can point back at its evidence.
// `file` views storage owned by the run (app::Run keeps the names alive for its whole life).
struct Origin {
  std::string_view file;
  std::uint64_t line = 0;  // 1-based; 0 when the format has no lines (element of a JSON array)
};

struct Event {
  Event() : fields(Fields::count()) {}

  std::int64_t time_us = 0;  // @timestamp, microseconds since the Unix epoch, UTC
  Origin origin;
  std::vector<Value> fields;  // indexed by FieldId; absent fields hold monostate

  const Value& get(FieldId id) const { return fields[id]; }
  void set(FieldId id, Value v) { fields[id] = std::move(v); }
  // The string value of a field, or an empty view when it is absent or not a string.
  std::string_view str(FieldId id) const;
};

}  // namespace vetter::model
