// Where compile problems go: every message names the file position and the rule's title.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "document_reader.h"
#include "vetter/model/diagnostics.h"

namespace vetter::rules {

// One per rule being compiled. `failed` turns true on the first error; compilation goes on so
// that every problem of the rule is reported in the same run.
struct CompileContext {
  const std::string& file;
  std::string title;  // empty until known
  model::Diagnostics& diags;
  bool failed = false;
  std::set<std::string>* used_placeholders =
      nullptr;  // filled by `expand`, for the unused-list warning

  std::string prefix() const { return title.empty() ? std::string() : "rule '" + title + "': "; }
  void error(std::string_view code, const std::string& at, const std::string& message) {
    failed = true;
    diags.error(std::string(code), at, prefix() + message);
  }
  void error(std::string_view code, const YAML::Node& at, const std::string& message) {
    error(code, where(file, at), message);
  }
  void warning(std::string_view code, const YAML::Node& at, const std::string& message) {
    diags.warning(std::string(code), where(file, at), prefix() + message);
  }
};

}  // namespace vetter::rules
