// SharedTexts: one node per distinct text with a use count, found again by content, freed and its
// memory reused when the last user lets go; checked against a plain map under random traffic.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "group_table.h"
#include "shared_texts.h"

using vetter::rules::SharedTexts;

TEST_CASE("shared texts: equal texts share one node, counted") {
  SharedTexts texts;
  CHECK(texts.acquire("") == nullptr);
  CHECK(SharedTexts::text(nullptr).empty());
  SharedTexts::Ref a = texts.acquire("alice@corp.example");
  SharedTexts::Ref b = texts.acquire(std::string("alice@corp.") + "example");
  SharedTexts::Ref c = texts.acquire("alice@corp.exampl");  // a prefix is another text
  CHECK(a == b);
  CHECK(a != c);
  CHECK(SharedTexts::text(a) == "alice@corp.example");
  CHECK(SharedTexts::text(c) == "alice@corp.exampl");
  CHECK(texts.size() == 2);
  texts.release(a);
  CHECK(texts.size() == 2);  // b still holds it
  CHECK(texts.acquire("alice@corp.example") == b);
  texts.release(b);
  texts.release(b);
  CHECK(texts.size() == 1);
  texts.release(c);
  texts.release(nullptr);
  CHECK(texts.size() == 0);
}

TEST_CASE("shared texts: texts with NUL bytes and of every pooled and unpooled length") {
  SharedTexts texts;
  std::vector<SharedTexts::Ref> refs;
  std::vector<std::string> held;
  for (std::size_t n = 1; n <= 700; n += 7) {
    std::string t(n, 'x');
    t[n / 2] = '\0';
    held.push_back(t);
    refs.push_back(texts.acquire(t));
  }
  for (std::size_t i = 0; i < refs.size(); ++i) {
    CHECK(SharedTexts::text(refs[i]) == held[i]);
    CHECK(texts.acquire(held[i]) == refs[i]);
  }
  for (SharedTexts::Ref r : refs) {
    texts.release(r);
    texts.release(r);
  }
  CHECK(texts.size() == 0);
}

TEST_CASE("shared texts: acquiring a held text never grows the table") {
  SharedTexts texts;
  std::vector<std::string> held;
  for (int i = 0; i < 8; ++i)
    held.push_back("10.0.0." + std::to_string(i));
  for (const std::string& t : held)
    texts.acquire(t);
  const std::size_t capacity = texts.capacity();
  REQUIRE(texts.size() * 2 == capacity);  // exactly half full: the next new text grows it
  for (int round = 0; round < 3; ++round) {
    for (const std::string& t : held)
      texts.acquire(t);
  }
  CHECK(texts.capacity() == capacity);
  texts.acquire("10.0.0.99");
  CHECK(texts.capacity() == capacity * 2);
}

TEST_CASE("shared texts: a released node's memory holds the next text of its size") {
  SharedTexts texts;
  SharedTexts::Ref a = texts.acquire("user0001@corp.example");
  texts.release(a);
  SharedTexts::Ref b = texts.acquire("user0002@corp.example");
  CHECK(a == b);  // same size class: the freed node is reused
  CHECK(SharedTexts::text(b) == "user0002@corp.example");
}

TEST_CASE("shared texts: random acquire and release agree with a map") {
  // Few distinct texts and many operations: long probe runs, wrap-around, deletions inside runs,
  // growth and shrinking all happen.
  std::mt19937 rng(12345);
  SharedTexts texts;
  std::map<std::string, std::pair<SharedTexts::Ref, int>> model;
  for (int op = 0; op < 200'000; ++op) {
    const int universe = op < 100'000 ? 3000 : 40;  // second half: shrink back to a few texts
    const std::string t = "t" + std::to_string(rng() % universe) + std::string(rng() % 40, 'z');
    auto it = model.find(t);
    if (it != model.end() && rng() % 2 == 0) {
      texts.release(it->second.first);
      if (--it->second.second == 0) model.erase(it);
    } else {
      SharedTexts::Ref r = texts.acquire(t);
      REQUIRE(SharedTexts::text(r) == t);
      if (it == model.end()) {
        model.emplace(t, std::make_pair(r, 1));
      } else {
        REQUIRE(it->second.first == r);
        ++it->second.second;
      }
    }
    if (op % 1000 == 0) REQUIRE(texts.size() == model.size());
  }
  for (auto& [t, held] : model) {
    REQUIRE(texts.acquire(t) == held.first);
    for (int i = 0; i <= held.second; ++i)
      texts.release(held.first);
  }
  CHECK(texts.size() == 0);
  CHECK(texts.capacity() <= 64);  // shrank with its contents
}

