// Streams: per-input reorder within the allowance, late events counted, deterministic merge.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "input_stream.h"
#include "merger.h"
#include "temp_dir.h"
#include "vector_source.h"
#include "vetter/model/time.h"

using namespace vetter;

namespace {

std::string okta_line(const std::string& time, const std::string& user) {
  return R"({"published":")" + time +
         R"(","eventType":"user.session.start","actor":{"alternateId":")" + user +
         R"("},"client":{"ipAddress":"203.0.113.5"},"outcome":{"result":"SUCCESS"}})" + "\n";
}

std::shared_ptr<const sources::Source> okta() {
  static sources::Catalog catalog;
  static bool loaded = [] {
    model::CollectingDiagnostics d;
    return catalog.load_dir(VETTER_SOURCE_DIR "/rules/sources", d);
  }();
  REQUIRE(loaded);
  const auto* s = catalog.find("okta");
  REQUIRE(s);
  return {std::shared_ptr<void>(), s};
}

std::vector<std::string> drain(app::EventSource& s) {
  std::vector<std::string> out;
  model::Event e;
  const auto user = model::Fields::id("user.original");
  while (s.next(e))
    out.push_back(model::format_iso8601(e.time_us).substr(11, 5) + " " + std::string(e.str(user)));
  return out;
}

}  // namespace

TEST_CASE("an input is put in order within the allowance; later events are counted") {
  TempDir dir;
  const std::string file =
      dir.write("a.jsonl", okta_line("2026-10-01T10:00:00Z", "a") +
                               okta_line("2026-10-01T09:30:00Z", "b") +  // 30 min early: sorted
                               okta_line("2026-10-01T12:00:00Z", "c") +
                               okta_line("2026-10-01T10:30:00Z", "d") +  // past the allowance
                               okta_line("2026-10-01T12:00:00Z", "e"));
  model::CollectingDiagnostics diags;
  app::StreamOptions options;
  options.reorder_allowance_us = 3600LL * 1'000'000;
  options.batch_size = 2;
  options.max_batches = 1;
  app::InputStream stream(okta(), {&file}, options, diags);
  stream.start();
  auto got = drain(stream);
  // d is 1.5 h behind c: c and a's window has moved on, so d comes after a and b but before c,
  // in arrival order relative to what was already let through.
  CHECK(got == std::vector<std::string>{"09:30 b", "10:00 a", "10:30 d", "12:00 c", "12:00 e"});
  CHECK(stream.late() == 0);
  REQUIRE(stream.summaries().size() == 1);
  CHECK(stream.summaries()[0].events == 5);
}

TEST_CASE("events older than what was already released are late") {
  TempDir dir;
  const std::string file = dir.write("a.jsonl", okta_line("2026-10-01T10:00:00Z", "a") +
                                                    okta_line("2026-10-01T13:00:00Z", "b") +
                                                    okta_line("2026-10-01T09:00:00Z", "late"));
  model::CollectingDiagnostics diags;
  app::StreamOptions options;
  options.reorder_allowance_us = 3600LL * 1'000'000;
  app::InputStream stream(okta(), {&file}, options, diags);
  stream.start();
  auto got = drain(stream);
  CHECK(got == std::vector<std::string>{"10:00 a", "09:00 late", "13:00 b"});
  CHECK(stream.late() == 1);
}

TEST_CASE("the merge orders by time, then by input, whatever the threads do") {
  TempDir dir;
  const std::string f1 = dir.write(
      "1.jsonl", okta_line("2026-10-01T10:00:00Z", "x1") + okta_line("2026-10-01T11:00:00Z", "x2"));
  const std::string f2 = dir.write(
      "2.jsonl", okta_line("2026-10-01T10:00:00Z", "y1") + okta_line("2026-10-01T10:30:00Z", "y2"));
  for (int round = 0; round < 20; ++round) {
    model::CollectingDiagnostics diags;
    app::InputStream s1(okta(), {&f1}, {}, diags), s2(okta(), {&f2}, {}, diags);
    s1.start();
    s2.start();
    app::Merger merger({&s1, &s2});
    CHECK(drain(merger) ==
          std::vector<std::string>{"10:00 x1", "10:00 y1", "10:30 y2", "11:00 x2"});
  }
}

