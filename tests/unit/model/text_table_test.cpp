// TextTable: the flat text-keyed table of the alias index, the per-IP cache and the enricher's
// other caches, and the hash the rules' shared texts use too.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "vetter/model/text_table.h"

using namespace vetter;

TEST_CASE("text table: inline and long keys, growth, clear") {
  model::TextTable<std::uint32_t, 32> table;  // 16 bytes of key inline
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
    CHECK(model::text_hash(s) == model::text_hash(std::string(s)));
    seen.push_back(model::text_hash(s));
  }
  std::sort(seen.begin(), seen.end());
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
}
