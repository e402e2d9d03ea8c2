// MaxMind (and compatible) databases, memory-mapped once and read by every thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"
#include "vetter/model/ip.h"

namespace vetter::enrich {

struct GeoIpConfig {
  std::string dir;   // find databases here by their metadata database_type
  std::string city;  // explicit paths win over `dir`
  std::string asn;
  std::string anonymous_ip;
  std::string connection_type;
};

// Everything the databases say about one address; absent parts stay nullopt/false.
struct GeoRecord {
  std::optional<std::string> country_iso_code, country_name, region_iso_code, city_name, timezone;
  std::optional<double> lat, lon;
  std::optional<std::int64_t> accuracy_radius;
  std::optional<std::int64_t> as_number;
  std::optional<std::string> as_organization;
  bool anonymous_known = false;  // an Anonymous-IP database is open (so false flags mean "no")
  bool any = false, vpn = false, hosting = false, proxy = false, tor = false,
       residential_proxy = false;
  std::optional<std::string> connection_type;
};

class GeoIp {
 public:
  // Opens every configured database. Problems are reported once here:
  //  - an explicit path that cannot be opened (missing, unreadable, not an MMDB, corrupt) or a
  //    `dir` that cannot be read: error E-GEOIP-OPEN, and open() returns nullptr;
  //  - in `dir`: no *.mmdb (W-GEOIP-DIR), a file that is not a usable MMDB (W-GEOIP-SKIP), an
  //    unknown database_type (W-GEOIP-TYPE) or a second file for one role (W-GEOIP-DUPLICATE;
  //    the first by name wins): warnings, the file is skipped;
  //  - an explicit path whose database_type does not fit its role: W-GEOIP-TYPE, used anyway.
  // With nothing configured it returns an empty GeoIp that finds nothing.
  static std::unique_ptr<GeoIp> open(const GeoIpConfig& config, model::Diagnostics& diags);
  ~GeoIp();
  GeoIp(const GeoIp&) = delete;
  GeoIp& operator=(const GeoIp&) = delete;

  // Looks `ip` up in every open database. Thread-safe; no caching here (see Enricher).
  GeoRecord lookup(const model::IpAddress& ip) const;

  // Which databases are open, as "type path" lines, for the run summary.
  std::vector<std::string> describe() const;

  struct Impl;

 private:
  explicit GeoIp(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vetter::enrich