TEST_CASE("a consumer that stops early does not hang the producer") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 5000; ++i)
    text += okta_line("2026-10-01T10:00:00Z", "u");
  const std::string file = dir.write("big.jsonl", text);
  model::CollectingDiagnostics diags;
  app::StreamOptions options;
  options.batch_size = 16;
  options.max_batches = 2;
  {
    app::InputStream stream(okta(), {&file}, options, diags);
    stream.start();
    model::Event e;
    CHECK(stream.next(e));
  }  // destructor must return
  SUCCEED("no hang");
}

TEST_CASE("one thread and several give the same events, counts and reports in file order") {
  TempDir dir;
  // Enough lines for many chunks (4096 lines each), with bad and skipped lines spread through.
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    const int minute = (i / 7) % 60, hour = 8 + (i / 420) % 12;
    char when[32];
    std::snprintf(when, sizeof when, "2026-10-01T%02d:%02d:%02dZ", hour, minute, i % 60);
    if (i % 997 == 0) {
      text += "{broken json\n";
    } else if (i % 1301 == 0) {
      text += "\xff\xfe not utf-8\n";
    } else if (i % 1499 == 0) {
      text += R"({"published":"2026-09-31T00:00:00Z"})"
              "\n";  // impossible date: a map error
    } else {
      text += okta_line(when, "user" + std::to_string(i % 50));
    }
  }
  const std::string file = dir.write("big.jsonl", text);
  const auto run = [&](unsigned threads) {
    model::CollectingDiagnostics diags;
    app::StreamOptions options;
    options.threads = threads;
    app::InputStream stream(okta(), {&file}, options, diags);
    stream.start();
    std::vector<std::string> got = drain(stream);
    for (const model::Diagnostic& d : diags.items())
      got.push_back(d.code + "@" + d.where);
    const report::InputSummary& s = stream.summaries().at(0);
    got.push_back(std::to_string(s.events) + " " + std::to_string(s.records) + " " +
                  std::to_string(s.bad) + " " + std::to_string(s.skipped) + " " +
                  std::to_string(s.bytes));
    return got;
  };
  const std::vector<std::string> one = run(1);
  CHECK(run(2) == one);
  CHECK(run(3) == one);
  // Reports come in file order whatever the threads: the first bad line is line 1 (i = 0).
  CHECK(std::find(one.begin(), one.end(), "E-INPUT-JSON@" + file + ":1") != one.end());
  CHECK(one.back().rfind("19951 20000 49 0 ", 0) == 0);
}

TEST_CASE("a packed event unpacks to the same fields, overwriting a reused event") {
  using model::Fields;
  model::Event e;
  e.time_us = 1'700'000'000'123'456;
  e.origin = {"x.jsonl", 42};
  const std::string long_text(300, 'q');  // beyond any small-string buffer
  e.set(Fields::id("user.original"), long_text);
  e.set(Fields::id("source.ip"), std::string());  // empty is not absent
  e.set(Fields::id("source.as.number"), std::int64_t{-7});
  e.set(Fields::id("source.geo.location.lat"), 52.5);
  e.set(Fields::id("user.in_hr"), false);
  e.set(Fields::id("source.lists"), std::vector<std::string>{"kp_ranges", "", "vpn_exits"});
  e.set(Fields::id("user.aliases"), std::vector<std::string>{});
  const model::Event original = e;

  app::PackedEvent packed = app::PackedEvent::pack(e, 9);
  CHECK(packed.seq == 9);
  CHECK(packed.time_us == original.time_us);
  // pack() leaves the event fresh for the next record.
  CHECK(e.empty());
  for (model::FieldId id = 0; id < Fields::count(); ++id)
    CHECK(model::is_absent(e.get(id)));
  CHECK(e.time_us == 0);

  // The consumer's event still holds the previous event's fields, some of them strings.
  model::Event reused;
  reused.time_us = 5;
  reused.set(Fields::id("user.original"), std::string("previous, also long enough to allocate"));
  reused.set(Fields::id("user.name"), std::string("stale"));
  reused.set(Fields::id("source.ip"), std::int64_t{3});  // another type in the slot
  packed.unpack(reused);
  CHECK(reused.same_fields(original));
  CHECK(reused.time_us == original.time_us);
  CHECK(reused.origin.file == "x.jsonl");
  CHECK(reused.origin.line == 42);
  CHECK(model::is_absent(reused.get(Fields::id("user.name"))));

  // A moved-from event (no slots) is filled too.
  model::Event moved_from;
  model::Event sink = std::move(moved_from);
  packed.unpack(moved_from);  // NOLINT(bugprone-use-after-move): reuse after move is the point
  CHECK(moved_from.same_fields(original));
}

