// Applying a compiled source definition to one record: patterns, filters, timestamp, fields,
// through one template over four views. Its parts elsewhere: line_match.cpp (syslog patterns),
// time_parse.cpp (timestamp texts), split.cpp (kv/csv/sd splitters).
#include "mapping.h"

#include "vetter/model/text.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "vetter/model/ip.h"
#include "vetter/model/keys.h"
#include "vetter/model/time.h"

namespace vetter::sources {
namespace {

std::string where_of(const model::Origin& origin) {
  std::string out(origin.file);
  if (origin.line > 0) out += ":" + std::to_string(origin.line);
  return out;
}

// ASCII only, as std::tolower in the "C" locale vetter runs in (never set otherwise), without a
// library call per character: `lower: true` runs on every Okta event's e-mail.
void to_lower(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

using model::iequals;

}  // namespace

Path Path::parse(std::string text) {
  Path path;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = text.find('.', start);
    path.segments.push_back(text.substr(start, dot == std::string::npos ? dot : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  path.text = std::move(text);
  return path;
}

std::optional<Path> Path::parse_template(std::string text, std::string& why) {
  Path path;
  std::string literal;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;  // '{{' and '}}' stand for one brace
      ++i;
      continue;
    }
    if (c == '}') {
      why = "'}' without its '{' (write '}}' for a literal brace)";
      return std::nullopt;
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    const std::size_t close = text.find('}', i + 1);
    if (close == std::string::npos) {
      why = "'{' without its '}'";
      return std::nullopt;
    }
    std::string name = text.substr(i + 1, close - i - 1);
    if (name.empty() || name.find('{') != std::string::npos) {
      why = "a hole is {column name}, not '{" + name + "}'";
      return std::nullopt;
    }
    path.literals.push_back(std::move(literal));
    literal.clear();
    path.holes.push_back(Path::parse(std::move(name)));
    i = close;
  }
  if (path.holes.empty()) {
    why = "a template needs at least one {column}";
    return std::nullopt;
  }
  path.literals.push_back(std::move(literal));
  path.text = std::move(text);
  path.segments = {path.text};
  return path;
}

namespace {

// lookup() from `data` for the path `whole`, whose segments are segments[start..]: a row of a
// `rows:` record is searched with the path's remainder after the row's key.
const nlohmann::json* lookup_in(const nlohmann::json& data, std::string_view whole,
                                const std::vector<std::string>& segments, std::size_t start) {
  if (!data.is_object()) return nullptr;
  auto found = data.find(whole);
  if (found != data.end()) return &*found;
  if (segments.size() < start + 2) return nullptr;
  const nlohmann::json* node = &data;
  for (std::size_t i = start; i < segments.size(); ++i) {
    const std::string& seg = segments[i];
    if (node->is_object()) {
      auto it = node->find(seg);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      if (!parse_number(seg, index) || index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

}  // namespace

const nlohmann::json* lookup(const nlohmann::json& data, const Path& path) {
  return lookup_in(data, path.text, path.segments, 0);
}

bool scalar_text(const nlohmann::json& value, std::string& out) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return false;
    case nlohmann::json::value_t::string:
      out = value.get_ref<const std::string&>();
      return true;
    case nlohmann::json::value_t::boolean:
      out = value.get<bool>() ? "true" : "false";
      return true;
    default:
      // Numbers print exactly as JSON does; objects and arrays as compact JSON. Invalid UTF-8
      // cannot reach here from the readers, but records built elsewhere are not trusted.
      out = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return true;
  }
}

namespace {

// Applies lower/map/default to one raw text; false when the result is absent.
// "192.0.2.1": four decimal octets 0-255 without leading zeros, nothing else.
bool canonical_ipv4(std::string_view t) {
  if (t.size() < 7 || t.size() > 15) return false;
  std::size_t i = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (i >= t.size() || t[i] != '.') return false;
      ++i;
    }
    const std::size_t start = i;
    unsigned value = 0;
    while (i < t.size() && i - start < 3 && t[i] >= '0' && t[i] <= '9')
      value = value * 10 + static_cast<unsigned>(t[i++] - '0');
    if (i == start || value > 255 || (i - start > 1 && t[start] == '0')) return false;
  }
  return i == t.size();
}

bool normalize_text(const FieldRule& rule, bool present, std::string& text) {
  if (present && rule.lower) to_lower(text);
  if (!present || text.empty()) {
    if (!rule.fallback) return false;
    text = *rule.fallback;
    return !text.empty();
  }
  if (!rule.map.empty()) {
    auto it = rule.map.find(text);
    if (it != rule.map.end()) {
      text = it->second;
    } else if (rule.fallback) {
      text = *rule.fallback;
    }
  }
  return !text.empty();
}

void warn_value(const FieldRule& rule, const Mapping& mapping, const model::Origin& origin,
                std::string_view text, std::string_view what, model::Diagnostics& diags) {
  if (!rule.warned.first()) return;
  diags.warning("W-INPUT-VALUE", where_of(origin),
                mapping.name + ": " + rule.target_name + " '" + std::string(text.substr(0, 80)) +
                    "' is not " + std::string(what) +
                    "; the field is left empty (further ones from this source are not reported)");
}

bool parse_bool(std::string_view text, bool& out) {
  for (std::string_view t : {"true", "yes", "y", "1", "on"}) {
    if (iequals(text, t)) return out = true, true;
  }
  for (std::string_view f : {"false", "no", "n", "0", "off"}) {
    if (iequals(text, f)) return out = false, true;
  }
  return false;
}

void add_list_item(const FieldRule& rule, std::string text, std::vector<std::string>& out) {
  auto push = [&](std::string item) {
    if (normalize_text(rule, true, item)) out.push_back(std::move(item));
  };
  if (rule.split.empty()) {
    push(std::move(text));
    return;
  }
  std::size_t start = 0;
  for (;;) {
    std::size_t cut = text.find(rule.split, start);
    std::string item = text.substr(start, cut == std::string::npos ? cut : cut - start);
    while (!item.empty() && item.back() == ' ')
      item.pop_back();
    std::size_t lead = item.find_first_not_of(' ');
    push(lead == std::string::npos ? std::string() : item.substr(lead));
    if (cut == std::string::npos) break;
    start = cut + rule.split.size();
  }
}

// The text at `path` as text() gives it, or a template's value: its literals with each hole's
// text; false when every hole is absent or empty (", , " is no address).
template <typename View>
bool read_text(const View& data, const Path& path, std::string& out) {
  if (!path.is_template()) return data.text(path, out);
  thread_local std::string hole;
  out.clear();
  bool any = false;
  for (std::size_t i = 0; i < path.holes.size(); ++i) {
    out += path.literals[i];
    if (data.text(path.holes[i], hole) && !hole.empty()) {
      out += hole;
      any = true;
    }
  }
  out += path.literals.back();
  return any;
}

// each() for a path that may be a template (a template gives one value).
template <typename View, typename F>
void each_text(const View& data, const Path& path, F f) {
  if (!path.is_template()) return data.each(path, f);
  std::string text;
  if (read_text(data, path, text)) f(std::move(text));
}

// A record as the mapper reads it: text(path) is the scalar text at `path` (false when absent or
// null), each(path, f) calls f for each scalar there (every element of an array). Four views
// below (nlohmann tree, simdjson DOM, syslog line with captures, CSV cells) give the same texts
// for the same record, so one template serves them all.
template <typename View>
void apply_field(const FieldRule& rule, const Mapping& mapping, const View& data,
                 const model::Origin& record, model::Event& out, model::Diagnostics& diags) {
  if (rule.constant) {
    out.set(rule.target, *rule.constant);
    return;
  }
  // One buffer per thread for the text on its way to the event (the event's slot keeps its own):
  // no allocation per field once both have grown.
  thread_local std::string text;
  text.clear();
  if (rule.type == model::FieldType::kStringList) {
    std::vector<std::string> items;
    for (const Path& path : rule.from)
      each_text(data, path,
                [&](std::string&& item) { add_list_item(rule, std::move(item), items); });
    if (items.empty() && rule.fallback) items.push_back(*rule.fallback);
    if (!items.empty()) out.set(rule.target, std::move(items));
    return;
  }

  bool present = false;
  for (const Path& path : rule.from) {
    if (read_text(data, path, text) && !text.empty()) {
      present = true;
      break;
    }
  }
  if (!normalize_text(rule, present, text)) return;

  switch (rule.type) {
    case model::FieldType::kString:
      switch (rule.normalize) {
        case Normalize::kNone:
          break;
        case Normalize::kAddress:
          text = model::address_key(text);
          if (text.empty()) return;  // punctuation only: nothing to compare
          break;
        case Normalize::kPhone: {
          std::string e164 = model::phone_e164(text, rule.calling_code);
          if (e164.empty()) return warn_value(rule, mapping, record, text, "a phone number", diags);
          text = std::move(e164);
          break;
        }
        case Normalize::kDocument: {
          if (!mapping.hmac_key || mapping.hmac_key->empty()) {
            // The value itself is never printed: it is exactly what must not leak.
            if (rule.key_missing.first()) {
              diags.error(
                  "E-CONFIG-HMAC", where_of(record),
                  mapping.name + ": " + rule.target_name +
                      " holds identity or account numbers, which vetter keeps only as "
                      "keyed hashes; give the key in $VETTER_HMAC_KEY or `hmac_key_file:` in "
                      "the config (or drop the column from the mapping)");
            }
            return;
          }
          text = model::document_hash(*mapping.hmac_key, text);
          if (text.empty()) return;
          break;
        }
        case Normalize::kTimeZone: {
          // One it cannot read is kept as written: the enricher names it (W-ENRICH-TZ) and the
          // scan counts such rows (W-HR-UNREAD).
          if (std::string zone = iana_zone_for(text); !zone.empty()) text = std::move(zone);
          break;
        }
        case Normalize::kEmail: {
          std::string key = model::email_key(text);
          if (key.empty())
            return warn_value(rule, mapping, record, text, "an e-mail address", diags);
          text = std::move(key);
          break;
        }
      }
      out.set(rule.target, std::string_view(text));
      return;
    case model::FieldType::kInt: {
      std::int64_t n = 0;
      if (rule.duration) {
        if (auto secs = parse_duration_s(text))
          out.set(rule.target, *secs);
        else
          warn_value(rule, mapping, record, text, "a duration", diags);
      } else if (parse_number(text, n))
        out.set(rule.target, n);
      else
        warn_value(rule, mapping, record, text, "an integer", diags);
      return;
    }
    case model::FieldType::kFloat: {
      double d = 0;
      if (parse_double(text, d))
        out.set(rule.target, d);
      else
        warn_value(rule, mapping, record, text, "a number", diags);
      return;
    }
    case model::FieldType::kBool: {
      bool b = false;
      if (parse_bool(text, b))
        out.set(rule.target, b);
      else
        warn_value(rule, mapping, record, text, "a boolean", diags);
      return;
    }
    case model::FieldType::kIp: {
      // A dotted quad already as inet_ntop prints it is its own canonical form: no parse and
      // print (snprintf) per address on the hot path.
      if (canonical_ipv4(text)) {
        out.set(rule.target, std::string_view(text));
        return;
      }
      if (auto ip = model::IpAddress::parse(text))
        out.set(rule.target, ip->to_string());
      else
        warn_value(rule, mapping, record, text, "an IP address", diags);
      return;
    }
    case model::FieldType::kStringList:
    case model::FieldType::kTime:
      return;  // handled above / rejected at load
  }
}

// Records from read_records and records a pattern or splitter patched.
// Every view also exposes its nodes (Node, find, find_in, node_text, node_each, elements) so that
// RowView can read a row of a `rows:` record through it.
struct TreeView {
  using Node = const nlohmann::json*;
  const nlohmann::json& data;

  bool find(const Path& path, Node& node) const {
    node = lookup(data, path);
    return node != nullptr;
  }
  static bool find_in(Node from, std::string_view whole, const std::vector<std::string>& segments,
                      std::size_t start, Node& node) {
    node = lookup_in(*from, whole, segments, start);
    return node != nullptr;
  }
  static bool node_text(Node node, std::string& out) { return scalar_text(*node, out); }
  template <typename F>
  static void node_each(Node node, F& f) {
    std::string text;
    if (node->is_array()) {
      for (const nlohmann::json& element : *node) {
        if (scalar_text(element, text)) f(std::move(text));
      }
    } else if (scalar_text(*node, text)) {
      f(std::move(text));
    }
  }
  static bool is_array(Node node) { return node->is_array(); }
  static bool is_object(Node node) { return node->is_object(); }
  // Calls f(element) for each element until it returns false.
  template <typename F>
  static void elements(Node node, F f) {
    for (const nlohmann::json& element : *node) {
      if (!f(Node(&element))) return;
    }
  }

  bool text(const Path& path, std::string& out) const {
    const nlohmann::json* node = lookup(data, path);
    return node != nullptr && scalar_text(*node, out);
  }
  template <typename F>
  void each(const Path& path, F f) const {
    const nlohmann::json* node = lookup(data, path);
    if (node != nullptr) node_each(node, f);
  }
};

// A whole subtree as nlohmann would have parsed it: objects and arrays mapped to a scalar field
// print as nlohmann's JSON text (keys sorted, the last of duplicate keys), so they are rebuilt.
nlohmann::json to_tree(simdjson::dom::element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      for (simdjson::dom::key_value_pair field : simdjson::dom::object(e))
        out[std::string(field.key)] = to_tree(field.value);
      return out;
    }
    case simdjson::dom::element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      for (simdjson::dom::element item : simdjson::dom::array(e))
        out.push_back(to_tree(item));
      return out;
    }
    case simdjson::dom::element_type::STRING:
      return std::string(std::string_view(e));
    case simdjson::dom::element_type::INT64:
      return std::int64_t(e);
    case simdjson::dom::element_type::UINT64:
      return std::uint64_t(e);
    case simdjson::dom::element_type::DOUBLE:
      return double(e);
    case simdjson::dom::element_type::BOOL:
      return bool(e);
    case simdjson::dom::element_type::NULL_VALUE:
      break;
  }
  return nullptr;
}

// What nlohmann::json(d).dump() prints (shortest round trip, ".0" on whole numbers, "null" for
// NaN and infinities), without the temporary json and string: nlohmann's serializer calls the
// same detail::to_chars. `buf` must hold 64 chars (nlohmann's own number buffer size).
std::string_view nlohmann_double_text(double d, char* buf) {
  if (!std::isfinite(d)) return "null";
  return {buf, nlohmann::detail::to_chars(buf, buf + 64, d)};
}

// scalar_text for a simdjson element: the same text nlohmann's value would give.
bool dom_scalar_text(simdjson::dom::element e, std::string& out) {
  char buf[64];
  switch (e.type()) {
    case simdjson::dom::element_type::NULL_VALUE:
      return false;
    case simdjson::dom::element_type::STRING:
      out.assign(std::string_view(e));
      return true;
    case simdjson::dom::element_type::BOOL:
      out.assign(bool(e) ? "true" : "false");
      return true;
    case simdjson::dom::element_type::INT64: {
      auto r = std::to_chars(buf, buf + sizeof buf, std::int64_t(e));
      out.assign(buf, r.ptr);
      return true;
    }
    case simdjson::dom::element_type::UINT64: {
      auto r = std::to_chars(buf, buf + sizeof buf, std::uint64_t(e));
      out.assign(buf, r.ptr);
      return true;
    }
    case simdjson::dom::element_type::DOUBLE:
      // nlohmann's own number printing (shortest round trip, ".0" on whole numbers).
      out.assign(nlohmann_double_text(double(e), buf));
      return true;
    case simdjson::dom::element_type::OBJECT:
    case simdjson::dom::element_type::ARRAY:
      out = to_tree(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      return true;
  }
  return false;
}

// nlohmann keeps the last of duplicate keys; so does this.
bool find_key(simdjson::dom::object object, std::string_view key, simdjson::dom::element& out) {
  bool found = false;
  for (simdjson::dom::key_value_pair field : object) {
    if (field.key == key) {
      out = field.value;
      found = true;
    }
  }
  return found;
}

// The top-level keys of one record in order: every path starts there (and dotted paths look
// there twice, for the whole text and the first segment), so one pass over the object replaces a
// walk of the DOM per path. Searched from the back, so the last of duplicate keys wins as in
// nlohmann; linear in the keys, whatever a hostile record holds.
using TopKeys = std::vector<std::pair<std::string_view, simdjson::dom::element>>;

void index_top(simdjson::dom::object object, TopKeys& out) {
  out.clear();
  for (simdjson::dom::key_value_pair field : object)
    out.emplace_back(field.key, field.value);
}

bool find_top(const TopKeys& top, std::string_view key, simdjson::dom::element& out) {
  for (auto it = top.rbegin(); it != top.rend(); ++it) {
    if (it->first == key) {
      out = it->second;
      return true;
    }
  }
  return false;
}

// A prefix's lookup in the current record: not yet looked up, absent, or found at `node`.
struct PrefixMemo {
  enum : std::uint8_t { kUnknown, kAbsent, kFound } state = kUnknown;
  simdjson::dom::element node;
};

// A JSON line parsed by simdjson, read in place: lookup() over the DOM.
struct DomView {
  using Node = simdjson::dom::element;
  const TopKeys& top;
  // The mapping's path prefixes and this record's lookups of them (reset per record): paths that
  // share `client.geographicalContext.` walk it once. Null: every path walks from the top.
  const std::vector<Mapping::Prefix>* prefixes = nullptr;
  std::vector<PrefixMemo>* memo = nullptr;

  // The node at prefix `p` (the same walk find() does, remembered).
  bool resolve(int p, Node& node) const {
    PrefixMemo& m = (*memo)[p];
    if (m.state == PrefixMemo::kUnknown) {
      const Mapping::Prefix& prefix = (*prefixes)[p];
      const bool found = prefix.parent < 0
                             ? find_top(top, prefix.segment, m.node)
                             : resolve(prefix.parent, m.node) && step(prefix.segment, m.node);
      m.state = found ? PrefixMemo::kFound : PrefixMemo::kAbsent;
    }
    node = m.node;
    return m.state == PrefixMemo::kFound;
  }

  // Path segments[start..] below `from`, the whole remainder `whole` tried as one key first.
  static bool find_in(Node from, std::string_view whole, const std::vector<std::string>& segments,
                      std::size_t start, Node& node) {
    if (!from.is_object()) return false;
    if (find_key(simdjson::dom::object(from), whole, node)) return true;
    if (segments.size() < start + 2) return false;
    node = from;
    for (std::size_t i = start; i < segments.size(); ++i) {
      if (!step(segments[i], node)) return false;
    }
    return true;
  }
  static bool step(const std::string& seg, Node& node) {
    if (node.is_object()) return find_key(simdjson::dom::object(node), seg, node);
    if (node.is_array()) {
      std::size_t index = 0;
      if (!parse_number(seg, index)) return false;
      return !simdjson::dom::array(node).at(index).get(node);
    }
    return false;
  }
  static bool node_text(Node node, std::string& out) { return dom_scalar_text(node, out); }
  template <typename F>
  static void node_each(Node node, F& f) {
    std::string text;
    if (node.is_array()) {
      for (simdjson::dom::element element : simdjson::dom::array(node)) {
        if (dom_scalar_text(element, text)) f(std::move(text));
      }
    } else if (dom_scalar_text(node, text)) {
      f(std::move(text));
    }
  }
  static bool is_array(Node node) { return node.is_array(); }
  static bool is_object(Node node) { return node.is_object(); }
  template <typename F>
  static void elements(Node node, F f) {
    for (simdjson::dom::element element : simdjson::dom::array(node)) {
      if (!f(element)) return;
    }
  }

  bool find(const Path& path, simdjson::dom::element& node) const {
    if (find_top(top, path.text, node)) return true;
    if (path.segments.size() < 2) return false;
    if (path.prefix >= 0 && memo != nullptr)
      return resolve(path.prefix, node) && step(path.segments.back(), node);
    if (!find_top(top, path.segments.front(), node)) return false;
    for (std::size_t i = 1; i < path.segments.size(); ++i) {
      const std::string& seg = path.segments[i];
      if (node.is_object()) {
        if (!find_key(simdjson::dom::object(node), seg, node)) return false;
      } else if (node.is_array()) {
        std::size_t index = 0;
        if (!parse_number(seg, index)) return false;
        if (simdjson::dom::array(node).at(index).get(node)) return false;
      } else {
        return false;
      }
    }
    return true;
  }
  bool text(const Path& path, std::string& out) const {
    simdjson::dom::element node;
    return find(path, node) && dom_scalar_text(node, out);
  }
  template <typename F>
  void each(const Path& path, F f) const {
    simdjson::dom::element node;
    if (find(path, node)) node_each(node, f);
  }
};

// A syslog line: {"message", "pri"} plus the matched pattern's captures, which win over both (as
// they overwrite them in the patched tree). Every key is flat, so only whole-path keys match.
struct LineView {
  // Syslog lines hold no arrays: `rows:` is refused for them at load, and finds nothing here.
  using Node = std::string_view;
  bool find(const Path&, Node&) const { return false; }
  static bool find_in(Node, std::string_view, const std::vector<std::string>&, std::size_t, Node&) {
    return false;
  }
  static bool node_text(Node node, std::string& out) { return out.assign(node), true; }
  template <typename F>
  static void node_each(Node node, F& f) {
    f(std::string(node));
  }
  static bool is_array(Node) { return false; }
  static bool is_object(Node) { return false; }
  template <typename F>
  static void elements(Node, F) {}

  std::string_view message;
  int pri = -1;
  const Captures* captures = nullptr;

  bool text(const Path& path, std::string& out) const {
    for (std::size_t i = 0; captures != nullptr && i < captures->count; ++i) {
      if (path.slot >= 0 ? captures->slots[i] == path.slot
                         : captures->items[i].first == path.text) {
        out.assign(captures->items[i].second);
        return true;
      }
    }
    if (path.text == "message") {
      out.assign(message);
      return true;
    }
    if (path.text == "pri" && pri >= 0) {
      out = std::to_string(pri);
      return true;
    }
    return false;
  }
  template <typename F>
  void each(const Path& path, F f) const {
    std::string text;
    if (this->text(path, text)) f(std::move(text));
  }
};

// A CSV row read in place (ingest::CsvRow): the {header: value} tree it stands for is flat and
// holds only strings, so a path is found only as a whole column name, as lookup() finds it there.
// Definitions with `rows:`, patterns or splitters read the tree instead (Mapping::apply).
struct CsvView {
  const ingest::CsvRow& row;

  bool text(const Path& path, std::string& out) const {
    const std::string_view* cell = row.find(path.text);
    if (cell == nullptr) return false;
    out.assign(*cell);
    return true;
  }
  template <typename F>
  void each(const Path& path, F f) const {
    if (const std::string_view* cell = row.find(path.text)) f(std::string(*cell));
  }
};

// One row of a `rows:` record: the row under its `as` key, the row source's `set` keys, and the
// rest of the record as `Base` reads it. A path under `as.` that the row lacks is absent: it does
// not fall back to the record.
template <typename Base>
struct RowView {
  using Node = typename Base::Node;
  const Base& base;
  Node row;
  const RowSource& source;

  const std::string* set_value(const Path& path) const {
    for (const auto& [key, value] : source.set) {
      if (path.text == key) return &value;
    }
    return nullptr;
  }
  // true when `path` names the row or a key in it; `found` says whether it is there.
  bool under_row(const Path& path, Node& node, bool& found) const {
    const std::string& as = source.as;
    if (path.text == as) {
      node = row;
      found = true;
      return true;
    }
    if (path.text.size() > as.size() && path.text.compare(0, as.size(), as) == 0 &&
        path.text[as.size()] == '.') {
      found = Base::find_in(row, std::string_view(path.text).substr(as.size() + 1), path.segments,
                            1, node);
      return true;
    }
    return false;
  }
  bool text(const Path& path, std::string& out) const {
    if (const std::string* value = set_value(path)) {
      out = *value;
      return true;
    }
    Node node{};
    bool found = false;
    if (under_row(path, node, found)) return found && Base::node_text(node, out);
    return base.text(path, out);
  }
  template <typename F>
  void each(const Path& path, F f) const {
    if (const std::string* value = set_value(path)) {
      f(std::string(*value));
      return;
    }
    Node node{};
    bool found = false;
    if (under_row(path, node, found)) {
      if (found) Base::node_each(node, f);
      return;
    }
    base.each(path, f);
  }
};

// "osquery" or "osquery, diffResults.added[3]": who a report is about.
std::string subject(const Mapping& m, const RowRef& row) {
  if (row.source == nullptr) return m.name;
  return m.name + ", " + row.source->path.text + "[" + std::to_string(row.index) + "]";
}

// Filters, timestamp and fields: everything after patterns and splitters.
template <typename View>
MapOutcome map_view(const Mapping& m, const View& data, const model::Origin& origin,
                    model::Event& out, model::Diagnostics& diags, const RowRef& row = {}) {
  thread_local std::string text;  // reused: an ISO timestamp outgrows the small-string buffer
  for (const Filter& filter : m.filters) {
    if (!data.text(filter.path, text)) return MapOutcome::kSkip;
    bool any = false;
    for (const std::string& v : filter.values)
      any = any || v == text;
    if (!any) return MapOutcome::kSkip;
  }

  std::string& when = text;
  bool have_time = false;
  for (const Path& path : m.time.from) {
    if (data.text(path, when) && !when.empty()) {
      have_time = true;
      break;
    }
  }
  if (!have_time) {
    if (!m.time.optional) {
      diags.error("E-INPUT-TIME", where_of(origin),
                  subject(m, row) + ": the record has no timestamp (" +
                      (m.time.from.empty() ? std::string("?") : m.time.from.front().text) + ")");
      return MapOutcome::kBad;
    }
    out.time_us = 0;
  } else {
    // The record's own UTC offset (`offset:`), for %-patterns without %z, replaces the zone.
    std::optional<std::int64_t> offset_s;
    if (m.time.offset_from) {
      std::string offset;
      if (data.text(*m.time.offset_from, offset) && !offset.empty()) {
        offset_s = parse_utc_offset_s(offset);
        if (!offset_s) {
          diags.error("E-INPUT-TIME", where_of(origin),
                      subject(m, row) + ": '" + offset.substr(0, 40) + "' in " +
                          m.time.offset_from->text + " is not a UTC offset (+hhmm, -hh:mm, Z)");
          return MapOutcome::kBad;
        }
      }
    }
    std::optional<std::int64_t> t;
    for (const TimeFormat& format : m.time.formats) {
      if (offset_s && format.kind == TimeKind::kPattern &&
          format.pattern.find("%z") == std::string::npos) {
        if ((t = parse_time(when, format, nullptr))) {
          *t -= *offset_s * 1'000'000;
          break;
        }
        continue;
      }
      if ((t = parse_time(when, format, m.time.zone))) break;
    }
    if (!t) {
      diags.error("E-INPUT-TIME", where_of(origin),
                  subject(m, row) + ": '" + when.substr(0, 80) +
                      "' is not a valid timestamp in the source's format (impossible date?)");
      return MapOutcome::kBad;
    }
    out.time_us = *t;
  }

  for (const FieldRule& rule : m.fields)
    apply_field(rule, m, data, origin, out, diags);
  out.origin = origin;
  return MapOutcome::kEvent;
}

void count(MapOutcome outcome, model::Event& out, const EventSink& sink, MapCounts& counts) {
  switch (outcome) {
    case MapOutcome::kEvent:
      ++counts.events;
      sink(out);
      break;
    case MapOutcome::kSkip:
      ++counts.skipped;
      break;
    case MapOutcome::kBad:
      ++counts.bad;
      break;
  }
}

// Every event of one record: the record itself when the definition has no rows or the record
// holds none of the row arrays (osquery's event format beside its batch format), else one per
// element of each row array present, in the order the definition lists them, at most max_rows.
template <typename View>
void map_rows(const Mapping& m, const View& view, const model::Origin& origin, model::Event& out,
              model::Diagnostics& diags, const EventSink& sink, MapCounts& counts) {
  using Node = typename View::Node;
  bool any = false;
  std::size_t total = 0;
  bool full = false;
  for (const RowSource& source : m.rows) {
    Node node{};
    if (!view.find(source.path, node)) continue;
    any = true;
    if (!View::is_array(node)) {
      diags.error(
          "E-INPUT-ROWS", where_of(origin),
          m.name + ": " + source.path.text + " is not an array of rows; the record is skipped");
      ++counts.bad;
      continue;
    }
    std::size_t index = 0;
    View::elements(node, [&](Node element) {
      if (total == m.max_rows) {
        full = true;
        return false;
      }
      if (total++ > 0) out.clear();
      const RowRef ref{&source, index++};
      if (!View::is_object(element)) {
        // A row is an object of columns; "bad" or 42 would become an event of outer fields only.
        diags.error("E-INPUT-ROWS", where_of(origin),
                    subject(m, ref) + ": the row is not an object of columns; the row is skipped");
        ++counts.bad;
        return true;
      }
      const RowView<View> row{view, element, source};
      count(map_view(m, row, origin, out, diags, ref), out, sink, counts);
      return true;
    });
    if (full) {
      diags.error("E-INPUT-ROWS", where_of(origin),
                  m.name + ": the record has more than " + std::to_string(m.max_rows) +
                      " rows (the definition's max_rows); the rest are dropped");
      ++counts.bad;
      break;
    }
  }
  if (!any) {
    count(map_view(m, view, origin, out, diags), out, sink, counts);
  } else if (counts.events + counts.skipped + counts.bad == 0) {
    ++counts.skipped;  // only empty arrays: nothing happened, nothing is wrong
  }
}

// Runs `done(view)` on the record as the mapper reads it (after patterns and splitters) in the
// cheapest view that gives the same texts; returns kEvent when it did, else the skip or bad outcome
// that came first.
template <typename Done>
MapOutcome visit_raw(const Mapping& m, const ingest::RawRecord& record, model::Diagnostics& diags,
                     Done&& done) {
  const auto via_tree = [&](const nlohmann::json& tree) {
    nlohmann::json patched;
    MapOutcome outcome = MapOutcome::kEvent;
    const nlohmann::json* data = m.prepare_tree(tree, record.origin, patched, diags, outcome);
    if (data == nullptr) return outcome;
    done(TreeView{*data});
    return MapOutcome::kEvent;
  };
  if (record.format == ingest::Format::kSyslog) {
    // Splitters add keys that later paths read, and a pattern on another key than the message
    // reads the tree: both keep the general path. ASA, OpenVPN and most syslog sources do not.
    const bool flat = m.splitters.empty() && m.pattern_field.text == "message";
    if (!flat) return via_tree(ingest::to_json(record));
    LineView view;
    view.message = record.text;
    view.pri = record.pri;
    Captures captures;
    if (m.has_patterns()) {
      if (!m.match_line(record.text, captures)) {
        if (!m.unmatched_is_error) return MapOutcome::kSkip;
        diags.error("E-INPUT-PATTERN", where_of(record.origin),
                    m.name + ": no pattern of the source definition matches this line");
        return MapOutcome::kBad;
      }
      view.captures = &captures;
    }
    done(view);
    return MapOutcome::kEvent;
  }
  if (record.tree != nullptr) return via_tree(*record.tree);
  if (record.json == nullptr || m.has_patterns() || !m.splitters.empty())
    return via_tree(ingest::to_json(record));
  // Reused per thread: indexing a record must not allocate in steady state.
  thread_local TopKeys top;
  thread_local std::vector<PrefixMemo> memo;
  index_top(simdjson::dom::object(*record.json), top);
  memo.assign(m.prefixes.size(), PrefixMemo{});
  done(DomView{top, &m.prefixes, &memo});
  return MapOutcome::kEvent;
}

}  // namespace

MapOutcome Mapping::apply(const ingest::Record& record, model::Event& out,
                          model::Diagnostics& diags) const {
  if (record.csv != nullptr) {
    // Patterns and splitters add keys to the tree; without them the cells are read in place.
    if (has_patterns() || !splitters.empty())
      return apply_tree(ingest::to_json(record), record.origin, out, diags);
    return map_view(*this, CsvView{*record.csv}, record.origin, out, diags);
  }
  return apply_tree(record.data, record.origin, out, diags);
}

const nlohmann::json* Mapping::prepare_tree(const nlohmann::json& record,
                                            const model::Origin& origin, nlohmann::json& patched,
                                            model::Diagnostics& diags, MapOutcome& outcome) const {
  if (!record.is_object()) {
    // The readers only hand out objects; records built elsewhere (the server, tests) may not be.
    diags.error("E-INPUT-JSON", where_of(origin), name + ": the record is not a JSON object");
    outcome = MapOutcome::kBad;
    return nullptr;
  }
  const nlohmann::json* data = &record;
  if (has_patterns()) {
    std::string text;
    const nlohmann::json* message = lookup(record, pattern_field);
    bool matched = false;
    Captures captures;
    if (message != nullptr && scalar_text(*message, text) && match_line(text, captures)) {
      patched = record;
      // Backwards, so that the first capture of a name wins, as in LineView.
      for (std::size_t i = captures.count; i-- > 0;) {
        const auto& [key, value] = captures.items[i];
        patched[std::string(key)] = std::string(value);
      }
      data = &patched;
      matched = true;
    }
    if (!matched) {
      if (!unmatched_is_error) {
        outcome = MapOutcome::kSkip;
        return nullptr;
      }
      diags.error("E-INPUT-PATTERN", where_of(origin),
                  name + ": no pattern of the source definition matches this line");
      outcome = MapOutcome::kBad;
      return nullptr;
    }
  }

  for (const Splitter& splitter : splitters) {
    const nlohmann::json* node = lookup(*data, splitter.from);
    std::string text;
    if (node == nullptr || !scalar_text(*node, text)) continue;
    if (data != &patched) {
      patched = record;
      data = &patched;
    }
    const std::string problem = split_into(splitter, text, patched);
    if (!problem.empty()) {
      // Keys after the fault are lost, so the event could lack its user or address: a bad record
      // (counted, reported, skipped), not a quietly thinner event.
      diags.error("E-INPUT-SD", where_of(origin),
                  name + ": malformed RFC 5424 structured data in " + splitter.from.text + ": " +
                      problem + "; the line is skipped");
      outcome = MapOutcome::kBad;
      return nullptr;
    }
  }
  return data;
}

MapOutcome Mapping::apply_tree(const nlohmann::json& record, const model::Origin& origin,
                               model::Event& out, model::Diagnostics& diags) const {
  nlohmann::json patched;
  MapOutcome outcome = MapOutcome::kEvent;
  const nlohmann::json* data = prepare_tree(record, origin, patched, diags, outcome);
  if (data == nullptr) return outcome;
  return map_view(*this, TreeView{*data}, origin, out, diags);
}

MapCounts Mapping::each_tree(const nlohmann::json& record, const model::Origin& origin,
                             model::Event& out, model::Diagnostics& diags,
                             const EventSink& sink) const {
  MapCounts counts;
  nlohmann::json patched;
  MapOutcome outcome = MapOutcome::kEvent;
  const nlohmann::json* data = prepare_tree(record, origin, patched, diags, outcome);
  if (data == nullptr) {
    count(outcome, out, sink, counts);
    return counts;
  }
  map_rows(*this, TreeView{*data}, origin, out, diags, sink, counts);
  return counts;
}

MapCounts Mapping::apply_each(const ingest::Record& record, model::Event& out,
                              model::Diagnostics& diags, const EventSink& sink) const {
  if (rows.empty()) {
    MapCounts counts;
    count(apply(record, out, diags), out, sink, counts);
    return counts;
  }
  if (record.csv != nullptr)
    return each_tree(ingest::to_json(record), record.origin, out, diags, sink);
  return each_tree(record.data, record.origin, out, diags, sink);
}

MapOutcome Mapping::apply_raw(const ingest::RawRecord& record, model::Event& out,
                              model::Diagnostics& diags) const {
  MapOutcome result = MapOutcome::kEvent;
  const MapOutcome early = visit_raw(*this, record, diags, [&](const auto& view) {
    result = map_view(*this, view, record.origin, out, diags);
  });
  return early == MapOutcome::kEvent ? result : early;
}

MapCounts Mapping::apply_each_raw(const ingest::RawRecord& record, model::Event& out,
                                  model::Diagnostics& diags, const EventSink& sink) const {
  MapCounts counts;
  if (rows.empty()) {
    count(apply_raw(record, out, diags), out, sink, counts);
    return counts;
  }
  const MapOutcome early = visit_raw(*this, record, diags, [&](const auto& view) {
    map_rows(*this, view, record.origin, out, diags, sink, counts);
  });
  if (early != MapOutcome::kEvent) count(early, out, sink, counts);
  return counts;
}

}  // namespace vetter::sources
