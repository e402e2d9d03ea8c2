// The field catalogue: names are unique and lookups round-trip.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "vetter/model/event.h"
#include "vetter/model/field.h"

using namespace vetter::model;

TEST_CASE("field names are unique and found by name") {
  std::set<std::string> seen;
  for (const auto& f : Fields::all()) {
    CHECK(seen.insert(std::string(f.name)).second);
    auto id = Fields::find(f.name);
    REQUIRE(id);
    CHECK(Fields::info(*id).name == f.name);
  }
  CHECK_FALSE(Fields::find("source.geo.country"));
  CHECK(Fields::info(Fields::id("source.ip")).type == FieldType::kIp);
}

TEST_CASE("events start with every field absent") {
  Event e;
  const auto ip = Fields::id("source.ip");
  CHECK(is_absent(e.get(ip)));
  e.set(ip, std::string("81.2.69.160"));
  CHECK(e.str(ip) == "81.2.69.160");
  CHECK(e.str(Fields::id("user.name")).empty());
}

TEST_CASE("values render as text") {
  CHECK(to_text(Value{std::int64_t{42}}) == "42");
  CHECK(to_text(Value{true}) == "true");
  CHECK(to_text(Value{std::vector<std::string>{"a", "b"}}) == "a,b");
  CHECK(to_text(Value{}).empty());
}
