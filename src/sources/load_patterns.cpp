// Loader, the keys that make records from text: `pattern` (RE2 with named groups), `header`
// (a regex, or segments) and `bodies` (regexes or {name} templates) per header key.
#include "loader.h"

#include <algorithm>
#include <cctype>

namespace vetter::sources {

void Loader::compile_patterns(const YAML::Node& node, Mapping& mapping) {
  for (const YAML::Node& item : one_or_many(node)) {
    std::optional<Pattern> compiled = compile_regex(item, "pattern");
    if (!compiled) continue;
    Pattern& pattern = *compiled;
    if (pattern.groups.empty()) {
      error("E-SOURCE-PATTERN", item, "pattern has no named group (?P<name>...) to capture");
      continue;
    }
    if (pattern.groups.size() > kMaxCaptures) {
      error("E-SOURCE-PATTERN", item,
            "pattern has more than " + std::to_string(kMaxCaptures) + " named groups");
      continue;
    }
    mapping.max_captures = std::max(mapping.max_captures, pattern.groups.size());
    mapping.max_groups = std::max(mapping.max_groups, pattern.re->NumberOfCapturingGroups());
    mapping.patterns.push_back(std::move(pattern));
  }
  // One DFA pass finds which patterns match, instead of running each pattern's (long, shared)
  // header regex in turn; the first matching one is then run for its captures.
  if (mapping.patterns.size() > 1) {
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto set = std::make_shared<re2::RE2::Set>(options, re2::RE2::UNANCHORED);
    bool ok = true;
    for (const Pattern& pattern : mapping.patterns)
      ok = ok && set->Add(pattern.re->pattern(), nullptr) >= 0;
    if (ok && set->Compile()) mapping.pattern_set = std::move(set);
  }
}

// segments: ['regex', {name: 'regex'}, ...]
bool Loader::compile_segments(const YAML::Node& node, Dispatch& dispatch) {
  if (!node.IsSequence() || node.size() == 0) {
    error("E-SOURCE-VALUE", node, "header.segments is a list of regexes or {name: regex}");
    return false;
  }
  for (const YAML::Node& item : node) {
    Segment segment;
    YAML::Node text = item;
    if (item.IsMap()) {
      if (item.size() != 1) {
        error("E-SOURCE-VALUE", item, "a named segment is one {name: regex}");
        return false;
      }
      segment.name = item.begin()->first.as<std::string>();
      text = item.begin()->second;
    }
    std::optional<Pattern> re = compile_regex(text, "a header segment");
    if (!re) return false;
    segment.re = std::move(re->re);
    dispatch.segments.push_back(std::move(segment));
  }
  return true;
}

// 'Group <{group}> User <{user}> ...': literals and holes; {_} is a hole that is not kept.
bool Loader::compile_template(const YAML::Node& node, Template& out) {
  const std::string& text = node.Scalar();
  out.literals.assign(1, std::string());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') {
      error("E-SOURCE-VALUE", node, "template has a '}' without its '{'");
      return false;
    }
    if (text[i] != '{') {
      out.literals.back().push_back(text[i]);
      continue;
    }
    const std::size_t close = text.find('}', i);
    std::string name = text.substr(i + 1, close == std::string::npos ? 0 : close - i - 1);
    std::string excluded;
    if (const std::size_t bang = name.find('!'); bang != std::string::npos) {
      excluded = name.substr(bang + 1);
      name.resize(bang);
      if (excluded.find(' ') != std::string::npos) excluded += "\t\n\v\f\r";
    }
    const bool valid =
        close != std::string::npos && !name.empty() &&
        std::all_of(name.begin(), name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
        });
    if (!valid) {
      error("E-SOURCE-VALUE", node,
            "template holes are {name} or {name!chars} (name: letters, digits, _ . -)");
      return false;
    }
    if (!out.holes.empty() && out.literals.back().empty()) {
      error("E-SOURCE-VALUE", node,
            "template has two holes with no text between them: where would one end?");
      return false;
    }
    out.holes.push_back(name == "_" ? std::string() : std::move(name));
    Template::CharSet set;
    for (char c : excluded)
      set.add(static_cast<unsigned char>(c));
    out.excluded.push_back(set);
    out.literals.emplace_back();
    i = close;
  }
  return true;
}

