// FieldSet: the shared, read-only field sets events take as their base.
#include "vetter/model/field_set.h"

#include <iterator>
#include <utility>

namespace vetter::model {

void FieldSet::set(FieldId id, Value v) {
  const auto at = values_.begin() + static_cast<std::ptrdiff_t>(rank(id));
  const std::uint64_t bit = std::uint64_t{1} << (id & 63);
  if (is_absent(v)) {
    if (has(id)) {
      values_.erase(at);
      present_[id >> 6] &= ~bit;
    }
    return;
  }
  if (has(id)) {
    *at = std::move(v);
    return;
  }
  values_.insert(at, std::move(v));
  present_[id >> 6] |= bit;
}

}  // namespace vetter::model
