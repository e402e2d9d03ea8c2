// Profile::copy_to, the per-event copy of an HR profile, and resolve over replaced profiles.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "vetter/identity/directory.h"
#include "vetter/model/field.h"

using namespace vetter;
using model::Fields;

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
  model::Event hr_and_key = hr;  // the profile derives hr.home_key from hr.address_key ...
  hr_and_key.set(Fields::id("hr.home_key"), std::string(100, 'x'));
  hr_and_key.set(Fields::id("hr.person_key"), std::string("id:E1001"));  // ... and the person
  CHECK(everything.same_fields(hr_and_key));
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

TEST_CASE("hr.home_key: the address key, else lower-case country|region|city, else absent") {
  const auto key_of = [](std::initializer_list<std::pair<const char*, const char*>> fields) {
    model::Event e;
    e.set(Fields::id("user.email"), std::string("a@corp.example"));
    for (const auto& [name, text] : fields)
      e.set(Fields::id(name), std::string(text));
    const identity::Profile profile(e);
    const auto* key = std::get_if<std::string>(&profile.get(Fields::id("hr.home_key")));
    // The profile's hr.* view (what events read as their base) holds the same value.
    const auto* base = profile.hr().find(Fields::id("hr.home_key"));
    CHECK((key == nullptr) == (base == nullptr));
    if (key && base) CHECK(std::get<std::string>(*base) == *key);
    // The function and the profile agree.
    CHECK(identity::home_key(e).value_or("<absent>") == (key ? *key : "<absent>"));
    return key ? *key : std::string("<absent>");
  };
  CHECK(key_of({{"hr.address_key", "12 elm st|springfield|il"},
                {"hr.country", "US"},
                {"hr.city", "Springfield"}}) == "12 elm st|springfield|il");
  CHECK(key_of({{"hr.country", "US"}, {"hr.region", "NY"}, {"hr.city", " New York "}}) ==
        "us|ny|new york");
  // Colleagues in one city without an address share it; another state's Springfield does not.
  CHECK(key_of({{"hr.country", "us"}, {"hr.region", "ny"}, {"hr.city", "NEW YORK"}}) ==
        "us|ny|new york");
  CHECK(key_of({{"hr.country", "US"}, {"hr.region", "IL"}, {"hr.city", "Springfield"}}) !=
        key_of({{"hr.country", "US"}, {"hr.region", "MA"}, {"hr.city", "Springfield"}}));
  // Missing parts keep their place, so a city is never read as a region.
  CHECK(key_of({{"hr.country", "US"}, {"hr.city", "Austin"}}) == "us||austin");
  CHECK(key_of({{"hr.city", "Austin"}}) == "||austin");
  CHECK(key_of({{"hr.country", "GB"}}) == "gb||");
  // Nothing declared (or only blanks): absent, so workers without a home never share one.
  CHECK(key_of({}) == "<absent>");
  CHECK(key_of({{"hr.address_key", "  "}, {"hr.city", ""}}) == "<absent>");
  // A record that sets hr.home_key itself keeps it.
  CHECK(key_of({{"hr.home_key", "given"}, {"hr.city", "Austin"}}) == "given");
}

TEST_CASE("hr.home_key reaches every event of the worker through the directory") {
  identity::Directory directory;
  model::Event hr;
  hr.set(Fields::id("user.email"), std::string("jane.doe@corp.example"));
  hr.set(Fields::id("hr.country"), std::string("US"));
  hr.set(Fields::id("hr.region"), std::string("TX"));
  hr.set(Fields::id("hr.city"), std::string("Austin"));
  directory.add_hr(hr);
  model::Event signin;
  signin.set(Fields::id("user.original"), std::string("JANE.DOE@corp.example"));
  const identity::Profile* profile = identity::resolve(signin, directory);
  REQUIRE(profile);
  signin.set_base(&profile->hr());
  CHECK(signin.str(Fields::id("hr.home_key")) == "us|tx|austin");
}

TEST_CASE("derived keys: a person by name, a town per household") {
  identity::Directory directory;
  auto row = [](std::string email, std::string id, std::string name, std::string city,
                std::string address) {
    model::Event e;
    e.set(Fields::id("user.email"), std::move(email));
    e.set(Fields::id("hr.employee_id"), std::move(id));
    if (!name.empty()) e.set(Fields::id("hr.full_name"), std::move(name));
    e.set(Fields::id("hr.country"), std::string("US"));
    e.set(Fields::id("hr.region"), std::string("CO"));
    e.set(Fields::id("hr.city"), std::move(city));
    if (!address.empty()) e.set(Fields::id("hr.address_key"), std::move(address));
    return e;
  };
  directory.add_hr(row("miles@corp", "E1", "Miles  Parker", "Denver", "114 maple st denver co"));
  directory.add_hr(row("henry@corp", "E2", "Parker, Henry", "Boulder", "114 maple st denver co"));
  directory.add_hr(row("ann@corp", "E3", "", "Boulder", "9 elm st boulder co"));
  const auto str = [&](const char* account, const char* field) {
    return std::string(directory.profile(account)->str(Fields::id(field)));
  };
  CHECK(str("miles@corp", "hr.person_key") == "miles parker");
  CHECK(str("henry@corp", "hr.person_key") == "henry parker");  // words sorted, punctuation gone
  CHECK(str("ann@corp", "hr.person_key") == "id:E3");           // no name: the employee id
  CHECK(str("miles@corp", "hr.locality_key") == "us|co|denver");
  // Henry wrote Boulder at Miles's address: one household, one town (the first worker's).
  CHECK(str("henry@corp", "hr.locality_key") == "us|co|denver");
  CHECK(str("henry@corp", "hr.city") == "Boulder");  // the record itself is unchanged
  CHECK(str("ann@corp", "hr.locality_key") == "us|co|boulder");
  CHECK(str("henry@corp", "hr.home_key") == "114 maple st denver co");

  // The ship-to names the declared town (an office pickup) or does not (sent across the country).
  model::Event pickup = row("cara@corp", "E4", "Cara Diaz", "Denver", "9 elm st denver co");
  pickup.set(Fields::id("hr.ship_to_key"), std::string("1700 lincoln st denver co"));
  model::Event away = row("dan@corp", "E5", "Dan Kim", "Austin", "12 sunset blvd austin tx");
  away.set(Fields::id("hr.ship_to_key"), std::string("4410 industrial pkwy unit 9 denver co"));
  directory.add_hr(pickup);
  directory.add_hr(away);
  const auto flag = [&](const char* account) {
    return std::get<bool>(directory.profile(account)->get(Fields::id("hr.ship_to_in_home_town")));
  };
  CHECK(flag("cara@corp"));
  CHECK_FALSE(flag("dan@corp"));
  CHECK(
      model::is_absent(directory.profile("ann@corp")->get(Fields::id("hr.ship_to_in_home_town"))));
}
