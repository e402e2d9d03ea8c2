// x-geo_velocity correlations (vetter extension): reading the section and the geometry.
//
//   correlation:
//     type: x-geo_velocity
//     rules: [successful_signin]
//     group-by: [user.name]
//     timespan: 24h             # compare with the group's previous located event if this recent
//     location:                 # optional; these are the defaults
//       lat: source.geo.location.lat
//       lon: source.geo.location.lon
//       accuracy: source.geo.accuracy_radius   # km, taken off the distance for both events
//     condition:
//       speed_kmh: {gt: 900}    # gt or gte; required
//       distance_km: {gte: 500} # optional
//     ignore:                   # optional selection(s): such events are not used at all
//       - source.lists: corporate_egress
//
// Each located event of a group is compared with the group's previous located event; a pair that
// meets the condition is one hit (accounts of both events, both as evidence, with distance and
// speed in the summary). Only the last located event per group is kept.
#pragma once

#include <yaml-cpp/yaml.h>

#include "compile_context.h"
#include "compiled.h"

namespace vetter::rules {

// Fills rule.geo from the correlation map `c`; problems go to ctx.
void read_geo_velocity(const YAML::Node& c, CorrelationRule& rule, const LoadOptions& options,
                       CompileContext& ctx);

// Great-circle distance in km (haversine, mean Earth radius 6371.0088 km).
double distance_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace vetter::rules
