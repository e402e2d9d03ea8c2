// RuleSet: the loader's driver. Each pass reports every problem it finds before the next runs.
#include "vetter/rules/rule_set.h"

#include "compiled.h"
#include "document_reader.h"
#include "loader.h"

namespace vetter::rules {

double default_points(const std::string& level) {
  if (level == "informational") return 5;
  if (level == "low") return 15;
  if (level == "medium") return 35;
  if (level == "high") return 60;
  if (level == "critical") return 90;
  return 0;
}

RuleSet RuleSet::load(const std::vector<std::string>& paths, const LoadOptions& options,
                      model::Diagnostics& diags) {
  // Pass 1: files and directories to YAML documents with positions.
  const std::vector<Document> documents = read_documents(paths, diags);
  // Passes 2-4: collect, compile, resolve and index (loader.cpp).
  RuleSet set;
  set.compiled_ = compile_documents(documents, options, diags);
  return set;
}

RuleSet RuleSet::load_text(std::string_view text, const std::string& name,
                           const LoadOptions& options, model::Diagnostics& diags) {
  const std::vector<Document> documents = read_text(text, name, diags);
  RuleSet set;
  set.compiled_ = compile_documents(documents, options, diags);
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
