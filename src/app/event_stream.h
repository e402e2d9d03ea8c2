// Time-ordered event streams: one producer thread per input, a bounded reorder buffer, and a
// deterministic k-way merge, so memory follows the queues and the rule state, not the input size.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"
#include "vetter/report/run_info.h"
#include "vetter/sources/source.h"

namespace vetter::app {

struct StreamOptions {
  // Events may arrive this much earlier than the latest time already seen in their stream and
  // still be put in order; anything later is processed as it comes and counted as late.
  std::int64_t reorder_allowance_us = 3600LL * 1'000'000;
  std::size_t batch_size = 512;   // events handed over per lock
  std::size_t max_batches = 16;   // queue bound per stream (back-pressure on the producer)
};

// Anything the merger can pull time-ordered events from.
class EventSource {
 public:
  virtual ~EventSource() = default;
  // The next event; false when exhausted.
  virtual bool next(model::Event& out) = 0;
};

// Events already in memory (the HR records), in time order.
class VectorSource : public EventSource {
 public:
  explicit VectorSource(std::vector<model::Event> events);
  bool next(model::Event& out) override;

 private:
  std::vector<model::Event> events_;
  std::size_t pos_ = 0;
};

// One input's files, read in name order as one stream by a producer thread. Thread-safe between
// its producer and the single consumer that calls next().
class InputStream : public EventSource {
 public:
  // `files` must outlive the stream; `diags` must be thread-safe.
  InputStream(std::shared_ptr<const sources::Source> source, std::vector<const std::string*> files,
              const StreamOptions& options, model::Diagnostics& diags);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  void start();
  // The next event in (allowance-corrected) time order; false when the stream is exhausted.
  bool next(model::Event& out) override;

  // Valid after next() returned false: one summary per file, and how many events came late.
  const std::vector<report::InputSummary>& summaries() const { return summaries_; }
  std::uint64_t late() const { return late_; }
  bool unreadable() const { return unreadable_; }

 private:
  struct Pending {
    model::Event event;
    std::uint64_t seq;
  };
  struct Later {
    bool operator()(const Pending& a, const Pending& b) const {
      return a.event.time_us != b.event.time_us ? a.event.time_us > b.event.time_us : a.seq > b.seq;
    }
  };

  void produce();
  void offer(model::Event&& event);  // producer: into the reorder buffer
  void emit(model::Event&& event);   // producer: into the current batch
  void flush_batch(bool last);

  std::shared_ptr<const sources::Source> source_;
  std::vector<const std::string*> files_;
  StreamOptions options_;
  model::Diagnostics& diags_;

  // Producer-only state.
  std::priority_queue<Pending, std::vector<Pending>, Later> reorder_;
  std::uint64_t seq_ = 0;
  std::int64_t max_seen_us_ = INT64_MIN;
  std::int64_t last_emitted_us_ = INT64_MIN;
  std::vector<model::Event> batch_;
  std::vector<report::InputSummary> summaries_;
  std::uint64_t late_ = 0;
  bool unreadable_ = false;

  // Shared between producer and consumer.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<model::Event>> ready_;
  bool done_ = false;

  // Consumer-only state.
  std::vector<model::Event> current_;
  std::size_t current_pos_ = 0;

  std::thread thread_;
};

// Merges streams by (time, stream index): the same inputs always give the same order, whatever
// the threads did.
class Merger : public EventSource {
 public:
  explicit Merger(std::vector<EventSource*> streams);
  bool next(model::Event& out) override;

 private:
  struct Head {
    std::int64_t time_us;
    std::size_t stream;
    bool operator>(const Head& o) const {
      return time_us != o.time_us ? time_us > o.time_us : stream > o.stream;
    }
  };
  std::vector<EventSource*> streams_;
  std::vector<model::Event> heads_;
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> order_;
};

}  // namespace vetter::app
