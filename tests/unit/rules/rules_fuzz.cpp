// Fuzz target for the rule loader and engine: libFuzzer entry point, or a replay program that
// runs each file given on the command line (the plain build; no libFuzzer needed).
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "vetter/model/diagnostics.h"
#include "vetter/rules/rule_set.h"
#include "vetter/rules/rule_tests.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  vetter::model::CollectingDiagnostics diags;
  vetter::rules::LoadOptions options;
  options.placeholders["x"] = {"10.0.0.0/8", "a*b"};
  const vetter::rules::RuleSet set = vetter::rules::RuleSet::load_text(
      std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yml", options, diags);
  // x-tests in the input drive the engine too.
  vetter::rules::run_rule_tests(set);
  return 0;
}

#ifndef VETTER_LIBFUZZER
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  }
  std::cout << "replayed " << (argc - 1) << " input(s)\n";
  return 0;
}
#endif
