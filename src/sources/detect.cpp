// Auto-detection: compiling `detect:` (Loader) and which definition's `detect:` fits the head of a
// file (Catalog::detect).
#include "vetter/sources/source.h"

#include <string>
#include <vector>

#include "loader.h"
#include "mapping.h"

namespace vetter::sources {

// detect: {contains: [text, ...], regex: ['re2', ...]} (one or a list each; at least one).
void Loader::compile_detect(const YAML::Node& node, Mapping& mapping) {
  if (!node.IsMap()) {
    error("E-SOURCE-VALUE", node, "detect must be a mapping {contains: [texts], regex: 're2'}");
    return;
  }
  DetectRule rule;
  // A bad entry is reported once; "needs contains or regex" only when nothing else was wrong.
  const bool failed_before = failed_;
  failed_ = false;
  for (const auto& kv : node) {
    const std::string key = kv.first.as<std::string>();
    if (key == "contains") {
      for (const YAML::Node& item : one_or_many(kv.second)) {
        if (!scalar(item, "a detect.contains entry")) continue;
        if (item.Scalar().empty()) {
          error("E-SOURCE-VALUE", item, "a detect.contains entry must not be empty");
          continue;
        }
        rule.contains.push_back(item.Scalar());
      }
    } else if (key == "regex") {
      for (const YAML::Node& item : one_or_many(kv.second)) {
        if (auto compiled = compile_regex(item, "detect.regex"))
          rule.regexes.push_back(compiled->re);
      }
    } else {
      error("E-SOURCE-KEY", kv.first, "unknown detect option '" + key + "' (contains, regex)");
    }
  }
  const bool entry_failed = failed_;
  failed_ = failed_ || failed_before;
  if (entry_failed) return;
  if (rule.contains.empty() && rule.regexes.empty()) {
    error("E-SOURCE-VALUE", node, "detect needs `contains`, `regex` or both");
    return;
  }
  mapping.detect = std::move(rule);
}

bool DetectRule::matches(std::string_view head) const {
  for (const std::string& text : contains) {
    if (head.find(text) == std::string_view::npos) return false;
  }
  for (const auto& re : regexes) {
    if (!re2::RE2::PartialMatch(head, *re)) return false;
  }
  return true;
}

static std::string_view detect_head(std::string_view bytes) {
  // Blank lines and indentation before the first record say nothing about the vendor.
  std::size_t start = 0;
  while (start < bytes.size() && (bytes[start] == ' ' || bytes[start] == '\t' ||
                                  bytes[start] == '\r' || bytes[start] == '\n')) {
    ++start;
  }
  return bytes.substr(start);
}

std::vector<const Source*> Catalog::detect_candidates(std::string_view head) const {
  std::vector<const Source*> out;
  for (const auto& [name, source] : sources_) {
    const Mapping* mapping = source->mapping_.get();
    if (mapping != nullptr && mapping->detect && mapping->detect->matches(head))
      out.push_back(source.get());
  }
  return out;
}

std::vector<const Source*> Catalog::detect_file(const std::string& path) const {
  if (path == "-") return {};
  std::string bytes;
  model::CollectingDiagnostics quiet;
  if (!ingest::read_head(path, kDetectHeadBytes, bytes, quiet)) return {};
  const std::string_view head = detect_head(bytes);
  if (head.empty()) return {};
  return detect_candidates(head);
}

const Source* Catalog::detect(const std::string& path, model::Diagnostics& diags) const {
  if (path == "-") {
    diags.error("E-INPUT-SOURCE", "-",
                "standard input cannot be auto-detected; name its source as SOURCE:-");
    return nullptr;
  }
  std::string bytes;
  if (!ingest::read_head(path, kDetectHeadBytes, bytes, diags)) return nullptr;
  const std::string_view head = detect_head(bytes);
  if (head.empty()) {
    diags.error("E-INPUT-SOURCE", path,
                "is empty (or holds only blank lines), so its source cannot be detected; name it "
                "as SOURCE:PATH if it should be read anyway");
    return nullptr;
  }
  const std::vector<const Source*> found = detect_candidates(head);
  if (found.size() == 1) return found.front();
  std::string list;
  if (found.empty()) {
    for (const auto& [name, source] : sources_) {
      if (!list.empty()) list += ", ";
      list += name;
    }
    diags.error("E-INPUT-SOURCE", path,
                "matches no source definition's `detect:` (checked on its first " +
                    std::to_string(kDetectHeadBytes / 1024) +
                    " KiB); name it as SOURCE:PATH (known sources: " + list +
                    "), or add a definition (rules/sources/README.md)");
    return nullptr;
  }
  for (const Source* source : found) {
    if (!list.empty()) list += ", ";
    list += source->name() + " (" + source->path() + ")";
  }
  diags.error("E-INPUT-SOURCE", path,
              "is ambiguous: it fits the `detect:` of " + std::to_string(found.size()) +
                  " sources: " + list + "; name it as SOURCE:PATH");
  return nullptr;
}

}  // namespace vetter::sources
