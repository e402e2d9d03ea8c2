// Text rendering of field values, shared by reports and rule string comparisons.
#include <cstdio>
#include <utility>

#include "vetter/model/event.h"
#include "vetter/model/value.h"

namespace vetter::model {

std::string to_text(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", d);
      return buf;
    }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::vector<std::string>& list) const {
      std::string out;
      for (const auto& item : list) {
        if (!out.empty()) out += ',';
        out += item;
      }
      return out;
    }
  };
  return std::visit(Visitor{}, v);
}

std::string_view Event::str(FieldId id) const {
  if (const auto* s = std::get_if<std::string>(&get(id))) return *s;
  return {};
}

std::string& Event::text_slot(FieldId id) {
  if (slots_.empty()) slots_.resize(Fields::count());
  Value& v = slots_[id];
  auto* s = std::get_if<std::string>(&v);
  if (!s) {
    s = &v.emplace<std::string>();
  } else if (!owns(id)) {
    s->clear();
  }
  mark(id);
  return *s;
}

bool Event::same_fields(const Event& other) const {
  PresenceBits mine = present_, theirs = other.present_;
  for (std::size_t w = 0; w < mine.size(); ++w) {
    if (base_) mine[w] |= base_->bits()[w];
    if (other.base_) theirs[w] |= other.base_->bits()[w];
  }
  if (mine != theirs) return false;
  bool same = true;
  for_each([&](FieldId id, const Value& v) { same = same && v == other.get(id); });
  return same;
}

void Event::own_base() {
  const FieldSet* base = std::exchange(base_, nullptr);
  if (slots_.empty()) slots_.resize(Fields::count());
  base->for_each([&](FieldId id, const Value& v) {
    if (owns(id)) return;
    slots_[id] = v;
    mark(id);
  });
}

}  // namespace vetter::model
