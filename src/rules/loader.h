// Stages 2-4 of loading: collect rule documents, compile detections and correlations, index them.
#pragma once

#include <memory>
#include <vector>

#include "compiled.h"
#include "document_reader.h"
#include "vetter/model/diagnostics.h"
#include "vetter/rules/rule_set.h"

namespace vetter::rules {

// Compiles every document it can; each problem is reported once with file:line:col and the
// rule's title. Rules with errors (and correlations that reference them) are left out.
std::shared_ptr<CompiledRules> compile_documents(const std::vector<Document>& documents,
                                                 const LoadOptions& options,
                                                 model::Diagnostics& diags);

}  // namespace vetter::rules