// One RE2 with named groups, or nullopt (reported).
std::optional<Pattern> Loader::compile_regex(const YAML::Node& item, std::string_view what) {
  if (!scalar(item, what)) return std::nullopt;
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<re2::RE2>(item.Scalar(), options);
  if (!re->ok()) {
    error("E-SOURCE-PATTERN", item, std::string(what) + " does not compile: " + re->error());
    return std::nullopt;
  }
  Pattern pattern;
  for (const auto& [group, index] : re->NamedCapturingGroups())
    pattern.groups.emplace_back(index, group);
  pattern.re = std::move(re);
  return pattern;
}

// header: {pattern: '^...(?P<msgid>\d+): ', key: msgid};  bodies: {'113039': regex or [list]}
void Loader::compile_dispatch(const YAML::Node& root, Mapping& mapping) {
  const YAML::Node header = root["header"];
  const YAML::Node bodies = root["bodies"];
  if (!header || !bodies) {
    error("E-SOURCE-KEY", header ? header : bodies, "header and bodies go together");
    return;
  }
  if (root["pattern"]) {
    error("E-SOURCE-KEY", header, "a definition has either pattern or header and bodies");
    return;
  }
  if (!header.IsMap() || !(header["pattern"] || header["segments"]) || !header["key"] ||
      !scalar(header["key"], "key")) {
    error("E-SOURCE-VALUE", header,
          "header is {pattern: regex, key: group} or {segments: [...], key: segment name}");
    return;
  }
  for (const auto& kv : header) {
    const std::string key = kv.first.as<std::string>();
    if (key != "pattern" && key != "key" && key != "segments")
      error("E-SOURCE-KEY", kv.first,
            "unknown header option '" + key + "' (pattern or segments, key)");
  }
  Dispatch dispatch;
  const std::string& key = header["key"].Scalar();
  dispatch.key = key;
  std::size_t header_captures = 0;
  if (const YAML::Node segments = header["segments"]) {
    if (header["pattern"]) {
      error("E-SOURCE-KEY", segments, "a header has either pattern or segments");
      return;
    }
    if (!compile_segments(segments, dispatch)) return;
    bool has_key = false;
    for (const Segment& segment : dispatch.segments) {
      has_key = has_key || segment.name == key;
      header_captures += segment.name.empty() ? 0 : 1;
    }
    if (!has_key) {
      error("E-SOURCE-PATTERN", header["key"], "no header segment is named '" + key + "'");
      return;
    }
  } else {
    std::optional<Pattern> head = compile_regex(header["pattern"], "header.pattern");
    if (!head) return;
    const auto group = head->re->NamedCapturingGroups().find(key);
    if (group == head->re->NamedCapturingGroups().end()) {
      error("E-SOURCE-PATTERN", header["key"],
            "header.pattern has no group (?P<" + key + ">...) for the key");
      return;
    }
    dispatch.key_group = group->second;
    header_captures = head->groups.size();
    dispatch.header = std::move(*head);
  }
  if (!bodies.IsMap()) {
    error("E-SOURCE-VALUE", bodies, "bodies maps a key value to a regex or a list of regexes");
    return;
  }
  std::size_t most = 0;
  for (const auto& kv : bodies) {
    std::vector<Body>& list = dispatch.bodies[kv.first.as<std::string>()];
    for (const YAML::Node& item : one_or_many(kv.second)) {
      Body body;
      if (item.IsMap()) {
        const YAML::Node text = item["template"];
        if (!text || item.size() != 1 || !scalar(text, "template")) {
          error("E-SOURCE-VALUE", item, "a body is a regex or {template: 'text {hole} text'}");
          continue;
        }
        if (!compile_template(text, body.text)) continue;
        std::size_t named = 0;
        for (const std::string& hole : body.text.holes)
          named += hole.empty() ? 0 : 1;
        most = std::max(most, named);
      } else {
        body.regex = compile_regex(item, "a body pattern");
        if (!body.regex) continue;
        most = std::max(most, body.regex->groups.size());
      }
      list.push_back(std::move(body));
    }
  }
  mapping.max_captures = header_captures + most;
  if (mapping.max_captures > kMaxCaptures) {
    error("E-SOURCE-PATTERN", bodies,
          "a header and body capture more than " + std::to_string(kMaxCaptures) + " named groups");
    return;
  }
  mapping.dispatch = std::move(dispatch);
}

}  // namespace vetter::sources
