// The event codec of PackedEvent: an event's own fields as (id, type, value) records in one buffer.
#include "packed_event.h"

#include <cstring>
#include <type_traits>
#include <variant>
#include <vector>

namespace vetter::app {
namespace {

// The type byte of a record is the model::Value alternative's index. A buffer never outlives the
// process, but the codec below is written against this order: if model::Value gains, loses or
// reorders an alternative, these fail to compile instead of unpacking one type as another.
enum Kind : std::uint8_t { kText = 1, kInt = 2, kReal = 3, kBool = 4, kList = 5 };
static_assert(std::variant_size_v<model::Value> == 6, "PackedEvent's codec knows 6 alternatives");
static_assert(std::is_same_v<std::variant_alternative_t<0, model::Value>, std::monostate>);
static_assert(std::is_same_v<std::variant_alternative_t<kText, model::Value>, std::string>);
static_assert(std::is_same_v<std::variant_alternative_t<kInt, model::Value>, std::int64_t>);
static_assert(std::is_same_v<std::variant_alternative_t<kReal, model::Value>, double>);
static_assert(std::is_same_v<std::variant_alternative_t<kBool, model::Value>, bool>);
static_assert(
    std::is_same_v<std::variant_alternative_t<kList, model::Value>, std::vector<std::string>>);

template <typename T>
void put(char*& p, T v) {
  std::memcpy(p, &v, sizeof v);
  p += sizeof v;
}

template <typename T>
T take(const char*& p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  p += sizeof v;
  return v;
}

// A field's record in PackedEvent::data: id (2 bytes), the Value's alternative index (1 byte),
// then a string as length (4 bytes) + bytes, an int or double as 8 bytes, a bool as 1 byte, a
// list as count (4 bytes) + strings.
constexpr std::size_t kHeader = sizeof(model::FieldId) + 1;

std::size_t packed_size(const model::Value& v) {
  switch (v.index()) {
    case kText:
      return kHeader + 4 + std::get<std::string>(v).size();
    case kInt:
    case kReal:
      return kHeader + 8;
    case kBool:
      return kHeader + 1;
    case kList: {
      std::size_t size = kHeader + 4;
      for (const std::string& item : std::get<std::vector<std::string>>(v))
        size += 4 + item.size();
      return size;
    }
    default:
      return 0;
  }
}

void put_text(char*& p, const std::string& text) {
  put(p, static_cast<std::uint32_t>(text.size()));
  std::memcpy(p, text.data(), text.size());
  p += text.size();
}

std::string_view take_text(const char*& p) {
  const auto size = take<std::uint32_t>(p);
  std::string_view text(p, size);
  p += size;
  return text;
}

void put_value(char*& p, model::FieldId id, const model::Value& v) {
  put(p, id);
  put(p, static_cast<std::uint8_t>(v.index()));
  switch (v.index()) {
    case kText:
      put_text(p, std::get<std::string>(v));
      break;
    case kInt:
      put(p, std::get<std::int64_t>(v));
      break;
    case kReal:
      put(p, std::get<double>(v));
      break;
    case kBool:
      put(p, static_cast<std::uint8_t>(std::get<bool>(v)));
      break;
    case kList: {
      const auto& list = std::get<std::vector<std::string>>(v);
      put(p, static_cast<std::uint32_t>(list.size()));
      for (const std::string& item : list)
        put_text(p, item);
      break;
    }
  }
}

// Reads one record into `out`, assigning in place so a string slot keeps its buffer.
void take_value(const char*& p, model::Event& out) {
  const auto id = take<model::FieldId>(p);
  switch (take<std::uint8_t>(p)) {
    case kText:
      out.set(id, take_text(p));
      break;
    case kInt:
      out.set(id, take<std::int64_t>(p));
      break;
    case kReal:
      out.set(id, take<double>(p));
      break;
    case kBool:
      out.set(id, take<std::uint8_t>(p) != 0);
      break;
    case kList: {
      model::Value& v = out.slot(id);
      auto* list = std::get_if<std::vector<std::string>>(&v);
      if (!list) list = &v.emplace<std::vector<std::string>>();
      list->resize(take<std::uint32_t>(p));
      for (std::string& item : *list)
        item.assign(take_text(p));
      break;
    }
  }
}

}  // namespace

PackedEvent PackedEvent::pack(model::Event& event, std::uint64_t seq, std::string&& buffer) {
  std::size_t size = event.matches.known ? 4 * event.matches.rules.size() : 0;
  // The event's own fields only: its base (the worker's HR profile) lives as long as the scan
  // and goes by pointer.
  event.for_each_own([&](model::FieldId, const model::Value& v) { size += packed_size(v); });
  // A recycled buffer far bigger than this event would hold that memory while the event waits
  // (an hour of VPN events in the reorder buffer): then a fresh one of the right size is cheaper.
  PackedEvent out{
      event.time_us, seq,
      event.origin,  event.base(),
      kUnmatched,    buffer.capacity() <= 2 * size + 64 ? std::move(buffer) : std::string()};
  out.data.resize(size);
  char* p = out.data.data();
  if (event.matches.known) {
    out.matches = static_cast<std::uint32_t>(event.matches.rules.size());
    for (std::uint32_t rule : event.matches.rules)
      put(p, rule);
  }
  event.for_each_own([&](model::FieldId id, const model::Value& v) { put_value(p, id, v); });
  // Only the presence bits go: the slots keep their buffers for the next event mapped into it.
  event.clear();
  return out;
}

void PackedEvent::unpack(model::Event& out) const {
  // Fields `out` held become absent; the ones this event sets are assigned in place, so a string
  // slot keeps its buffer (the consumer's reused Event costs no allocation for most fields).
  out.clear();
  out.time_us = time_us;
  out.origin = origin;
  out.set_base(base);
  const char* p = data.data();
  const char* const end = p + data.size();
  if (matches != kUnmatched) {
    out.matches.known = true;
    out.matches.rules.resize(matches);
    for (std::uint32_t& rule : out.matches.rules)
      rule = take<std::uint32_t>(p);
  }
  while (p < end)
    take_value(p, out);
}

}  // namespace vetter::app
