// Reading a rule's `x-tests` section into events on a fixed clock (validated at load time).
#pragma once

#include <vector>

#include <yaml-cpp/yaml.h>

#include "compile_context.h"
#include "compiled.h"

namespace vetter::rules {

// The fixed clock: offset 0 is 2026-01-05T00:00:00Z (a Monday).
std::int64_t test_epoch_us();

// Parses `x-tests` (a list of cases). Problems go to ctx with code E-RULE-TESTS.
std::vector<RuleTestSpec> read_tests(const YAML::Node& tests, CompileContext& ctx);

}  // namespace vetter::rules
