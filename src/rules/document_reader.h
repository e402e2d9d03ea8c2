// Stage 1 of loading: rule files and directories into YAML documents that keep their line:col.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "vetter/model/diagnostics.h"

namespace vetter::rules {

struct Document {
  std::string file;  // path as given (or the name passed to read_text)
  YAML::Node node;   // one `---` document
};

// Reads every path (a directory contributes its *.yml/*.yaml files, sorted by name). A file with
// a YAML syntax error contributes no documents; the error is reported with file:line:col.
std::vector<Document> read_documents(const std::vector<std::string>& paths,
                                     model::Diagnostics& diags);

// Same, for text held in memory (tests, x-tests); `name` stands in for the file name.
std::vector<Document> read_text(std::string_view text, const std::string& name,
                                model::Diagnostics& diags);

// "file:line:col", 1-based, from a yaml-cpp mark (0-based).
std::string where(const std::string& file, const YAML::Mark& mark);
std::string where(const std::string& file, const YAML::Node& node);

}  // namespace vetter::rules
