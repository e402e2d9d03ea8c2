// The city gazetteer: the shipped file resolves the samples' homes; lookups by region and
// population; bad files and lines.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "vetter/enrich/gazetteer.h"

using namespace vetter;
using enrich::Gazetteer;
using enrich::Place;

namespace {

namespace fs = std::filesystem;

const std::string kShipped =
    std::string(VETTER_SOURCE_DIR) + "/" + std::string(Gazetteer::kDefaultPath);

const Gazetteer& shipped() {
  static const std::unique_ptr<Gazetteer> kGazetteer = [] {
    model::CollectingDiagnostics diags;
    auto g = Gazetteer::load(kShipped, diags);
    REQUIRE(g);
    CHECK(diags.items().empty());
    return g;
  }();
  return *kGazetteer;
}

struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& text) {
    path = fs::temp_directory_path() / ("vetter-gazetteer-" + std::to_string(::getpid()) + ".tsv");
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

}  // namespace

TEST_CASE("the samples' HR cities resolve in the shipped gazetteer") {
  struct Home {
    const char* city;
    const char* region;
    double lat, lon;
  };
  for (const Home& h :
       {Home{"New York", "NY", 40.71, -74.01}, Home{"Austin", "TX", 30.27, -97.74},
        Home{"Dallas", "TX", 32.78, -96.81}, Home{"Denver", "CO", 39.74, -104.98},
        Home{"Boulder", "CO", 40.01, -105.27}, Home{"Miami", "FL", 25.77, -80.19},
        Home{"Seattle", "WA", 47.61, -122.33}, Home{"Phoenix", "AZ", 33.45, -112.07}}) {
    INFO(h.city);
    const Place* p = shipped().find(h.city, h.region, "US");
    REQUIRE(p);
    CHECK(p->country == "US");
    CHECK(p->region == h.region);
    CHECK(p->lat == Approx(h.lat).margin(0.05));
    CHECK(p->lon == Approx(h.lon).margin(0.05));
  }
  CHECK(shipped().size() > 20'000);
}

TEST_CASE("region picks among namesakes; without it the most populous wins") {
  const Gazetteer& g = shipped();
  // Austin, MN (about 25,000 people) is not Austin, TX.
  const Place* mn = g.find("Austin", "MN", "US");
  REQUIRE(mn);
  CHECK(mn->region == "MN");
  CHECK(mn->lat == Approx(43.67).margin(0.05));
  const Place* tx = g.find("Austin", "", "US");
  REQUIRE(tx);
  CHECK(tx->region == "TX");
  // A state name works as well as its code; an unknown region falls back to the largest.
  CHECK(g.find("Dallas", "Oregon", "US")->region == "OR");
  CHECK(g.find("Dallas", "texas", "United States")->region == "TX");
  CHECK(g.find("Dallas", "ZZ", "US")->region == "TX");
}

TEST_CASE("case, accents and country names do not matter") {
  const Gazetteer& g = shipped();
  const Place* a = g.find("zurich", "", "Switzerland");
  const Place* b = g.find("ZÜRICH", "", "CH");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a == b);
  CHECK(a->name == "Zürich");
  const Place* pyongyang = g.find("Pyongyang", "", "Korea, Democratic People's Republic of");
  REQUIRE(pyongyang);
  CHECK(pyongyang->country == "KP");
  CHECK(pyongyang->lat == Approx(39.03).margin(0.05));
}

TEST_CASE("unknown cities, countries and wrong-country namesakes find nothing") {
  const Gazetteer& g = shipped();
  CHECK_FALSE(g.find("Atlantis", "", "US"));
  CHECK_FALSE(g.find("Denver", "CO", "Narnia"));
  CHECK_FALSE(g.find("", "CO", "US"));
  CHECK_FALSE(g.find("Denver", "CO", ""));
  // A city is looked up in the country given, not anywhere with that name.
  const Place* paris = g.find("Paris", "", "FR");
  REQUIRE(paris);
  CHECK(paris->country == "FR");
  CHECK_FALSE(g.find("Pyongyang", "", "KR"));
}

TEST_CASE("a gazetteer file is checked line by line") {
  TempFile file(
      "# comment\n"
      "Springfield\tSpringfield\tIL\tUS\t39.80\t-89.64\t116250\n"
      "Springfield\tSpringfield\tMA\tUS\t42.10\t-72.59\t155929\n"
      "Nowhere\tNowhere\tXX\tUS\tnorth\t-89.64\t10\n"
      "Toofew\tcolumns\n"
      "Farout\tFarout\tXX\tUS\t91\t0\t10\n"
      "Crlf\tCrlf\tXX\tUS\t1\t2\t3\r\n");
  model::CollectingDiagnostics diags;
  auto g = Gazetteer::load(file.path.string(), diags);
  REQUIRE(g);
  CHECK(g->size() == 3);
  CHECK(diags.count(model::Severity::kWarning) == 3);
  REQUIRE(diags.items().size() == 3);
  CHECK(diags.items()[0].code == "W-GAZETTEER-LINE");
  CHECK(diags.items()[0].where == file.path.string() + ":4");
  CHECK(g->find("Springfield", "", "US")->region == "MA");
  CHECK(g->find("Springfield", "IL", "US")->region == "IL");
  CHECK(g->find("Crlf", "", "US"));

  model::CollectingDiagnostics missing;
  CHECK_FALSE(Gazetteer::load("/nonexistent/cities.tsv", missing));
  CHECK(missing.has_code("E-GAZETTEER-OPEN"));
}
