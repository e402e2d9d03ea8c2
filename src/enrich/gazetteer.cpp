// The city gazetteer: load the shipped TSV, find a declared home by (city, region, country).
#include "vetter/enrich/gazetteer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <utility>

#include "countries.h"
#include "fold.h"

namespace vetter::enrich {
namespace {

constexpr const char* kOpenCode = "E-GAZETTEER-OPEN";
constexpr const char* kLineCode = "W-GAZETTEER-LINE";
constexpr int kMaxReportedBadLines = 20;
constexpr std::size_t kMaxLineLength = 4096;
constexpr std::size_t kColumns = 7;

// HR exports write US states either way; GeoNames' admin1 codes for the US are the postal codes.
constexpr std::pair<std::string_view, std::string_view> kUsStates[] = {
    {"alabama", "AL"},        {"alaska", "AK"},         {"arizona", "AZ"},
    {"arkansas", "AR"},       {"california", "CA"},     {"colorado", "CO"},
    {"connecticut", "CT"},    {"delaware", "DE"},       {"district of columbia", "DC"},
    {"florida", "FL"},        {"georgia", "GA"},        {"hawaii", "HI"},
    {"idaho", "ID"},          {"illinois", "IL"},       {"indiana", "IN"},
    {"iowa", "IA"},           {"kansas", "KS"},         {"kentucky", "KY"},
    {"louisiana", "LA"},      {"maine", "ME"},          {"maryland", "MD"},
    {"massachusetts", "MA"},  {"michigan", "MI"},       {"minnesota", "MN"},
    {"mississippi", "MS"},    {"missouri", "MO"},       {"montana", "MT"},
    {"nebraska", "NE"},       {"nevada", "NV"},         {"new hampshire", "NH"},
    {"new jersey", "NJ"},     {"new mexico", "NM"},     {"new york", "NY"},
    {"north carolina", "NC"}, {"north dakota", "ND"},   {"ohio", "OH"},
    {"oklahoma", "OK"},       {"oregon", "OR"},         {"pennsylvania", "PA"},
    {"rhode island", "RI"},   {"south carolina", "SC"}, {"south dakota", "SD"},
    {"tennessee", "TN"},      {"texas", "TX"},          {"utah", "UT"},
    {"vermont", "VT"},        {"virginia", "VA"},       {"washington", "WA"},
    {"west virginia", "WV"},  {"wisconsin", "WI"},      {"wyoming", "WY"},
};

std::string key_of(std::string_view folded_city, std::string_view country) {
  std::string key;
  key.reserve(folded_city.size() + 1 + country.size());
  key.append(folded_city).push_back('\t');
  key.append(country);
  return key;
}

// The admin1 code `region` stands for, folded: "tx" for "TX", "Texas" or "texas" in the US.
std::string region_code(std::string_view region, std::string_view country) {
  std::string folded = fold_name(region);
  if (country == "US") {
    for (const auto& [name, code] : kUsStates) {
      if (folded == name) return fold_name(code);
    }
  }
  return folded;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    cells.push_back(
        line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return cells;
}

template <typename T>
bool parse_number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::unique_ptr<Gazetteer> Gazetteer::load(const std::string& path, model::Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.error(kOpenCode, path,
                "cannot read the city gazetteer; homes given only as city/region/country get no "
                "coordinates (see data/gazetteer/README.md)");
    return nullptr;
  }
  auto gazetteer = std::make_unique<Gazetteer>();
  std::string line;
  std::uint64_t line_no = 0;
  int bad = 0;
  auto report_bad = [&](const std::string& message) {
    if (++bad <= kMaxReportedBadLines)
      diags.warning(kLineCode, path + ":" + std::to_string(line_no), message);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    if (line.size() > kMaxLineLength) {
      report_bad("line longer than " + std::to_string(kMaxLineLength) + " characters; skipped");
      continue;
    }
    const auto cells = split_tabs(line);
    if (cells.size() != kColumns) {
      report_bad(
          "expected " + std::to_string(kColumns) +
          " tab-separated columns (name, ascii_name, region, country, lat, lon, population), got " +
          std::to_string(cells.size()) + "; skipped");
      continue;
    }
    Place place{std::string(cells[0]), std::string(cells[2]), std::string(cells[3]), 0, 0, 0};
    if (place.name.empty() || place.country.size() != 2 || !parse_number(cells[4], place.lat) ||
        !parse_number(cells[5], place.lon) || !parse_number(cells[6], place.population) ||
        std::abs(place.lat) > 90 || std::abs(place.lon) > 180 || place.population < 0) {
      report_bad("bad name, country code, latitude, longitude or population; skipped");
      continue;
    }
    const std::string ascii = fold_name(cells[1]);
    gazetteer->add(std::move(place));
    // The ASCII spelling is a second way in ("Zurich" for "Zürich", where folding alone differs).
    const std::uint32_t index = static_cast<std::uint32_t>(gazetteer->places_.size() - 1);
    const Place& added = gazetteer->places_.back();
    if (!ascii.empty() && ascii != fold_name(added.name)) {
      auto& slot = gazetteer->by_name_[key_of(ascii, added.country)];
      slot.insert(std::upper_bound(slot.begin(), slot.end(), index,
                                   [&](std::uint32_t a, std::uint32_t b) {
                                     return gazetteer->places_[a].population >
                                            gazetteer->places_[b].population;
                                   }),
                  index);
    }
  }
  if (in.bad()) {
    diags.error(kOpenCode, path, "read error in the city gazetteer");
    return nullptr;
  }
  if (bad > kMaxReportedBadLines) {
    diags.warning(kLineCode, path,
                  std::to_string(bad) + " bad lines in all; only the first " +
                      std::to_string(kMaxReportedBadLines) + " were reported");
  }
  return gazetteer;
}

void Gazetteer::add(Place place) {
  const std::uint32_t index = static_cast<std::uint32_t>(places_.size());
  places_.push_back(std::move(place));
  const Place& added = places_.back();
  auto& slot = by_name_[key_of(fold_name(added.name), added.country)];
  // Most populous first, so the fallback is slot.front(); equal populations keep file order.
  slot.insert(std::upper_bound(slot.begin(), slot.end(), index,
                               [&](std::uint32_t a, std::uint32_t b) {
                                 return places_[a].population > places_[b].population;
                               }),
              index);
}

const Place* Gazetteer::find(std::string_view city, std::string_view region,
                             std::string_view country) const {
  const auto code = country_iso_code(country);
  if (!code) return nullptr;
  const std::string folded = fold_name(city);
  if (folded.empty()) return nullptr;
  const auto it = by_name_.find(key_of(folded, *code));
  if (it == by_name_.end() || it->second.empty()) return nullptr;
  if (!region.empty()) {
    const std::string wanted = region_code(region, *code);
    for (std::uint32_t i : it->second) {
      if (fold_name(places_[i].region) == wanted) return &places_[i];
    }
  }
  return &places_[it->second.front()];
}

}  // namespace vetter::enrich
