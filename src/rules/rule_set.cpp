// RuleSet: the loader's driver. Each pass reports every problem it finds before the next runs.
#include "vetter/rules/rule_set.h"

#include "compiled.h"
#include "document_reader.h"
#include "loader.h"
#include "vetter/rules/codes.h"

namespace vetter::rules {

double default_points(const std::string& level) {
  if (level == "informational") return 5;
  if (level == "low") return 15;
  if (level == "medium") return 35;
  if (level == "high") return 60;
  if (level == "critical") return 90;
  return 0;
}

std::string default_family(const RuleInfo& info) {
  // Tags that name what a rule observes; the first one a rule carries decides.
  static const std::pair<std::string_view, std::string_view> kByTag[] = {
      {"dprk.laptop-farm", "shared-infrastructure"},
      {"attack.t1219", "remote-access"},
      {"attack.t1090", "anonymizer"},
      {"attack.t1200", "device"},
  };
  for (const auto& tag : info.tags) {
    for (const auto& [prefix, family] : kByTag) {
      if (tag.starts_with(prefix)) return std::string(family);
    }
  }
  if (!info.name.empty()) return info.name;
  if (!info.id.empty()) return info.id;
  return info.title;
}

namespace {

// The loader's edge: yaml-cpp throws on node misuse; every pass guards its own steps, and this
// catch is the last line, so that no exception crosses the module's API.
std::shared_ptr<CompiledRules> compile_safely(const std::vector<Document>& documents,
                                              const LoadOptions& options,
                                              model::Diagnostics& diags) {
  try {
    return compile_documents(documents, options, diags);
  } catch (const YAML::Exception& e) {
    diags.error(std::string(codes::kYaml), e.mark.is_null() ? std::string() : where("", e.mark),
                std::string(messages::kYamlSyntax) + ": " + e.msg);
  } catch (const std::exception& e) {
    diags.error(std::string(codes::kYaml), "",
                std::string(messages::kYamlSyntax) + ": " + e.what());
  }
  return std::make_shared<CompiledRules>();
}

}  // namespace

RuleSet RuleSet::load(const std::vector<std::string>& paths, const LoadOptions& options,
                      model::Diagnostics& diags) {
  // Pass 1: files and directories to YAML documents with positions.
  const std::vector<Document> documents = read_documents(paths, diags);
  // Passes 2-4: collect, compile, resolve and index (loader.cpp).
  RuleSet set;
  set.compiled_ = compile_safely(documents, options, diags);
  return set;
}

RuleSet RuleSet::load_text(std::string_view text, const std::string& name,
                           const LoadOptions& options, model::Diagnostics& diags) {
  const std::vector<Document> documents = read_text(text, name, diags);
  RuleSet set;
  set.compiled_ = compile_safely(documents, options, diags);
  return set;
}

const std::vector<RuleInfo>& RuleSet::rules() const {
  static const std::vector<RuleInfo> kNone;
  return compiled_ ? compiled_->reporting : kNone;
}

const std::vector<RuleInfo>& RuleSet::all_rules() const {
  static const std::vector<RuleInfo> kNone;
  return compiled_ ? compiled_->infos : kNone;
}

}  // namespace vetter::rules
