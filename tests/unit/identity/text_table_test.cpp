// TextTable (the alias index and per-IP cache) and Profile::copy_to, the per-event copy.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "vetter/identity/directory.h"
#include "vetter/identity/text_table.h"
#include "vetter/model/field.h"

using namespace vetter;
using model::Fields;

TEST_CASE("text table: inline and long keys, growth, clear") {
  identity::TextTable<std::uint32_t, 32> table;  // 16 bytes of key inline
  const auto key = [](std::uint32_t i) {
    // Short keys stay in the slot; every third one is long enough to live in the shared buffer.
    return i % 3 == 0 ? "2001:db8:100:" + std::to_string(i) + ":ffff:ffff:ffff"
                      : "10.0." + std::to_string(i);
  };
  for (std::uint32_t i = 0; i < 5000; ++i) {
    const std::string k = key(i);
    const auto [value, added] = table.insert(k, table.hash(k), i);
    REQUIRE(added);
    REQUIRE(*value == i);
  }
  CHECK(table.size() == 5000);
  for (std::uint32_t i = 0; i < 5000; ++i) {
    const std::uint32_t* found = table.find(key(i));
    REQUIRE(found);
    CHECK(*found == i);
  }
  // A second insert keeps the first value; near misses (a prefix, one character more) find nothing.
  const auto [kept, added] = table.insert(key(7), table.hash(key(7)), 99);
  CHECK_FALSE(added);
  CHECK(*kept == 7);
  CHECK_FALSE(table.find("10.0.7 "));
  CHECK_FALSE(table.find("10.0."));
  CHECK_FALSE(table.find(""));
  CHECK_FALSE(table.find(key(3).substr(0, key(3).size() - 1)));
  *table.find_mutable(key(7), table.hash(key(7))) = 70;
  CHECK(*table.find(key(7)) == 70);

  table.clear();
  CHECK(table.size() == 0);
  CHECK_FALSE(table.find(key(7)));
  CHECK_FALSE(table.find(key(3)));
  table.insert(key(3), table.hash(key(3)), 3);
  CHECK(*table.find(key(3)) == 3);
  CHECK_FALSE(table.find(key(6)));
}

TEST_CASE("text hash: equal text, equal hash; lengths and bytes tell keys apart") {
  std::vector<std::uint64_t> seen;
  for (const std::string s : {"", "a", "b", "ab", "abc", "abcd", "abcde", "abcdefgh", "abcdefghi",
                              "abcdefghijklmnop", "abcdefghijklmnopq", "bbcdefghijklmnop"}) {
    CHECK(identity::text_hash(s) == identity::text_hash(std::string(s)));
    seen.push_back(identity::text_hash(s));
  }
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}

TEST_CASE("profile copy_to sets exactly the selected fields, as fields() holds them") {
  model::Event hr;
  hr.set(Fields::id("user.email"), std::string("jane.doe@corp.example"));
  hr.set(Fields::id("hr.employee_id"), std::string("E1001"));
  hr.set(Fields::id("hr.status"), std::string(""));  // an empty string is a value, not absent
  hr.set(Fields::id("hr.address_key"), std::string(100, 'x'));
  hr.set(Fields::id("hr.home.lat"), 40.7);
  hr.set(Fields::id("user.aliases"), std::vector<std::string>{"jdoe", "E1001"});
  const identity::Profile profile(hr);

  std::vector<bool> hr_only(Fields::count(), false);
  for (std::size_t i = 0; i < Fields::count(); ++i)
    hr_only[i] = Fields::info(static_cast<model::FieldId>(i)).name.starts_with("hr.");
  model::Event event;
  event.set(Fields::id("hr.status"), std::string("left over from another event"));
  event.set(Fields::id("hr.country"), std::string("US"));  // the profile has none: kept
  profile.copy_to(event, hr_only);

  model::Event expected;
  expected.set(Fields::id("hr.country"), std::string("US"));
  for (const auto& [id, value] : profile.fields())
    if (hr_only[id]) expected.set(id, value);
  CHECK(event.same_fields(expected));
  CHECK(event.has(Fields::id("hr.status")));
  CHECK(event.str(Fields::id("hr.status")).empty());
  CHECK_FALSE(event.has(Fields::id("user.email")));

  std::vector<bool> all(Fields::count(), true);
  model::Event everything;
  profile.copy_to(everything, all);
  CHECK(everything.same_fields(hr));
  model::Event none;
  identity::Profile().copy_to(none, all);
  CHECK(none.empty());
}

TEST_CASE("a replaced profile is what resolve returns for every alias") {
  identity::Directory directory;
  const auto record = [](std::string status) {
    model::Event e;
    e.set(Fields::id("user.email"), std::string("Jane.Doe@corp.example"));
    e.set(Fields::id("user.aliases"), std::vector<std::string>{"CORP\\jdoe"});
    e.set(Fields::id("hr.employee_id"), std::string("E1001"));
    e.set(Fields::id("hr.status"), std::move(status));
    return e;
  };
  directory.add_hr(record("hire"));
  // Other workers in between make the table grow and move its slots.
  for (int i = 0; i < 500; ++i) {
    model::Event other;
    other.set(Fields::id("user.email"), "w" + std::to_string(i) + "@corp.example");
    directory.add_hr(other);
  }
  directory.add_hr(record("terminated"));
  for (const std::string name : {"jane.doe@corp.example", "JDOE", "e1001"}) {
    model::Event event;
    event.set(Fields::id("user.original"), name);
    const identity::Profile* profile = identity::resolve(event, directory);
    REQUIRE(profile);
    CHECK(profile->str(Fields::id("hr.status")) == "terminated");
    CHECK(event.str(Fields::id("user.name")) == "jane.doe@corp.example");
  }
}
