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

TEST_CASE("a field set keeps its fields in id order whatever order they are set in") {
  FieldSet set;
  set.set(kLists, std::vector<std::string>{"vpn_exits"});
  set.set(kUser, kLong);
  set.set(kPort, std::int64_t{64500});
  set.set(kUser, std::string("replaced"));  // the same id again: replaced, not added
  CHECK(set.size() == 3);
  REQUIRE(set.find(kUser) != nullptr);
  CHECK(std::get<std::string>(*set.find(kUser)) == "replaced");
  CHECK(std::get<std::int64_t>(*set.find(kPort)) == 64500);
  CHECK(set.find(kName) == nullptr);
  std::vector<FieldId> order;
  set.for_each([&](FieldId id, const Value&) { order.push_back(id); });
  CHECK(std::is_sorted(order.begin(), order.end()));
  CHECK(order.size() == 3);
  set.set(kPort, Value{});  // absent removes
  CHECK_FALSE(set.has(kPort));
  CHECK(std::get<std::string>(*set.find(kUser)) == "replaced");
  CHECK(std::get<std::vector<std::string>>(*set.find(kLists)).front() == "vpn_exits");
}

TEST_CASE("an event reads its base's fields unless it sets them itself") {
  FieldSet profile;
  profile.set(kUser, kLong);
  profile.set(kPort, std::int64_t{64500});
  Event e;
  e.set(kName, std::string("jane"));
  e.set_base(&profile);
  CHECK(e.has(kUser));
  CHECK_FALSE(e.owns(kUser));
  CHECK(e.str(kUser) == kLong);
  CHECK(std::get<std::int64_t>(e.get(kPort)) == 64500);
  CHECK(e.str(kName) == "jane");

  // Its own value hides the base's, and the shared set is left alone.
  e.set(kUser, std::string("own"));
  CHECK(e.str(kUser) == "own");
  CHECK(std::get<std::string>(*profile.find(kUser)) == kLong);

  // for_each walks both, in id order, the event's own value winning.
  std::vector<std::pair<FieldId, std::string>> seen;
  e.for_each([&](FieldId id, const Value& v) {
    seen.emplace_back(id, v.index() == 1 ? std::get<std::string>(v) : std::string("#"));
  });
  std::vector<std::pair<FieldId, std::string>> expected{
      {kUser, "own"}, {kName, "jane"}, {kPort, "#"}};
  std::sort(expected.begin(), expected.end());
  CHECK(seen == expected);
  std::size_t own = 0;
  e.for_each_own([&](FieldId, const Value&) { ++own; });
  CHECK(own == 2);

  // The same fields set by copying compare equal to the ones read through the base.
  Event copied;
  copied.set(kName, std::string("jane"));
  copied.set(kUser, std::string("own"));
  copied.set(kPort, std::int64_t{64500});
  CHECK(e.same_fields(copied));
  CHECK(copied.same_fields(e));
  copied.erase(kPort);
  CHECK_FALSE(e.same_fields(copied));
  CHECK_FALSE(copied.same_fields(e));
}

TEST_CASE("erasing a base field removes it from the event only") {
  FieldSet profile;
  profile.set(kUser, kLong);
  profile.set(kPort, std::int64_t{64500});
  Event e;
  e.set_base(&profile);
  e.erase(kPort);
  CHECK_FALSE(e.has(kPort));
  CHECK(e.str(kUser) == kLong);  // the other base fields stay readable
  CHECK(profile.has(kPort));
  e.set(kUser, Value{});  // setting absent erases too
  CHECK_FALSE(e.has(kUser));
  CHECK(e.empty());
}

TEST_CASE("clearing or moving an event takes its base with it") {
  FieldSet profile;
  profile.set(kUser, kLong);
  Event e;
  e.set_base(&profile);
  CHECK_FALSE(e.empty());
  Event moved(std::move(e));
  CHECK(moved.str(kUser) == kLong);
  CHECK(e.empty());  // NOLINT(bugprone-use-after-move): moved-from events are reusable
  CHECK_FALSE(e.has(kUser));
  Event copy = moved;
  CHECK(copy.base() == &profile);
  moved.clear();
  CHECK(moved.empty());
  CHECK(moved.base() == nullptr);
}
