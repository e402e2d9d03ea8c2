// Enrichment (stub: implemented by the enrichment work).
#include "vetter/enrich/enricher.h"

namespace vetter::enrich {

Enricher::Enricher(const GeoIp* geoip, const IpLists* lists, const identity::Directory* directory)
    : geoip_(geoip), lists_(lists), directory_(directory) {}
void Enricher::enrich(model::Event&) {}

}  // namespace vetter::enrich
