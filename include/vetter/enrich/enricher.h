// Enrichment: GeoIP, ASN, anonymizer flags, IP lists, the HR profile and derived fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "vetter/enrich/gazetteer.h"
#include "vetter/enrich/geoip.h"
#include "vetter/enrich/ip_lists.h"
#include "vetter/identity/directory.h"
#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"
#include "vetter/model/text_table.h"

namespace vetter::model {
class TimeZone;  // vetter/model/time_zone.h
}  // namespace vetter::model

namespace vetter::enrich {

using model::TimeZone;

// One per thread: it caches lookups per IP. The GeoIp, lists and directory are shared read-only;
// any of them may be null.
class Enricher {
 public:
  Enricher(const GeoIp* geoip, const IpLists* lists, const identity::Directory* directory);
  // As above; `diags` (may be null, must outlive the Enricher) hears about data problems found
  // while enriching, such as an unknown hr.timezone (W-ENRICH-TZ, once per zone per process).
  Enricher(const GeoIp* geoip, const IpLists* lists, const identity::Directory* directory,
           model::Diagnostics* diags);

  // Where declared homes without coordinates are looked up (may be null, the default; must
  // outlive the Enricher). Call before the first enrich().
  void set_gazetteer(const Gazetteer* gazetteer) { gazetteer_ = gazetteer; }

  // Sets source.geo.*, source.as.*, source.anonymous.*, source.connection_type, source.lists from
  // source.ip (enrich_source); gives the event the account's hr.* profile (as its base, see
  // model::Event::set_base; an HR row gets it copied in); writes hr.country and
  // vendor.geo.country as ISO alpha-2 codes when they are country names; fills hr.home.lat/lon
  // from the gazetteer when HR gave only hr.city/hr.region/hr.country; derives
  // event.local_hour/local_weekday and source.distance_from_home_km where the inputs exist.
  // Never fails: missing data stays absent. A country name no table knows is left as it is and
  // reported once per distinct value (W-ENRICH-COUNTRY) to `diags`.
  void enrich(model::Event& event);
  // The same when the caller already holds the profile of the event's user.name (what
  // identity::resolve returns), which saves looking it up again; nullptr looks it up.
  void enrich(model::Event& event, const identity::Profile* profile);

  // Only the source.ip part of enrich(): what `vetter geoip lookup` prints for an address.
  void enrich_source(model::Event& event);

  // The per-IP cache is dropped wholesale when it reaches this size: simpler than LRU, and a
  // month of sign-ins rarely has this many distinct addresses.
  static constexpr std::size_t kMaxCachedIps = 1'000'000;

 private:
  struct Cached {
    GeoRecord geo;
    std::vector<std::string> lists;
  };
  // `hash` is cache_.hash(ip_text).
  const Cached& look_up(std::string_view ip_text, std::uint64_t hash);
  // Writes what the lookup found onto the event's source.* fields.
  void set_source(model::Event& event, const Cached& found);
  void derive_local_time(model::Event& event);
  void normalize_country(model::Event& event, model::FieldId field);
  void derive_home(model::Event& event);

  const GeoIp* geoip_;
  const IpLists* lists_;
  const identity::Directory* directory_;
  model::Diagnostics* diags_ = nullptr;
  const Gazetteer* gazetteer_ = nullptr;
  // IP text -> index into records_. Most addresses are in no database and no list; they all
  // share records_[0] (unparseable, or no Anonymous-IP database) or records_[1] (the database says
  // "not anonymous"), so the cache stays small and dense however many distinct IPs a run has.
  // Flat, with any IPv4 text inline in its 32-byte slot: every event with an address probes it.
  model::TextTable<std::uint32_t, 32> cache_;
  std::vector<Cached> records_;
  // These are looked up with the profile's hr.* text on every event of a known worker, so they
  // are flat tables too (a handful of distinct values, a hit costs a hash and one slot).
  model::TextTable<const TimeZone*, 64> zones_;  // zone name -> zone (nullptr: unknown)
  // Country spelling -> index in country_codes_ of its alpha-2 ("" when unknown), and
  // "city\tregion\tcountry" -> home place.
  model::TextTable<std::uint32_t, 32> countries_;
  std::vector<std::string> country_codes_;
  model::TextTable<const Place*, 64> homes_;
  std::string key_;  // reused lookup key: no allocation per event once it has grown
};

// Copies every hr.* field the profile has onto `event` (absent profile fields leave the event's
// own values alone).
void copy_profile(const model::Event& profile, model::Event& event);
// The same from the directory's compact copy of an HR record.
void copy_profile(const identity::Profile& profile, model::Event& event);

// Great-circle distance in km (haversine, mean Earth radius 6371 km).
double haversine_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace vetter::enrich
