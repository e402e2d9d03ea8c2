// Identity resolution (stub: implemented by the ingest work).
#include "vetter/identity/directory.h"

namespace vetter::identity {

std::string normalize_alias(std::string_view raw) { return std::string(raw); }
std::optional<std::string> Directory::add_hr(const model::Event&) { return std::nullopt; }
std::optional<std::string> Directory::resolve(std::string_view) const { return std::nullopt; }
const model::Event* Directory::profile(std::string_view) const { return nullptr; }
std::vector<std::string> Directory::accounts() const { return {}; }
void resolve(model::Event&, const Directory&) {}

}  // namespace vetter::identity
