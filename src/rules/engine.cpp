// Rule evaluation (stub: implemented by the rule-engine work).
#include "vetter/rules/engine.h"

namespace vetter::rules {

struct Engine::State {};
Engine::Engine(const RuleSet& rules) : rules_(rules), state_(std::make_unique<State>()) {}
Engine::~Engine() = default;
void Engine::process(const model::Event&, std::vector<Hit>&) {}
void Engine::finish(std::vector<Hit>&) {}

}  // namespace vetter::rules
