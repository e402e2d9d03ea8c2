// Enrichment: GeoIP, ASN, anonymizer flags, IP lists, the HR profile and derived fields.
#pragma once

#include <string>
#include <unordered_map>

#include "vetter/enrich/geoip.h"
#include "vetter/enrich/ip_lists.h"
#include "vetter/identity/directory.h"
#include "vetter/model/event.h"

namespace vetter::enrich {

// One per thread: it caches lookups per IP. The GeoIp, lists and directory are shared read-only;
// any of them may be null.
class Enricher {
 public:
  Enricher(const GeoIp* geoip, const IpLists* lists, const identity::Directory* directory);

  // Sets source.geo.*, source.as.*, source.anonymous.*, source.connection_type, source.lists from
  // source.ip; copies the account's hr.* profile; derives event.local_hour/local_weekday and
  // source.distance_from_home_km where the inputs exist. Never fails: missing data stays absent.
  void enrich(model::Event& event);

 private:
  const GeoIp* geoip_;
  const IpLists* lists_;
  const identity::Directory* directory_;
  std::unordered_map<std::string, GeoRecord> cache_;
};

}  // namespace vetter::enrich
