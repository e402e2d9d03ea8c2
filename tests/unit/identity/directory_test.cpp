// Identity resolution: HR aliases map every spelling of a worker's name to one account.
#include <catch2/catch.hpp>

#include "vetter/identity/directory.h"
#include "vetter/model/field.h"
#include "vetter/sources/source.h"

using namespace vetter;
using model::Fields;

namespace {

model::Event hr_event(std::string email, std::string network_id, std::string employee_id,
                      std::string status = "active") {
  model::Event e;
  if (!email.empty()) {
    e.set(Fields::id("user.email"), email);
    e.set(Fields::id("user.original"), email);
  }
  std::vector<std::string> aliases;
  for (const std::string& a : {email, network_id, employee_id}) {
    if (!a.empty()) aliases.push_back(a);
  }
  e.set(Fields::id("user.aliases"), aliases);
  if (!employee_id.empty()) e.set(Fields::id("hr.employee_id"), employee_id);
  e.set(Fields::id("hr.status"), status);
  return e;
}

model::Event login(std::string_view field, std::string user) {
  model::Event e;
  e.set(Fields::id(field), std::move(user));
  return e;
}

std::string name_of(const model::Event& e) {
  return std::string(e.str(Fields::id("user.name")));
}
bool in_hr(const model::Event& e) {
  return std::get<bool>(e.get(Fields::id("user.in_hr")));
}

}  // namespace

TEST_CASE("normalize_alias lower-cases, trims and drops a DOMAIN\\ prefix") {
  CHECK(identity::normalize_alias("  Jane.Doe@Corp.Example ") == "jane.doe@corp.example");
  CHECK(identity::normalize_alias("CORP\\Jane.Doe") == "jane.doe");
  CHECK(identity::normalize_alias("jane.doe") == "jane.doe");
  CHECK(identity::normalize_alias("") == "");
  CHECK(identity::normalize_alias("\\") == "");
}

TEST_CASE("VPN, domain and Okta spellings resolve to the work e-mail") {
  identity::Directory dir;
  REQUIRE(dir.add_hr(hr_event("jane.doe@corp.example", "jane.doe", "E1001")) ==
          "jane.doe@corp.example");
  REQUIRE(dir.add_hr(hr_event("raj.patel@corp.example", "rpatel", "E1002")) ==
          "raj.patel@corp.example");
  CHECK(dir.size() == 2);

  for (const char* raw : {"jane.doe", "CORP\\Jane.Doe", "Jane.Doe@corp.example", "E1001"}) {
    model::Event e = login("user.original", raw);
    const identity::Profile* profile = identity::resolve(e, dir);
    INFO(raw);
    REQUIRE(profile != nullptr);
    CHECK(profile == dir.profile("jane.doe@corp.example"));
    CHECK(profile->str(Fields::id("hr.employee_id")) == "E1001");
    CHECK(name_of(e) == "jane.doe@corp.example");
    CHECK(in_hr(e));
  }
  CHECK(dir.resolve("RPATEL") == "raj.patel@corp.example");

  SECTION("user.email is the fallback when user.original is empty") {
    model::Event e = login("user.email", "Raj.Patel@corp.example");
    e.set(Fields::id("user.original"), std::string("  "));
    identity::resolve(e, dir);
    CHECK(name_of(e) == "raj.patel@corp.example");
    CHECK(in_hr(e));
  }
  SECTION("an unknown account keeps its normalized name and is not in HR") {
    model::Event e = login("user.original", "CORP\\Mallory");
    CHECK(identity::resolve(e, dir) == nullptr);
    CHECK(name_of(e) == "mallory");
    CHECK_FALSE(in_hr(e));
    model::Event nobody;
    identity::resolve(nobody, dir);
    CHECK(model::is_absent(nobody.get(Fields::id("user.name"))));
    CHECK_FALSE(in_hr(nobody));
  }
  SECTION("a reused event's earlier user.name is overwritten, longer or shorter") {
    model::Event e = login("user.original", "jane.doe");
    e.set(Fields::id("user.name"), std::string("someone.with.a.much.longer.name@corp.example"));
    identity::resolve(e, dir);
    CHECK(name_of(e) == "jane.doe@corp.example");
    e.set(Fields::id("user.original"), std::string("Bob"));
    identity::resolve(e, dir);
    CHECK(name_of(e) == "bob");
    CHECK_FALSE(in_hr(e));
  }
}

