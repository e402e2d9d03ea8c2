// Reading rule files: the only place yaml-cpp's parse exceptions are caught and turned into data.
#include "document_reader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <istream>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "vetter/rules/codes.h"

namespace vetter::rules {
namespace {

namespace fs = std::filesystem;

// YAML says map keys are unique, but yaml-cpp keeps duplicates; a repeated selection or field
// would silently lose one of its values, so every map is checked. Returns false on a duplicate.
bool unique_keys(const YAML::Node& node, const std::string& name, model::Diagnostics& diags) {
  bool ok = true;
  if (node.IsMap()) {
    std::vector<std::pair<std::string, YAML::Mark>> seen;
    for (const auto& item : node) {
      if (item.first.IsScalar()) {
        const std::string& key = item.first.Scalar();
        auto first =
            std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == key; });
        if (first != seen.end()) {
          diags.error(std::string(codes::kYaml), where(name, item.first.Mark()),
                      std::string(messages::kDuplicateKey) + " '" + key + "' (first at " +
                          where(name, first->second) + ")");
          ok = false;
        } else {
          seen.emplace_back(key, item.first.Mark());
        }
      }
      ok &= unique_keys(item.second, name, diags);
    }
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node)
      ok &= unique_keys(item, name, diags);
  }
  return ok;
}

// yaml-cpp 0.7 (Debian 12) has a parser bug: on some malformed input, such as a stray ',' at the
// top level, LoadAll keeps producing empty documents without consuming input, allocating until
// memory runs out (jbeder/yaml-cpp#1040, fixed upstream by #1318/#1319; Falco met it as
// falcosecurity/falco#3281). A first pass over the parser's events stops as soon as a document
// consumes nothing, so such a file is one E-RULE-YAML error instead of a dead process.
class ProgressCheck : public YAML::EventHandler {
 public:
  YAML::Mark first;  // where the current document's first event is
  bool only_null = true;

  void OnDocumentStart(const YAML::Mark& mark) override {
    first = mark;
    only_null = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { first = mark; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { only_null = false; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    only_null = false;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    only_null = false;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    only_null = false;
  }
  void OnMapEnd() override {}
};

// False (with the position) when the parser stops making progress. Throws what yaml-cpp throws.
bool parser_makes_progress(const std::string& text, YAML::Mark& stuck_at) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  ProgressCheck check;
  int last_null_pos = -1;
  std::size_t documents = 0;
  while (parser.HandleNextDocument(check)) {
    // Every real document consumes at least one byte, so there cannot be more than bytes.
    if (++documents > text.size() + 1 || (check.only_null && check.first.pos == last_null_pos)) {
      stuck_at = check.first;
      return false;
    }
    last_null_pos = check.only_null ? check.first.pos : -1;
  }
  return true;
}

void parse_into(const std::string& text, const std::string& name, model::Diagnostics& diags,
                std::vector<Document>& out) {
  try {
    YAML::Mark stuck_at;
    if (!parser_makes_progress(text, stuck_at)) {
      diags.error(std::string(codes::kYaml), where(name, stuck_at),
                  std::string(messages::kYamlSyntax) + ": " + std::string(messages::kYamlStuck));
      return;
    }
    for (YAML::Node& node : YAML::LoadAll(text)) {
      // An empty document (a trailing `---`) is not a rule; skip it quietly.
      if (node.IsNull()) continue;
      if (!unique_keys(node, name, diags)) continue;
      out.push_back({name, std::move(node)});
    }
  } catch (const YAML::Exception& e) {
    diags.error(std::string(codes::kYaml), where(name, e.mark),
                std::string(messages::kYamlSyntax) + ": " + e.msg);
  }
}

bool is_rule_file(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".yml" || ext == ".yaml";
}

}  // namespace

std::string where(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return file;
  return file + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

std::string where(const std::string& file, const YAML::Node& node) {
  return where(file, node.Mark());
}

std::vector<Document> read_text(std::string_view text, const std::string& name,
                                model::Diagnostics& diags) {
  std::vector<Document> out;
  parse_into(std::string(text), name, diags, out);
  return out;
}

std::vector<Document> read_documents(const std::vector<std::string>& paths,
                                     model::Diagnostics& diags) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file(ec) && is_rule_file(entry.path())) {
          found.push_back(entry.path().string());
        }
      }
      if (ec) {
        diags.error(std::string(codes::kIo), path,
                    std::string(messages::kCannotRead) + ": " + ec.message());
        continue;
      }
      std::sort(found.begin(), found.end());
      if (found.empty()) {
        diags.warning(std::string(codes::kNoRules), path, std::string(messages::kNoRuleFiles));
      }
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  std::vector<Document> out;
  for (const std::string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      diags.error(std::string(codes::kIo), file, std::string(messages::kCannotRead));
      continue;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    parse_into(buffer.str(), file, diags, out);
  }
  return out;
}

}  // namespace vetter::rules
