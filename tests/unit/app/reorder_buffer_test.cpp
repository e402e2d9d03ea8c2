// The reorder buffer gives the order one heap of all events would: by time, ties by arrival.
#include <catch2/catch.hpp>

#include <queue>
#include <random>
#include <string>
#include <vector>

#include "reorder_buffer.h"

namespace {

struct Item {
  std::int64_t time_us = 0;
  std::uint64_t seq = 0;
  std::string payload;  // moved along, as a packed event's bytes are
};

struct Later {
  bool operator()(const Item& a, const Item& b) const {
    return a.time_us != b.time_us ? a.time_us > b.time_us : a.seq > b.seq;
  }
};

}  // namespace

TEST_CASE("a reorder buffer releases what one heap of all events would, in the same order") {
  std::mt19937_64 random(7);
  for (const int stray_percent : {0, 5, 50, 100}) {
    INFO("events older than the one before them: " << stray_percent << "%");
    vetter::app::ReorderBuffer<Item> buffer;
    std::priority_queue<Item, std::vector<Item>, Later> heap;  // the reference
    std::vector<std::string> got, expected;
    std::int64_t clock = 1'000;
    // Pushes and pops interleaved, so the ring wraps and grows while it holds events.
    for (std::uint64_t seq = 0; seq < 5'000; ++seq) {
      std::int64_t t;
      if (static_cast<int>(random() % 100) < stray_percent) {
        t = clock - static_cast<std::int64_t>(random() % 500);
      } else {
        clock += static_cast<std::int64_t>(random() % 3);  // equal times are common
        t = clock;
      }
      const std::string payload = "e" + std::to_string(seq);
      buffer.push(Item{t, seq, payload});
      heap.push(Item{t, seq, payload});
      CHECK(buffer.size() == heap.size());
      CHECK(buffer.top().seq == heap.top().seq);
      if (random() % 3 == 0) {
        got.push_back(buffer.pop().payload);
        expected.push_back(heap.top().payload);
        heap.pop();
      }
    }
    while (!buffer.empty()) {
      got.push_back(buffer.pop().payload);
      expected.push_back(heap.top().payload);
      heap.pop();
    }
    CHECK(heap.empty());
    CHECK(got == expected);
  }
}