TEST_CASE("profiles: the latest HR record wins; employee id is the fallback account") {
  identity::Directory dir;
  dir.add_hr(hr_event("jane.doe@corp.example", "jane.doe", "E1001", "active"));
  dir.add_hr(hr_event("Jane.Doe@corp.example", "jane.doe", "E1001", "terminated"));
  CHECK(dir.size() == 1);
  const identity::Profile* p = dir.profile("JANE.DOE@corp.example");
  REQUIRE(p != nullptr);
  CHECK(p->str(Fields::id("hr.status")) == "terminated");

  CHECK(dir.add_hr(hr_event("", "cj", "E2000")) == "E2000");  // the id as HR writes it
  CHECK(dir.resolve("cj") == "E2000");
  CHECK(dir.resolve("e2000") == "E2000");
  REQUIRE(dir.profile("cj") != nullptr);
  CHECK(dir.profile("cj")->str(Fields::id("hr.employee_id")) == "E2000");
  CHECK(dir.add_hr(model::Event{}) == std::nullopt);
  CHECK(dir.accounts() == std::vector<std::string>{"E2000", "jane.doe@corp.example"});
  CHECK(dir.profile("nobody") == nullptr);
  // The compact profile keeps only what the record set.
  CHECK(model::is_absent(p->get(Fields::id("source.ip"))));
  CHECK(p->str(Fields::id("hr.employee_id")) == "E1001");
  CHECK(p->str(Fields::id("hr.status")) == "terminated");
  CHECK_FALSE(dir.resolve("nobody"));
}

TEST_CASE("an alias two workers claim stays with the first; own accounts are never taken") {
  identity::Directory dir;
  dir.add_hr(hr_event("a@corp.example", "shared", "E1"));
  dir.add_hr(hr_event("b@corp.example", "shared", "E2"));
  dir.add_hr(hr_event("c@corp.example", "a@corp.example", "E3"));
  CHECK(dir.resolve("shared") == "a@corp.example");
  CHECK(dir.resolve("a@corp.example") == "a@corp.example");
  CHECK(dir.resolve("E3") == "c@corp.example");
}

TEST_CASE("end to end: the shipped hr-csv definition feeds the directory") {
  sources::Catalog catalog;
  model::CollectingDiagnostics diags;
  REQUIRE(catalog.load_dir("rules/sources", diags));
  const sources::Source& hr = *catalog.find("hr-csv");
  identity::Directory dir;
  ingest::ReadStats stats;
  REQUIRE(ingest::read_records(
      "samples/formats/hr.csv", hr.format(),
      [&](ingest::Record&& r) {
        model::Event e;
        if (hr.map(r, e, diags)) dir.add_hr(e);
      },
      diags, stats));
  CHECK(diags.items().empty());
  CHECK(dir.accounts() == std::vector<std::string>{"cj.li@corp.example", "jane.doe@corp.example",
                                                   "raj.patel@corp.example"});
  CHECK(dir.resolve("CORP\\JANE.DOE") == "jane.doe@corp.example");
  CHECK(dir.resolve("rpatel") == "raj.patel@corp.example");
  CHECK(dir.resolve("e1003") == "cj.li@corp.example");
}

TEST_CASE("an HR row with no account yet (a candidate) is named by its employee id") {
  identity::Directory dir;
  model::Event candidate;
  candidate.set(Fields::id("hr.employee_id"), std::string("C7001"));
  candidate.set(Fields::id("hr.status"), std::string("candidate"));
  dir.add_hr(candidate);
  identity::resolve(candidate, dir);
  CHECK(candidate.str(Fields::id("user.name")) == "C7001");
  CHECK(std::get<bool>(candidate.get(Fields::id("user.in_hr"))));
  model::Event nameless;  // a sign-in without any name stays nameless
  identity::resolve(nameless, dir);
  CHECK(nameless.str(Fields::id("user.name")).empty());
}