TEST_CASE("a packed event keeps its base by reference, and unpacking replaces a stale one") {
  using model::Fields;
  model::FieldSet profile;
  profile.set(Fields::id("hr.country"), std::string("US"));
  profile.set(Fields::id("hr.address_key"), std::string(100, 'a'));
  model::Event e;
  e.set(Fields::id("user.name"), std::string("jane"));
  e.set(Fields::id("hr.country"), std::string("KP"));  // own value over the base's
  e.set_base(&profile);
  const model::Event original = e;

  app::PackedEvent packed = app::PackedEvent::pack(e, 1);
  CHECK(packed.base == &profile);
  CHECK(e.base() == nullptr);  // the producer's event is fresh again
  // Only the event's own fields are serialized: the profile's 100-byte key is not copied.
  CHECK(packed.data.size() < 100);

  model::FieldSet other;
  other.set(Fields::id("hr.status"), std::string("terminated"));
  model::Event reused;
  reused.set_base(&other);
  packed.unpack(reused);
  CHECK(reused.base() == &profile);
  CHECK(reused.same_fields(original));
  CHECK(reused.str(Fields::id("hr.country")) == "KP");
  CHECK(reused.str(Fields::id("hr.address_key")) == std::string(100, 'a'));
  CHECK_FALSE(reused.has(Fields::id("hr.status")));

  // An event without a base unpacks without one, whatever the reused event had.
  model::Event plain;
  plain.set(Fields::id("user.name"), std::string("joe"));
  app::PackedEvent::pack(plain, 2).unpack(reused);
  CHECK(reused.base() == nullptr);
  CHECK_FALSE(reused.has(Fields::id("hr.address_key")));
}

TEST_CASE("a packed event carries its rule matches: none known, known empty, or a list") {
  using model::Fields;
  model::Event e;
  e.set(Fields::id("user.name"), std::string("jane"));
  model::Event out;
  out.matches = {true, {7}};  // stale, from the reused event's last use
  app::PackedEvent::pack(e, 1).unpack(out);
  CHECK_FALSE(out.matches.known);
  CHECK(out.matches.rules.empty());
  CHECK(out.str(Fields::id("user.name")) == "jane");

  e.set(Fields::id("user.name"), std::string("jane"));
  e.matches = {true, {}};
  app::PackedEvent::pack(e, 2).unpack(out);
  CHECK(out.matches.known);
  CHECK(out.matches.rules.empty());

  e.set(Fields::id("user.name"), std::string("joe"));
  e.matches = {true, {3, 0, 70000}};
  app::PackedEvent packed = app::PackedEvent::pack(e, 3);
  CHECK_FALSE(e.matches.known);  // the producer's event is fresh again
  packed.unpack(out);
  CHECK(out.matches.known);
  CHECK(out.matches.rules == std::vector<std::uint32_t>{3, 0, 70000});
  CHECK(out.str(Fields::id("user.name")) == "joe");
}

