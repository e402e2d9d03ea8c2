// Enrichment: GeoIP, ASN, anonymizer flags, IP lists, the HR profile and derived fields.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vetter/enrich/geoip.h"
#include "vetter/enrich/ip_lists.h"
#include "vetter/identity/directory.h"
#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"

namespace vetter::enrich {

class TimeZone;

// One per thread: it caches lookups per IP. The GeoIp, lists and directory are shared read-only;
// any of them may be null.
class Enricher {
 public:
  Enricher(const GeoIp* geoip, const IpLists* lists, const identity::Directory* directory);
  // As above; `diags` (may be null, must outlive the Enricher) hears about data problems found
  // while enriching, such as an unknown hr.timezone (W-ENRICH-TZ, once per zone per process).
  Enricher(const GeoIp* geoip, const IpLists* lists, const identity::Directory* directory,
           model::Diagnostics* diags);

  // Sets source.geo.*, source.as.*, source.anonymous.*, source.connection_type, source.lists from
  // source.ip; copies the account's hr.* profile; derives event.local_hour/local_weekday and
  // source.distance_from_home_km where the inputs exist. Never fails: missing data stays absent.
  void enrich(model::Event& event);

  // The per-IP cache is dropped wholesale when it reaches this size: simpler than LRU, and a
  // month of sign-ins rarely has this many distinct addresses.
  static constexpr std::size_t kMaxCachedIps = 1'000'000;

 private:
  struct Cached {
    GeoRecord geo;
    std::vector<std::string> lists;
  };
  const Cached& look_up(std::string_view ip_text);
  void derive_local_time(model::Event& event);

  const GeoIp* geoip_;
  const IpLists* lists_;
  const identity::Directory* directory_;
  model::Diagnostics* diags_ = nullptr;
  std::unordered_map<std::string, Cached> cache_;
  std::unordered_map<std::string, const TimeZone*> zones_;  // per-thread view of the registry
};

// Copies every hr.* field the profile has onto `event` (absent profile fields leave the event's
// own values alone).
void copy_profile(const model::Event& profile, model::Event& event);

// Great-circle distance in km (haversine, mean Earth radius 6371 km).
double haversine_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace vetter::enrich
