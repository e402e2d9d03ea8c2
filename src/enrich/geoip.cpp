// GeoIP (stub: implemented by the enrichment work).
#include "vetter/enrich/geoip.h"

namespace vetter::enrich {

struct GeoIp::Impl {};
GeoIp::GeoIp(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GeoIp::~GeoIp() = default;
std::unique_ptr<GeoIp> GeoIp::open(const GeoIpConfig&, model::Diagnostics&) {
  return std::unique_ptr<GeoIp>(new GeoIp(std::make_unique<Impl>()));
}
GeoRecord GeoIp::lookup(const model::IpAddress&) const { return {}; }
std::vector<std::string> GeoIp::describe() const { return {}; }

}  // namespace vetter::enrich
