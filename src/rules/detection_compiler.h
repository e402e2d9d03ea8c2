// Compiling a Sigma `detection` map (also a filter's): selections, condition, tested fields.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "compile_context.h"
#include "compiled.h"

namespace vetter::rules {

// `section` names the map in messages ("detection", "filter"); keys in `skip` are not
// selections (a filter's `rules`). Problems go to ctx; nullopt when there is no usable condition.
std::optional<DetectionBody> compile_detection_body(const YAML::Node& detection,
                                                    std::string_view section,
                                                    const std::set<std::string>& skip,
                                                    const LoadOptions& options,
                                                    CompileContext& ctx);

}  // namespace vetter::rules
