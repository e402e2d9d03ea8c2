// Enrichment of one event: geo/ASN/anonymizer/lists from source.ip, the HR profile, derived fields.
#include "vetter/enrich/enricher.h"

#include <cmath>
#include <mutex>
#include <numbers>
#include <set>

#include "countries.h"
#include "time_zone.h"
#include "vetter/model/field.h"
#include "vetter/model/ip.h"

namespace vetter::enrich {
namespace {

using model::FieldId;
using model::Fields;

constexpr double kEarthRadiusKm = 6371.0;
// Distinct hr.timezone spellings seen by one thread; a hostile HR file cannot grow it forever.
constexpr std::size_t kMaxCachedZones = 10'000;
// Likewise for country spellings and declared homes (one per worker in practice).
constexpr std::size_t kMaxCachedCountries = 10'000;
constexpr std::size_t kMaxCachedHomes = 100'000;

// Field slots resolved once; the per-event path never looks names up.
struct Ids {
  FieldId ip = Fields::id("source.ip");
  FieldId country_iso_code = Fields::id("source.geo.country_iso_code");
  FieldId country_name = Fields::id("source.geo.country_name");
  FieldId region_iso_code = Fields::id("source.geo.region_iso_code");
  FieldId city_name = Fields::id("source.geo.city_name");
  FieldId lat = Fields::id("source.geo.location.lat");
  FieldId lon = Fields::id("source.geo.location.lon");
  FieldId accuracy_radius = Fields::id("source.geo.accuracy_radius");
  FieldId timezone = Fields::id("source.geo.timezone");
  FieldId as_number = Fields::id("source.as.number");
  FieldId as_organization = Fields::id("source.as.organization.name");
  FieldId anon_any = Fields::id("source.anonymous.any");
  FieldId anon_vpn = Fields::id("source.anonymous.vpn");
  FieldId anon_hosting = Fields::id("source.anonymous.hosting");
  FieldId anon_proxy = Fields::id("source.anonymous.proxy");
  FieldId anon_tor = Fields::id("source.anonymous.tor");
  FieldId anon_residential_proxy = Fields::id("source.anonymous.residential_proxy");
  FieldId connection_type = Fields::id("source.connection_type");
  FieldId lists = Fields::id("source.lists");
  FieldId distance = Fields::id("source.distance_from_home_km");
  FieldId user_name = Fields::id("user.name");
  FieldId hr_timezone = Fields::id("hr.timezone");
  FieldId home_lat = Fields::id("hr.home.lat");
  FieldId home_lon = Fields::id("hr.home.lon");
  FieldId hr_country = Fields::id("hr.country");
  FieldId hr_region = Fields::id("hr.region");
  FieldId hr_city = Fields::id("hr.city");
  FieldId vendor_country = Fields::id("vendor.geo.country");
  FieldId local_hour = Fields::id("event.local_hour");
  FieldId local_weekday = Fields::id("event.local_weekday");
  std::vector<FieldId> hr;  // every hr.* field, so new HR fields are copied without code changes
  std::vector<bool> is_hr;  // by field id

