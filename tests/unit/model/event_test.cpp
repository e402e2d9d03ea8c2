// Event keeps a slot per field and a presence bit: clearing drops bits, not buffers.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "vetter/model/event.h"

using namespace vetter::model;

namespace {

const FieldId kUser = Fields::id("user.original");
const FieldId kName = Fields::id("user.name");
const FieldId kPort = Fields::id("source.as.number");
const FieldId kLists = Fields::id("source.lists");
const std::string kLong = "a user name long enough to live outside the small-string buffer";

}  // namespace

TEST_CASE("a cleared event reads absent everywhere and keeps its string buffers") {
  Event e;
  e.time_us = 7;
  e.origin = {"f.jsonl", 3};
  e.set(kUser, kLong);
  e.set(kPort, std::int64_t{64500});
  const char* buffer = e.str(kUser).data();
  e.clear();
  CHECK(e.empty());
  CHECK(e.time_us == 0);
  CHECK(e.origin.line == 0);
  CHECK(is_absent(e.get(kUser)));
  CHECK(e.str(kUser).empty());
  CHECK(is_absent(e.get(kPort)));
  CHECK_FALSE(e.has(kUser));

  // The next event's text goes into the same buffer.
  e.set(kUser, std::string_view("short"));
  CHECK(e.str(kUser) == "short");
  CHECK(e.str(kUser).data() == buffer);
  // A stale value is never read back: text_slot of an absent field starts empty.
  e.clear();
  CHECK(e.text_slot(kUser).empty());
  CHECK(e.has(kUser));
}

TEST_CASE("set, erase and for_each see exactly the set fields, in id order") {
  Event e;
  e.set(kPort, 5);
  e.set(kUser, "u");
  e.set(kLists, std::vector<std::string>{"a", "b"});
  e.set(kName, Value{});  // setting absent erases
  std::vector<FieldId> seen;
  e.for_each([&](FieldId id, const Value& v) {
    seen.push_back(id);
    CHECK_FALSE(is_absent(v));
  });
  std::vector<FieldId> expected{kPort, kUser, kLists};
  std::sort(expected.begin(), expected.end());
  CHECK(seen == expected);
  e.erase(kUser);
  CHECK_FALSE(e.has(kUser));
  CHECK(std::get<std::int64_t>(e.get(kPort)) == 5);
  CHECK(std::get<std::vector<std::string>>(e.get(kLists)).size() == 2);
}

TEST_CASE("same_fields ignores what absent slots still hold") {
  Event a;
  Event b;
  a.set(kUser, kLong);
  a.clear();
  a.set(kPort, 1);
  b.set(kPort, 1);
  CHECK(a.same_fields(b));
  b.set(kName, "n");
  CHECK_FALSE(a.same_fields(b));
  b.erase(kName);
  b.set(kPort, 2);
  CHECK_FALSE(a.same_fields(b));
}

TEST_CASE("a moved-from event is empty and can be filled again") {
  Event a;
  a.set(kUser, kLong);
  Event b = std::move(a);
  CHECK(b.str(kUser) == kLong);
  CHECK(a.empty());  // NOLINT(bugprone-use-after-move): reuse after move is the point
  a.set(kUser, "again");
  CHECK(a.str(kUser) == "again");
  Event c;
  c = std::move(b);
  CHECK(c.str(kUser) == kLong);
  CHECK(b.empty());  // NOLINT(bugprone-use-after-move)
  b.set(kPort, 3);
  CHECK(std::get<std::int64_t>(b.get(kPort)) == 3);
}