TEST_CASE("HR records wait packed and come out in time order, ties in arrival order") {
  const auto user = model::Fields::id("user.original");
  app::VectorSource source;
  for (const auto& [time, name] : std::vector<std::pair<std::int64_t, std::string>>{
           {30, "c"}, {10, "a"}, {30, "d"}, {20, "b"}}) {
    model::Event e;
    e.time_us = time;
    e.set(user, name);
    source.add(e);
    CHECK(model::is_absent(e.get(user)));
  }
  source.sort();
  model::Event out;
  std::string order;
  while (source.next(out))
    order += std::string(out.str(user)) + std::to_string(out.time_us) + " ";
  CHECK(order == "a10 b20 c30 d30 ");
}

TEST_CASE("an event whose preparation failed leaves nothing on the next one mapped") {
  using model::Fields;
  TempDir dir;
  const std::string file = dir.write(
      "two.jsonl", okta_line("2026-10-01T08:00:00Z", "a") + okta_line("2026-10-01T08:01:00Z", "b"));
  model::FieldSet profile;
  profile.set(Fields::id("hr.status"), std::string("terminated"));
  const auto status = Fields::id("hr.status");
  const auto country = Fields::id("source.geo.country_iso_code");
  for (const unsigned threads : {1u, 2u}) {
    INFO("threads " << threads);
    model::CollectingDiagnostics diags;
    app::StreamOptions options;
    options.threads = threads;
    // a's preparation gives it a base and a field, then fails (as an allocation failure would).
    options.make_prepare = [&]() -> app::StreamOptions::Prepare {
      return [&](model::Event& e) {
        if (e.str(Fields::id("user.original")) != "a") return;
        e.set_base(&profile);
        e.set(country, std::string("KP"));
        throw std::runtime_error("injected");
      };
    };
    app::InputStream stream(okta(), {&file}, options, diags);
    stream.start();
    model::Event e;
    std::vector<std::string> got;
    while (stream.next(e)) {
      got.push_back(std::string(e.str(Fields::id("user.original"))) + " status=" +
                    std::string(e.str(status)) + " country=" + std::string(e.str(country)));
    }
    CHECK(got == std::vector<std::string>{"b status= country="});
    CHECK(diags.items().size() == 1);
  }
}

TEST_CASE("max_records_per_file reads each file's head only, with its counts") {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 50; ++i)
    text +=
        okta_line("2026-10-01T10:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00Z",
                  "u" + std::to_string(i));
  const std::string a = dir.write("a.jsonl", text);
  const std::string b = dir.write("b.jsonl", text);
  for (unsigned threads : {1u, 3u}) {
    model::CollectingDiagnostics diags;
    app::StreamOptions options;
    options.threads = threads;
    options.max_records_per_file = 7;
    app::InputStream stream(okta(), {&a, &b}, options, diags);
    stream.start();
    CHECK(drain(stream).size() == 14);
    REQUIRE(stream.summaries().size() == 2);
    CHECK(stream.summaries()[0].records == 7);
    CHECK(stream.summaries()[1].events == 7);
    CHECK_FALSE(stream.unreadable());
  }
  // The record formats (CSV) stop at the cap too.
  const std::string csv = dir.write("hr.csv", "employee_id,work_email\nE1,a@x\nE2,b@x\nE3,c@x\n");
  static sources::Catalog catalog;
  model::CollectingDiagnostics d;
  REQUIRE(catalog.load_dir(VETTER_SOURCE_DIR "/rules/sources", d));
  app::StreamOptions options;
  options.max_records_per_file = 2;
  app::InputStream hr({std::shared_ptr<void>(), catalog.find("hr-csv")}, {&csv}, options, d);
  hr.start();
  model::Event e;
  int n = 0;
  while (hr.next(e))
    ++n;
  CHECK(n == 2);
  CHECK(hr.summaries()[0].records == 2);
}
