// Private to sources: Loader, which compiles one YAML source definition into a Mapping. Its
// methods live in loader.cpp (with the format reference), load_patterns.cpp (`pattern`, `header`,
// `bodies`) and detect.cpp (`detect:`).
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping.h"

namespace vetter::sources {

// A key that takes one value or a list of them (`pattern: x` or `pattern: [x, y]`): the items.
inline std::vector<YAML::Node> one_or_many(const YAML::Node& node) {
  if (!node.IsSequence()) return {node};
  std::vector<YAML::Node> items;
  for (const YAML::Node& item : node)
    items.push_back(item);
  return items;
}

// Compiles one definition; every problem is reported, and the result is usable only if none was.
class Loader {
 public:
  Loader(std::string file, model::Diagnostics& diags, std::shared_ptr<const std::string> hmac_key)
      : file_(std::move(file)), diags_(diags), hmac_key_(std::move(hmac_key)) {}

  std::shared_ptr<const Source> load(const YAML::Node& root);

 private:
  void error(const char* code, const YAML::Node& node, std::string message);
  bool scalar(const YAML::Node& node, std::string_view what);
  std::string required_string(const YAML::Node& root, const char* key);
  std::vector<Path> paths(const YAML::Node& node, std::string_view what);
  void compile_time(const YAML::Node& node, TimeRule& rule);
  void add_time_format(const YAML::Node& node, TimeRule& rule);
  bool boolean(const YAML::Node& node);
  void compile_detect(const YAML::Node& node, Mapping& mapping);
  void compile_patterns(const YAML::Node& node, Mapping& mapping);
  bool compile_segments(const YAML::Node& node, Dispatch& dispatch);
  bool compile_template(const YAML::Node& node, Template& out);
  std::optional<Pattern> compile_regex(const YAML::Node& item, std::string_view what);
  void compile_dispatch(const YAML::Node& root, Mapping& mapping);
  void compile_splitter(const YAML::Node& node, Splitter::Kind kind, Mapping& mapping);
  void compile_rows(const YAML::Node& node, Mapping& mapping);
  void compile_filters(const YAML::Node& node, Mapping& mapping);
  void compile_field(const YAML::Node& key, const YAML::Node& spec, Mapping& mapping);
  std::optional<model::Value> constant(const YAML::Node& node, const FieldRule& rule);

  std::string file_;
  model::Diagnostics& diags_;
  std::shared_ptr<const std::string> hmac_key_;
  bool failed_ = false;
};

}  // namespace vetter::sources
