// One input as a time-ordered event stream: a producer thread, mapping workers and a bounded
// reorder buffer, so memory follows the queues and the rule state, not the input size.
// (merger.h merges the streams; packed_event.h is the form events wait in.)
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "event_source.h"
#include "packed_event.h"
#include "reorder_buffer.h"
#include "vetter/ingest/reader.h"
#include "vetter/model/diagnostics.h"
#include "vetter/model/event.h"
#include "vetter/report/run_info.h"
#include "vetter/sources/source.h"

namespace vetter::app {

struct StreamOptions {
  // Events may arrive this much earlier than the latest time already seen in their stream and
  // still be put in order; anything later is processed as it comes and counted as late.
  std::int64_t reorder_allowance_us = 3600LL * 1'000'000;
  std::size_t batch_size = 512;  // events handed over per lock
  // Queue bound per stream (back-pressure on the producer). Deep enough that a stream's mapping
  // threads keep working while the consumer takes from the other inputs: at 16 the 5 M-event
  // scan's threads all waited on one another (the consumer 58% busy, 1.6 cores used in all), at
  // 64 it was ~0.85x the wall time for ~5% more peak memory (docs/performance.md, Round 4).
  std::size_t max_batches = 64;
  // Threads that parse and map one input's records (chunks of lines, re-sequenced in file order,
  // so the events are the same for every value). 0 = std::thread::hardware_concurrency().
  unsigned threads = 0;
  // Per-event work done where the event is mapped, in parallel (the scan resolves identities
  // and enriches there). Called once on each thread that maps events, when it starts; the
  // function it returns is applied to every mapped event before the event waits to be put in
  // order. Its result must depend on the event only, never on which thread ran it.
  using Prepare = std::function<void(model::Event&)>;
  std::function<Prepare()> make_prepare;
  // Optional matching of each event against the rules (the scan's rules::Matcher; it sets
  // model::Event::matches), made like make_prepare, once per mapping thread. It runs after
  // prepare, and only while the consumer is behind (it did not have to wait for this stream's last
  // batch): the consumer matches the events that come unmatched, so the work goes to whichever
  // side has time.
  // Its result must depend on the event only, so who ran it never shows in the results.
  std::function<Prepare()> make_match;
  // Read at most this many records (lines, rows, JSON records) of each file, then stop as if
  // the file ended: `vetter check` reads the head of each input the way a scan reads it.
  // 0: all of them.
  std::uint64_t max_records_per_file = 0;
};

// One input's files, read in name order as one stream by a producer thread. Thread-safe between
// its producer and the single consumer that calls next(). For the line formats the producer only
// splits lines into chunks; `options.threads` workers parse and map them, and the producer takes
// the results back in file order, so events, counts and diagnostics are the same whatever the
// number of threads.
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
  // Bytes of line-format input read so far (decompressed), for progress; any thread may ask.
  std::uint64_t bytes_read() const { return bytes_read_.load(std::memory_order_relaxed); }
  bool unreadable() const { return unreadable_; }

 private:
  // Events wait in the reorder buffer and the hand-over queue packed: the buffer holds an hour
  // of events (600 MB as full Events for an hour of 100 k workers' VPN sessions).
  using Pending = PackedEvent;

  struct Chunk;

  void produce();
  void produce_lines(const std::string& file, report::InputSummary& summary, bool& ok);
  void submit(std::unique_ptr<Chunk> chunk);
  void take_front();  // producer: waits for the oldest chunk, consumes it
  std::unique_ptr<Chunk> new_chunk(std::string_view file);  // producer: a fresh or recycled one
  void recycle(std::unique_ptr<Chunk> chunk);
  // parse+map (and prepare, when set) one chunk
  void process(Chunk& chunk, ingest::RecordParser& parser, const StreamOptions::Prepare& prepare,
               const StreamOptions::Prepare& match) const;
  // Whether the consumer is behind this stream (it found a batch ready when it last wanted one):
  // then the mapping threads match events against the rules (StreamOptions::make_match), which
  // the consumer would otherwise do. Any thread may ask.
  bool consumer_behind() const { return !consumer_waited_.load(std::memory_order_relaxed); }
  void work();                       // a worker thread
  void offer(model::Event&& event);  // producer: into the reorder buffer
  void offer(Pending&& event);
  void emit(Pending&& event);      // producer: into the current batch
  void take_spares(Chunk& chunk);  // producer: recycled buffers for a chunk's events
  void flush_batch(bool last);

  std::shared_ptr<const sources::Source> source_;
  std::vector<const std::string*> files_;
  StreamOptions options_;
  model::Diagnostics& diags_;

  // Producer-only state.
  ReorderBuffer<Pending> reorder_;
  std::uint64_t seq_ = 0;
  std::int64_t max_seen_us_ = INT64_MIN;
  std::int64_t last_emitted_us_ = INT64_MIN;
  std::vector<Pending> batch_;
  std::vector<report::InputSummary> summaries_;
  std::uint64_t late_ = 0;
  bool unreadable_ = false;
  std::atomic<std::uint64_t> bytes_read_{0};

  // Shared between producer and consumer.
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<Pending>> ready_;
  std::atomic<bool> consumer_waited_{false};
  bool done_ = false;
  // Buffers of events the consumer has unpacked, going back to be packed into again: in steady
  // state an event costs no allocation and no free on another thread's heap.
  std::vector<std::string> recycled_;

  // Consumer-only state.
  std::vector<Pending> current_;
  std::size_t current_pos_ = 0;

  std::thread thread_;

  // The chunk pool: chunks in file order (producer-only), jobs not yet taken by a worker.
  std::deque<std::unique_ptr<Chunk>> in_flight_;
  std::vector<std::unique_ptr<Chunk>> free_chunks_;  // producer-only: consumed, to fill again
  std::mutex pool_mutex_;
  std::condition_variable pool_changed_;
  std::deque<Chunk*> jobs_;
  bool stop_ = false;
  std::vector<std::thread> workers_;
  unsigned threads_ = 1;
  std::function<void(const Chunk&)> count_;  // adds a consumed chunk to the current file's totals
  std::unique_ptr<ingest::RecordParser> inline_parser_;  // threads_ == 1: the producer maps
  StreamOptions::Prepare producer_prepare_;              // the producer's, when it maps
  StreamOptions::Prepare producer_match_;
};

}  // namespace vetter::app