TEST_CASE("shared texts: moving keeps the held texts") {
  SharedTexts texts;
  SharedTexts::Ref a = texts.acquire("kept");
  SharedTexts moved(std::move(texts));
  CHECK(moved.acquire("kept") == a);
  CHECK(moved.size() == 1);
  SharedTexts assigned;
  assigned.acquire("dropped");
  assigned = std::move(moved);
  CHECK(assigned.size() == 1);
  CHECK(assigned.acquire("kept") == a);
}

TEST_CASE("block pool: a freed block takes the next request of its size class") {
  vetter::rules::BlockPool pool;
  void* a = pool.allocate(64);
  void* b = pool.allocate(64);
  CHECK(a != b);
  CHECK(reinterpret_cast<std::uintptr_t>(a) % 16 == 0);
  pool.deallocate(a, 64);
  CHECK(pool.allocate(60) == a);  // 60 rounds up to the same 64-byte class
  void* c = pool.allocate(80);    // another class: not b's or a's memory
  CHECK(c != a);
  CHECK(c != b);
  void* big = pool.allocate(4096);  // beyond the pooled sizes: the heap's
  std::memset(big, 1, 4096);
  pool.deallocate(big, 4096);
  pool.deallocate(b, 64);
  pool.deallocate(c, 80);
  pool.deallocate(a, 64);
  // Thousands of blocks across slabs, all distinct while held.
  std::vector<std::pair<void*, std::size_t>> held;
  for (int i = 0; i < 5000; ++i) {
    const std::size_t size = 16 + static_cast<std::size_t>(i % 31) * 16;
    held.emplace_back(pool.allocate(size), size);
    std::memset(held.back().first, i & 255, size);
  }
  std::vector<std::pair<void*, std::size_t>> sorted = held;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    REQUIRE(static_cast<char*>(sorted[i - 1].first) + sorted[i - 1].second <=
            static_cast<char*>(sorted[i].first));  // no overlap
  }
  for (const auto& [block, size] : held)
    pool.deallocate(block, size);
}

TEST_CASE("group table: find, insert and sweeping erase agree with a map") {
  using Table = vetter::rules::GroupTable<std::uint64_t>;
  static_assert(sizeof(Table::Record) == 64);
  vetter::rules::BlockPool pool;
  Table table(pool);
  std::map<std::string, std::uint64_t> model;
  std::mt19937 rng(777);
  auto key_of = [&](unsigned n) {
    // short keys (inline) and long ones (in the pool)
    return n % 3 == 0 ? "user" + std::to_string(n) + "@a-rather-long-domain.example"
                      : "10.0." + std::to_string(n % 256) + "." + std::to_string(n / 256);
  };
  for (int round = 0; round < 20; ++round) {
    const unsigned universe = round < 10 ? 5000 : 50;
    for (int op = 0; op < 5000; ++op) {
      const std::string key = key_of(rng() % universe);
      const std::uint64_t h = SharedTexts::hash(key);
      Table::Record* r = table.find(key, h);
      auto it = model.find(key);
      REQUIRE((r != nullptr) == (it != model.end()));
      if (r) {
        REQUIRE(r->key() == key);
        REQUIRE(r->value == it->second);
        ++r->value;
        ++it->second;
      } else {
        Table::Record& fresh = table.insert(key, h);
        REQUIRE(fresh.value == 0);
        REQUIRE(fresh.key() == key);
        fresh.value = 1;
        model.emplace(key, 1);
      }
    }
    // A sweep that erases about half, as CorrelationWindow::advance does.
    std::map<std::string, std::uint64_t> seen;
    for (std::size_t i = 0; i < table.slot_count();) {
      Table::Record* r = table.at(i);
      if (!r) {
        ++i;
        continue;
      }
      seen[std::string(r->key())] = r->value;
      if (r->value % 2 == 0) {
        model.erase(std::string(r->key()));
        table.erase_at(i);
      } else {
        ++i;
      }
    }
    table.shrink();
    REQUIRE(table.size() == model.size());
    for (const auto& [key, value] : model) {
      Table::Record* r = table.find(key, SharedTexts::hash(key));
      REQUIRE(r != nullptr);
      REQUIRE(r->value == value);
      REQUIRE(seen.count(key) == 1);  // every group the sweep kept, it saw
    }
  }
}
