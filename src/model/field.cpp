// The field catalogue (`vetter fields`; docs/report-schema.md for reports), kept in one table so `vetter fields` and the
// rule compiler can never disagree.
#include "vetter/model/field.h"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace vetter::model {
namespace {

using enum FieldType;

constexpr std::array kFields = std::to_array<FieldInfo>({
    {"@timestamp", kTime, "event time, UTC"},
    {"event.source", kString, "source definition name (okta, asa, hr-csv, ...)"},
    {"event.category", kString, "authentication, session, vpn, hr, inventory"},
    {"event.action", kString, "vendor action, e.g. user.session.start, tunnel-up, hire"},
    {"event.outcome", kString, "success, failure or unknown"},
    {"event.duration_s", kInt, "session duration in seconds, where the source reports it"},
    {"event.local_hour", kInt, "hour 0-23 in the account's declared time zone"},
    {"event.local_weekday", kInt, "weekday 0=Sunday..6 in the account's declared time zone"},
    {"user.name", kString, "canonical account (after identity resolution)"},
    {"user.original", kString, "account as the source wrote it, before resolution"},
    {"user.email", kString, "e-mail address the source gives"},
    {"user.id", kString, "vendor user id"},
    {"user.aliases", kStringList,
     "HR: every name the worker's accounts use (work email, network id, ...)"},
    {"user.in_hr", kBool, "true when the account resolved to an HR record"},
    {"source.ip", kIp, "client public IP address"},
    {"source.port", kInt, "client port"},
    {"source.geo.country_iso_code", kString, "GeoIP country, ISO 3166-1 alpha-2"},
    {"source.geo.country_name", kString, "GeoIP country name (English)"},
    {"source.geo.region_iso_code", kString, "GeoIP first subdivision code"},
    {"source.geo.city_name", kString, "GeoIP city (English)"},
    {"source.geo.location.lat", kFloat, "GeoIP latitude"},
    {"source.geo.location.lon", kFloat, "GeoIP longitude"},
    {"source.geo.accuracy_radius", kInt, "GeoIP accuracy radius, km"},
    {"source.geo.timezone", kString, "GeoIP IANA time zone"},
    {"source.as.number", kInt, "autonomous system number"},
    {"source.as.organization.name", kString, "autonomous system organization"},
    {"source.anonymous.any", kBool, "MaxMind is_anonymous"},
    {"source.anonymous.vpn", kBool, "MaxMind is_anonymous_vpn"},
    {"source.anonymous.hosting", kBool, "MaxMind is_hosting_provider"},
    {"source.anonymous.proxy", kBool, "MaxMind is_public_proxy"},
    {"source.anonymous.tor", kBool, "MaxMind is_tor_exit_node"},
    {"source.anonymous.residential_proxy", kBool, "MaxMind is_residential_proxy"},
    {"source.connection_type", kString, "Cable/DSL, Cellular, Corporate, Satellite"},
    {"source.lists", kStringList, "names of the IP lists that contain source.ip"},
    {"source.distance_from_home_km", kFloat, "distance from the declared home, km"},
    {"source.nat.ip", kIp, "address assigned inside the tunnel (VPN)"},
    {"host.id", kString, "device id"},
    {"host.name", kString, "device host name"},
    {"host.os", kString, "device operating system"},
    {"host.serial", kString, "device hardware serial"},
    {"user_agent.original", kString, "raw user agent or client type"},
    {"usb.vendor_id", kString, "USB vendor id, lower-case hex"},
    {"usb.product_id", kString, "USB product id, lower-case hex"},
    {"usb.vendor", kString, "USB vendor string"},
    {"usb.model", kString, "USB model string"},
    {"usb.serial", kString, "USB serial string"},
    {"app.name", kString, "installed application name"},
    {"hr.employee_id", kString, "HR employee id"},
    {"hr.status", kString, "hire, candidate, active, terminated, ..."},
    {"hr.country", kString, "declared country, ISO 3166-1 alpha-2"},
    {"hr.region", kString, "declared region or state"},
    {"hr.city", kString, "declared city"},
    {"hr.timezone", kString, "declared IANA time zone"},
    {"hr.hire_date", kString, "hire date, YYYY-MM-DD"},
    {"hr.job_title", kString, "job title as HR writes it"},
    {"hr.department", kString, "department or team as HR writes it"},
    {"hr.worker_type", kString, "worker type: employee, contractor, intern, ..."},
    {"hr.manager", kString, "the worker's manager (name, e-mail or employee id, as HR writes it)"},
    {"hr.address_key", kString, "normalized home address"},
    {"hr.full_name", kString, "full name as HR writes it"},
    {"hr.person_key", kString,
     "derived: the person as one key (name words lower-cased and sorted, else id:EMPLOYEE_ID)"},
    {"hr.locality_key", kString,
     "declared town as one key (derived): lower-case country|region|city"},
    {"hr.home_key", kString,
     "declared home as one key (derived): hr.address_key, else lower-case country|region|city"},
    {"hr.ship_to_key", kString, "normalized equipment ship-to address"},
    {"hr.ship_to_in_home_town", kBool,
     "derived: the ship-to address names the declared city (office pickup, a temporary address)"},
    {"hr.phone", kString, "phone, E.164"},
    {"hr.personal_email", kString, "personal e-mail, lower-case"},
    {"hr.document_key", kString, "keyed hash of the identity document number"},
    {"hr.bank_key", kString, "keyed hash of the bank account"},
    {"hr.asset_serial", kString, "serial of the equipment issued"},
    {"hr.home.lat", kFloat, "declared home latitude"},
    {"hr.home.lon", kFloat, "declared home longitude"},
    {"vendor.geo.country", kString, "country as the vendor's own geo says"},
    {"vendor.geo.city", kString, "city as the vendor's own geo says"},
    {"vendor.geo.location.lat", kFloat, "latitude as the vendor's own geo says"},
    {"vendor.geo.location.lon", kFloat, "longitude as the vendor's own geo says"},
});

}  // namespace

std::string_view to_string(FieldType type) {
  switch (type) {
    case kString:
      return "string";
    case kInt:
      return "int";
    case kFloat:
      return "float";
    case kBool:
      return "bool";
    case kIp:
      return "ip";
    case kStringList:
      return "string[]";
    case kTime:
      return "time";
  }
  return "?";
}

static_assert(kFields.size() <= kMaxFields, "raise kMaxFields in field.h");

std::span<const FieldInfo> Fields::all() {
  return kFields;
}

std::optional<FieldId> Fields::find(std::string_view name) {
  for (std::size_t i = 0; i < kFields.size(); ++i) {
    if (kFields[i].name == name) return static_cast<FieldId>(i);
  }
  return std::nullopt;
}

FieldId Fields::id(std::string_view name) {
  if (auto found = find(name)) return *found;
  std::fprintf(stderr, "vetter: internal error: unknown field '%.*s'\n",
               static_cast<int>(name.size()), name.data());
  std::abort();
}

}  // namespace vetter::model