  Ids() : is_hr(Fields::count(), false) {
    for (std::size_t i = 0; i < Fields::count(); ++i) {
      if (Fields::info(static_cast<FieldId>(i)).name.starts_with("hr.")) {
        hr.push_back(static_cast<FieldId>(i));
        is_hr[i] = true;
      }
    }
  }
};

const Ids& ids() {
  static const Ids kIds;
  return kIds;
}

template <typename T>
void set_if(model::Event& event, FieldId id, const std::optional<T>& value) {
  if (value) event.set(id, *value);
}

std::optional<double> number(const model::Value& v) {
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  return std::nullopt;
}

std::string where_of(const model::Event& event, std::string_view field) {
  if (event.origin.file.empty()) return std::string(field);
  return std::string(event.origin.file) + ":" + std::to_string(event.origin.line);
}

// One warning per distinct unknown country spelling per process, whichever thread meets it: an
// HR export with one odd value on 5,000 rows must not print 5,000 lines.
bool first_time_unknown(const std::string& spelling) {
  static std::mutex mutex;
  static std::set<std::string> seen;
  const std::lock_guard lock(mutex);
  if (seen.size() >= kMaxCachedCountries) return false;
  return seen.insert(spelling).second;
}

// Likewise for unknown time zones: each thread has its own Enricher (and zone cache), and the
// warning must still come once per zone per process.
bool first_time_unknown_zone(std::string_view zone) {
  static std::mutex mutex;
  static std::set<std::string, std::less<>> seen;
  const std::lock_guard lock(mutex);
  if (seen.size() >= kMaxCachedZones || seen.find(zone) != seen.end()) return false;
  seen.emplace(zone);
  return true;
}

}  // namespace

Enricher::Enricher(const GeoIp* geoip, const IpLists* lists, const identity::Directory* directory)
    : Enricher(geoip, lists, directory, nullptr) {}

Enricher::Enricher(const GeoIp* geoip, const IpLists* lists, const identity::Directory* directory,
                   model::Diagnostics* diags)
    : geoip_(geoip), lists_(lists), directory_(directory), diags_(diags) {
  ids();  // resolve field slots now, not on the first event
}

namespace {

// True when a lookup found nothing worth its own cache slot.
bool found_nothing(const GeoRecord& g, const std::vector<std::string>& lists) {
  return lists.empty() && !g.country_iso_code && !g.country_name && !g.region_iso_code &&
         !g.city_name && !g.timezone && !g.lat && !g.lon && !g.accuracy_radius && !g.as_number &&
         !g.as_organization && !g.connection_type && !g.any && !g.vpn && !g.hosting && !g.proxy &&
         !g.tor && !g.residential_proxy;
}

// records_[kUnknown]: nothing known at all; records_[kNotAnonymous]: nothing found, and the
// Anonymous-IP database (open) says the address is not an anonymizer.
constexpr std::uint32_t kUnknown = 0;
constexpr std::uint32_t kNotAnonymous = 1;

}  // namespace

const Enricher::Cached& Enricher::look_up(std::string_view ip_text, std::uint64_t hash) {
  // A hit costs one hash of the text, one slot read and no allocation.
  if (const std::uint32_t* index = cache_.find(ip_text, hash)) return records_[*index];
  if (cache_.size() >= kMaxCachedIps || records_.empty()) {
    cache_.clear();
    records_.clear();
    records_.resize(2);
    records_[kNotAnonymous].geo.anonymous_known = true;
  }
  Cached entry;
  // Unparseable text (a host name, "-", an address with a port) is cached as "nothing known".
  if (auto ip = model::IpAddress::parse(ip_text)) {
    if (geoip_) entry.geo = geoip_->lookup(*ip);
    // AS-number list entries match the ASN database's answer for this same address, so the
    // per-IP cache stays right.
    if (lists_) entry.lists = lists_->match(*ip, entry.geo.as_number);
  }
  std::uint32_t index = entry.geo.anonymous_known ? kNotAnonymous : kUnknown;
  if (!found_nothing(entry.geo, entry.lists)) {
    index = static_cast<std::uint32_t>(records_.size());
    records_.push_back(std::move(entry));
  }
  cache_.insert(ip_text, hash, index);
  return records_[index];
}

void Enricher::enrich(model::Event& event) {
  enrich(event, nullptr);
}

void Enricher::enrich(model::Event& event, const identity::Profile* profile) {
  const Ids& id = ids();

  // The address's cache slot starts loading now and is read after the profile is attached
  // (hr.* fields only, none of which enrich_source reads or writes): the two cache misses
  // overlap instead of adding up.
  const std::string_view ip_text = event.str(id.ip);
  const bool look_ip_up = !ip_text.empty() && (geoip_ || lists_);
  const std::uint64_t ip_hash = look_ip_up ? cache_.hash(ip_text) : 0;
  if (look_ip_up) cache_.prefetch(ip_hash);

  if (!profile && directory_) {
    const std::string_view account = event.str(id.user_name);
    if (!account.empty()) profile = directory_->profile(account);
  }
  if (profile) {
    // Every event of the worker points at the one profile instead of copying it: the same as a
    // copy unless the event sets one of the profile's fields itself (an HR row, or a log source
    // mapped to hr.*). That one gets the copy, which overwrites its own values with the latest
    // record's (a hire row reads the status of a later termination).
    if (event.owns_any(profile->hr().bits()))
      copy_profile(*profile, event);
    else
      event.set_base(&profile->hr());
  }

  if (look_ip_up) set_source(event, look_up(ip_text, ip_hash));

  normalize_country(event, id.hr_country);
  normalize_country(event, id.vendor_country);
  derive_home(event);
  derive_local_time(event);

  const auto lat = number(event.get(id.lat));
  const auto lon = number(event.get(id.lon));
  const auto home_lat = number(event.get(id.home_lat));
  const auto home_lon = number(event.get(id.home_lon));
  if (lat && lon && home_lat && home_lon) {
    event.set(id.distance, haversine_km(*lat, *lon, *home_lat, *home_lon));
  }
}

void Enricher::enrich_source(model::Event& event) {
  const std::string_view ip_text = event.str(ids().ip);
  if (!ip_text.empty() && (geoip_ || lists_))
    set_source(event, look_up(ip_text, cache_.hash(ip_text)));
}

void Enricher::set_source(model::Event& event, const Cached& found) {
  const Ids& id = ids();
  const GeoRecord& g = found.geo;
  set_if(event, id.country_iso_code, g.country_iso_code);
  set_if(event, id.country_name, g.country_name);
  set_if(event, id.region_iso_code, g.region_iso_code);
  set_if(event, id.city_name, g.city_name);
  set_if(event, id.lat, g.lat);
  set_if(event, id.lon, g.lon);
  set_if(event, id.accuracy_radius, g.accuracy_radius);
  set_if(event, id.timezone, g.timezone);
  set_if(event, id.as_number, g.as_number);
  set_if(event, id.as_organization, g.as_organization);
  if (g.anonymous_known) {
    event.set(id.anon_any, g.any);
    event.set(id.anon_vpn, g.vpn);
    event.set(id.anon_hosting, g.hosting);
    event.set(id.anon_proxy, g.proxy);
    event.set(id.anon_tor, g.tor);
    event.set(id.anon_residential_proxy, g.residential_proxy);
  }
  set_if(event, id.connection_type, g.connection_type);
  if (!found.lists.empty()) event.set(id.lists, found.lists);
}

void Enricher::normalize_country(model::Event& event, model::FieldId field) {
  const std::string_view text = event.str(field);
  if (text.empty()) return;
  const std::uint64_t hash = countries_.hash(text);
  const std::uint32_t* index = countries_.find(text, hash);
  if (!index) {
    std::string code = country_iso_code(text).value_or(std::string());
    if (code.empty() && diags_ && first_time_unknown(std::string(text))) {
      const std::string_view name = Fields::info(field).name;
      diags_->warning("W-ENRICH-COUNTRY", where_of(event, name),
                      std::string(name) + " '" + std::string(text) +
                          "' is not a country name or ISO 3166-1 code vetter knows; it is kept as "
                          "it is, so rules comparing it with GeoIP countries will not match it");
    }
    if (countries_.size() >= kMaxCachedCountries) {
      countries_.clear();
      country_codes_.clear();
    }
    country_codes_.push_back(std::move(code));
    index =
        countries_.insert(text, hash, static_cast<std::uint32_t>(country_codes_.size() - 1)).first;
  }
  const std::string& code = country_codes_[*index];
  if (!code.empty() && code != text) event.set(field, code);
}

void Enricher::derive_home(model::Event& event) {
  const Ids& id = ids();
  if (!gazetteer_) return;
  if (number(event.get(id.home_lat)) && number(event.get(id.home_lon))) return;  // HR gave them
  const std::string_view city = event.str(id.hr_city);
  if (city.empty()) return;
  const std::string_view region = event.str(id.hr_region);
  const std::string_view country = event.str(id.hr_country);
  key_.assign(city).append(1, '\t').append(region).append(1, '\t').append(country);
  const std::uint64_t hash = homes_.hash(key_);
  const Place* const* found = homes_.find(key_, hash);
  if (!found) {
    if (homes_.size() >= kMaxCachedHomes) homes_.clear();
    found = homes_.insert(key_, hash, gazetteer_->find(city, region, country)).first;
  }
  if (const Place* home = *found) {
    event.set(id.home_lat, home->lat);
    event.set(id.home_lon, home->lon);
  }
}

void Enricher::derive_local_time(model::Event& event) {
  const Ids& id = ids();
  const std::string_view zone_name = event.str(id.hr_timezone);
  if (zone_name.empty()) return;
  const TimeZone* zone = nullptr;
  const std::uint64_t hash = zones_.hash(zone_name);
  if (const TimeZone* const* found = zones_.find(zone_name, hash)) {
    zone = *found;
  } else {
    std::string error;
    zone = find_time_zone(zone_name, &error);
    if (!error.empty() && diags_ && first_time_unknown_zone(zone_name)) {
      diags_->warning("W-ENRICH-TZ", where_of(event, "hr.timezone"),
                      "hr.timezone '" + std::string(zone_name) +
                          "' is not a known IANA time zone (" + error +
                          "); event.local_hour and event.local_weekday stay absent for it");
    }
    if (zones_.size() >= kMaxCachedZones) zones_.clear();
    zones_.insert(zone_name, hash, zone);
  }
  if (!zone) return;
  // Floor, not truncate: times before 1970 must not round toward the epoch.
  const std::int64_t seconds =
      event.time_us >= 0 ? event.time_us / 1'000'000 : -((-event.time_us + 999'999) / 1'000'000);
  const LocalTime local = local_time(seconds, zone->utc_offset(seconds));
  event.set(id.local_hour, std::int64_t{local.hour});
  event.set(id.local_weekday, std::int64_t{local.weekday});
}

void copy_profile(const model::Event& profile, model::Event& event) {
  for (FieldId hr : ids().hr) {
    if (!model::is_absent(profile.get(hr))) event.set(hr, profile.get(hr));
  }
}

void copy_profile(const identity::Profile& profile, model::Event& event) {
  profile.copy_to(event, ids().is_hr);
}

double haversine_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  // Clamp: rounding can push `a` a hair past 1 for antipodal points, and asin would give NaN.
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, a)));
}

}  // namespace vetter::enrich
