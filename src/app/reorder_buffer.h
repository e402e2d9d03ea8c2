// The reorder buffer of one input stream: events wait until the reorder allowance has passed
// them and leave in (time, arrival) order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <queue>
#include <utility>
#include <vector>

namespace vetter::app {

// Logs are nearly always written in time order, so an event that is not older than the last one
// in goes to the back of a ring (O(1) in and out, nothing moved), and only the strays go to a
// heap; the earliest event is the earlier of the two fronts. Events leave in the order one heap of
// all of them would give. (With every event in one heap, each removal moved ~17 events of an
// hour's VPN burst: 7% of a 5 M-event scan's CPU.)
//
// T has `std::int64_t time_us` and `std::uint64_t seq` (arrival order, increasing).
template <typename T>
class ReorderBuffer {
 public:
  bool empty() const { return count_ == 0 && strays_.empty(); }
  std::size_t size() const { return count_ + strays_.size(); }

  void push(T&& item) {
    if (count_ == 0 || item.time_us >= back().time_us) {
      if (count_ == ring_.size()) grow();
      ring_[(head_ + count_) & (ring_.size() - 1)] = std::move(item);
      ++count_;
    } else {
      strays_.push(std::move(item));
    }
  }

  // The earliest event; the buffer must not be empty.
  const T& top() const { return from_ring() ? ring_[head_] : strays_.top(); }

  // Removes the earliest event and returns it.
  T pop() {
    T out;
    if (from_ring()) {
      out = std::move(ring_[head_]);
      head_ = (head_ + 1) & (ring_.size() - 1);
      --count_;
    } else {
      out = std::move(const_cast<T&>(strays_.top()));
      strays_.pop();
    }
    return out;
  }

 private:
  struct Later {
    bool operator()(const T& a, const T& b) const {
      return a.time_us != b.time_us ? a.time_us > b.time_us : a.seq > b.seq;
    }
  };

  const T& back() const { return ring_[(head_ + count_ - 1) & (ring_.size() - 1)]; }
  bool from_ring() const {
    if (strays_.empty()) return true;
    if (count_ == 0) return false;
    return Later{}(strays_.top(), ring_[head_]);  // the stray comes after the ring's front
  }
  void grow() {
    std::vector<T> bigger(ring_.empty() ? 64 : 2 * ring_.size());
    for (std::size_t i = 0; i < count_; ++i)
      bigger[i] = std::move(ring_[(head_ + i) & (ring_.size() - 1)]);
    ring_ = std::move(bigger);
    head_ = 0;
  }

  // count_ events from head_, in (time, seq) order, wrapping around; its size is a power of two
  std::vector<T> ring_;
  std::size_t head_ = 0;
  std::size_t count_ = 0;
  std::priority_queue<T, std::vector<T>, Later> strays_;
};

}  // namespace vetter::app
