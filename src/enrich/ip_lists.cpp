// IP lists (stub: implemented by the enrichment work).
#include "vetter/enrich/ip_lists.h"

namespace vetter::enrich {

bool IpLists::load(const std::string&, const std::string&, model::Diagnostics&) { return true; }
std::vector<std::string> IpLists::match(const model::IpAddress&) const { return {}; }

}  // namespace vetter::enrich
