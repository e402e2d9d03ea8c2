// x-geo_velocity: section parsing and haversine distance.
#include "geo_velocity.h"

#include <cmath>
#include <cstdlib>

#include "vetter/rules/codes.h"

namespace vetter::rules {
namespace {

std::optional<model::FieldId> field(const YAML::Node& node, model::FieldType want,
                                    CompileContext& ctx) {
  const std::string name = node.IsScalar() ? node.Scalar() : std::string();
  std::optional<model::FieldId> id = model::Fields::find(name);
  if (!id) {
    const std::string hint = closest_field(name);
    ctx.error(codes::kField, node,
              std::string(messages::kUnknownField) + " '" + name + "'" +
                  (hint.empty() ? "" : " (did you mean '" + hint + "'?)"));
    return std::nullopt;
  }
  const model::FieldType type = model::Fields::info(*id).type;
  if (type != want && !(want == model::FieldType::kFloat && type == model::FieldType::kInt)) {
    ctx.error(codes::kCorrelation, node,
              std::string(messages::kBadGeoVelocity) + ": '" + name + "' is not numeric");
    return std::nullopt;
  }
  return id;
}

// Reads {gt: N} or {gte: N}.
void bound(const YAML::Node& node, std::optional<double>& gt, std::optional<double>& gte,
           CompileContext& ctx) {
  if (!node.IsMap() || node.size() != 1) {
    ctx.error(codes::kCorrelation, node,
              std::string(messages::kBadGeoVelocity) + ": use {gt: N} or {gte: N}");
    return;
  }
  for (const auto& kv : node) {
    const std::string k = kv.first.Scalar();
    const std::string v = kv.second.IsScalar() ? kv.second.Scalar() : std::string();
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || d < 0 || (k != "gt" && k != "gte")) {
      ctx.error(codes::kCorrelation, kv.first,
                std::string(messages::kBadGeoVelocity) + ": use {gt: N} or {gte: N}");
      return;
    }
    (k == "gt" ? gt : gte) = d;
  }
}

}  // namespace

void read_geo_velocity(const YAML::Node& c, CorrelationRule& rule, const LoadOptions& options,
                       CompileContext& ctx) {
  GeoVelocity& g = rule.geo;
  g.lat = model::Fields::id("source.geo.location.lat");
  g.lon = model::Fields::id("source.geo.location.lon");
  g.accuracy = model::Fields::id("source.geo.accuracy_radius");
  if (const YAML::Node location = c["location"]) {
    if (!location.IsMap()) {
      ctx.error(codes::kCorrelation, location,
                std::string(messages::kBadGeoVelocity) + ": 'location' maps lat, lon, accuracy");
    } else {
      for (const auto& kv : location) {
        const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
        if (k == "lat") {
          if (auto id = field(kv.second, model::FieldType::kFloat, ctx)) g.lat = *id;
        } else if (k == "lon") {
          if (auto id = field(kv.second, model::FieldType::kFloat, ctx)) g.lon = *id;
        } else if (k == "accuracy") {
          g.accuracy =
              kv.second.IsNull() ? std::nullopt : field(kv.second, model::FieldType::kFloat, ctx);
        } else {
          ctx.error(
              codes::kCorrelation, kv.first,
              std::string(messages::kBadGeoVelocity) + ": unknown key '" + k + "' in location");
        }
      }
    }
  }
  const YAML::Node cond = c["condition"];
  if (!cond || !cond.IsMap() || !cond["speed_kmh"]) {
    ctx.error(codes::kCorrelation, cond ? cond : c,
              std::string(messages::kBadGeoVelocity) + ": 'condition' needs speed_kmh");
  } else {
    for (const auto& kv : cond) {
      const std::string k = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
      if (k == "speed_kmh") {
        bound(kv.second, g.speed_gt, g.speed_gte, ctx);
      } else if (k == "distance_km") {
        bound(kv.second, g.distance_gt, g.distance_gte, ctx);
      } else {
        ctx.error(codes::kCorrelation, kv.first,
                  std::string(messages::kBadGeoVelocity) + ": unknown condition '" + k + "'");
      }
    }
  }
  if (const YAML::Node ignore = c["ignore"]) {
    g.ignore.name = "ignore";
    std::vector<YAML::Node> maps;
    if (ignore.IsMap()) {
      maps.push_back(ignore);
    } else if (ignore.IsSequence()) {
      for (const YAML::Node& m : ignore)
        maps.push_back(m);
    }
    for (const YAML::Node& m : maps) {
      if (!m.IsMap()) {
        ctx.error(codes::kSelection, m, "'ignore' " + std::string(messages::kBadSelection));
        continue;
      }
      std::vector<FieldTest> branch;
      for (const auto& kv : m) {
        if (auto test = compile_field_test(kv.first, kv.second, options.placeholders, ctx)) {
          branch.push_back(std::move(*test));
        }
      }
      g.ignore.branches.push_back(std::move(branch));
    }
    if (maps.empty()) {
      ctx.error(codes::kSelection, ignore, "'ignore' " + std::string(messages::kBadSelection));
    }
  }
}

double distance_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kEarthKm = 6371.0088;
  constexpr double kRad = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthKm * std::asin(std::min(1.0, std::sqrt(a)));
}

}  // namespace vetter::rules
