// A gazetteer of world cities (GeoNames-derived), so a declared home given only as city/region/
// country still has coordinates for source.distance_from_home_km.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "vetter/model/diagnostics.h"

namespace vetter::enrich {

struct Place {
  std::string name;     // as in the data, e.g. "Zürich"
  std::string region;   // GeoNames admin1 code: US state ("CO"), elsewhere often numeric ("08")
  std::string country;  // ISO 3166-1 alpha-2
  double lat = 0, lon = 0;
  std::int64_t population = 0;
};

class Gazetteer {
 public:
  // Where the shipped file lives, relative to the checkout or install root (cli::find_root()).
  static constexpr std::string_view kDefaultPath = "data/gazetteer/cities.tsv";

  // Loads a tab-separated file with the columns
  //   name, ascii_name, region (admin1 code), country (alpha-2), lat, lon, population
  // ('#' lines are comments; data/gazetteer/README.md describes the shipped one). A file that
  // cannot be read is error E-GAZETTEER-OPEN and nullptr; a malformed line is warning
  // W-GAZETTEER-LINE (file:line; the first 20 are reported) and skipped.
  static std::unique_ptr<Gazetteer> load(const std::string& path, model::Diagnostics& diags);

  // Adds one place (tests, config-embedded places). Call before sharing across threads.
  void add(Place place);

  // The declared home's coordinates: `city` is matched against the name and the ASCII name,
  // case-, accent- and punctuation-insensitively; `country` may be a code or a name
  // (country_iso_code). Among places of that name in that country, one in `region` (an admin1
  // code such as "TX", or a US state name such as "Texas") wins; when `region` is empty or
  // matches none, the most populous one does. nullptr when the city or country is unknown.
  // Thread-safe (read-only). The pointer lives as long as the Gazetteer.
  const Place* find(std::string_view city, std::string_view region, std::string_view country) const;

  std::size_t size() const { return places_.size(); }

 private:
  std::vector<Place> places_;
  // fold_name(city) + '\t' + country -> indexes into places_, most populous first
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_name_;
};

}  // namespace vetter::enrich
