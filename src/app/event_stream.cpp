// Producer threads, reorder buffers and the merge behind app::scan.
#include "event_stream.h"

#include <algorithm>
#include <exception>

#include "vetter/ingest/reader.h"

namespace vetter::app {
namespace {

// Lines per chunk are bounded by bytes: big enough that a hand-over costs nothing next to the
// parsing, small enough that 2 x threads chunks in flight stay a few MB.
constexpr std::size_t kChunkTextBytes = 256 * 1024;
constexpr std::size_t kChunkMaxLines = 4096;

// Keeps diagnostics with the position (line index in the chunk) they belong before, so that a
// chunk replays them in file order: line-level reports from the reader interleave with the
// parse and map reports of the lines around them.
class ChunkDiags : public model::Diagnostics {
 public:
  explicit ChunkDiags(std::vector<std::pair<std::size_t, model::Diagnostic>>& out) : out_(out) {}
  void report(model::Diagnostic d) override { out_.emplace_back(position, std::move(d)); }
  std::size_t position = 0;

 private:
  std::vector<std::pair<std::size_t, model::Diagnostic>>& out_;
};

}  // namespace

struct InputStream::Chunk {
  // Input: the lines' text back to back, and where each starts.
  std::string text;
  struct Line {
    std::size_t offset;
    std::size_t size;
    std::uint64_t number;
  };
  std::vector<Line> lines;
  std::string_view file;
  // Diagnostics by position: reader reports (recorded while splitting) and worker reports.
  std::vector<std::pair<std::size_t, model::Diagnostic>> read_diags;
  std::vector<std::pair<std::size_t, model::Diagnostic>> map_diags;
  // Output.
  std::vector<Pending> events;  // packed by the worker (seq is given when consumed)
  std::uint64_t records = 0;    // lines that parsed
  std::uint64_t parse_bad = 0;
  std::uint64_t skipped = 0;
  std::uint64_t map_bad = 0;
  bool done = false;
};

InputStream::InputStream(std::shared_ptr<const sources::Source> source,
                         std::vector<const std::string*> files, const StreamOptions& options,
                         model::Diagnostics& diags)
    : source_(std::move(source)), files_(std::move(files)), options_(options), diags_(diags) {}

InputStream::~InputStream() {
  {
    // A consumer that stops early must not leave the producer blocked on a full queue.
    std::lock_guard lock(mutex_);
    done_ = true;
    ready_.clear();
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
  {
    std::lock_guard lock(pool_mutex_);
    stop_ = true;
  }
  pool_changed_.notify_all();
  for (std::thread& worker : workers_)
    worker.join();
}

void InputStream::start() {
  threads_ =
      options_.threads != 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  if (threads_ > 1 && ingest::has_line_path(source_->format())) {
    for (unsigned i = 0; i < threads_; ++i)
      workers_.emplace_back([this] { work(); });
  } else {
    threads_ = 1;
  }
  thread_ = std::thread([this] { produce(); });
}

void InputStream::process(Chunk& chunk, ingest::RecordParser& parser) const {
  ChunkDiags diags(chunk.map_diags);
  ingest::RawRecord raw;
  chunk.events.reserve(chunk.lines.size());
  // One Event per chunk, reused: pack() moves the set fields out and leaves it fresh, so a record
  // costs no catalogue-sized allocation, and the worker frees what it allocated.
  model::Event event;
  for (std::size_t i = 0; i < chunk.lines.size(); ++i) {
    const Chunk::Line& line = chunk.lines[i];
    diags.position = i;
    try {
      if (!parser.parse(source_->format(),
                        std::string_view(chunk.text).substr(line.offset, line.size),
                        model::Origin{chunk.file, line.number}, diags, raw)) {
        ++chunk.parse_bad;
        continue;
      }
      ++chunk.records;
      // A record the definition leaves out on purpose (another ASA message id) is skipped, not
      // bad: only bad ones count against the bad-input budget.
      // One record may yield several events (osquery batches: `rows:` in the definition).
      const sources::MapCounts counts = source_->map_each_raw(
          raw, event, diags, [&](model::Event& e) { chunk.events.push_back(pack(e, 0)); });
      chunk.skipped += counts.skipped;
      chunk.map_bad += counts.bad;
      // A skipped or bad record may have set some fields.
      if (counts.skipped + counts.bad > 0) {
        for (model::Value& v : event.fields)
          v = std::monostate();
      }
    } catch (const std::exception& e) {
      // Only allocation failures get here; the line is lost, the read goes on.
      ++chunk.map_bad;
      diags.error("E-INPUT-READ", std::string(chunk.file) + ":" + std::to_string(line.number),
                  std::string("record dropped: ") + e.what());
    }
  }
}

void InputStream::work() {
  ingest::RecordParser parser;
  for (;;) {
    Chunk* chunk = nullptr;
    {
      std::unique_lock lock(pool_mutex_);
      pool_changed_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      chunk = jobs_.front();
      jobs_.pop_front();
    }
    process(*chunk, parser);
    {
      std::lock_guard lock(pool_mutex_);
      chunk->done = true;
    }
    pool_changed_.notify_all();
  }
}

void InputStream::submit(std::unique_ptr<Chunk> chunk) {
  if (threads_ == 1) {
    if (!inline_parser_) inline_parser_ = std::make_unique<ingest::RecordParser>();
    process(*chunk, *inline_parser_);
    chunk->done = true;
    in_flight_.push_back(std::move(chunk));
    take_front();
    return;
  }
  {
    std::lock_guard lock(pool_mutex_);
    jobs_.push_back(chunk.get());
  }
  pool_changed_.notify_one();
  in_flight_.push_back(std::move(chunk));
  // Two chunks per worker keep every worker busy while the oldest one is consumed.
  while (in_flight_.size() > 2 * static_cast<std::size_t>(threads_))
    take_front();
}

void InputStream::take_front() {
  std::unique_ptr<Chunk> chunk = std::move(in_flight_.front());
  in_flight_.pop_front();
  {
    std::unique_lock lock(pool_mutex_);
    pool_changed_.wait(lock, [&] { return chunk->done; });
  }
  // Replay the reports in file order: a reader report recorded before line i goes before the
  // parse and map reports of line i.
  std::size_t r = 0;
  for (auto& [position, d] : chunk->map_diags) {
    while (r < chunk->read_diags.size() && chunk->read_diags[r].first <= position)
      diags_.report(std::move(chunk->read_diags[r++].second));
    diags_.report(std::move(d));
  }
  while (r < chunk->read_diags.size())
    diags_.report(std::move(chunk->read_diags[r++].second));
  if (count_) count_(*chunk);
  for (Pending& pending : chunk->events)
    offer(std::move(pending));
}

void InputStream::produce_lines(const std::string& file, report::InputSummary& summary, bool& ok) {
  ingest::ReadStats stats;
  auto chunk = std::make_unique<Chunk>();
  chunk->file = file;
  // Reader reports go into the chunk being filled, at the position of the next line.
  class ReadDiags : public model::Diagnostics {
   public:
    explicit ReadDiags(std::unique_ptr<Chunk>& chunk) : chunk_(chunk) {}
    void report(model::Diagnostic d) override {
      chunk_->read_diags.emplace_back(chunk_->lines.size(), std::move(d));
    }

   private:
    std::unique_ptr<Chunk>& chunk_;
  } reader_diags(chunk);
  std::uint64_t records = 0, parse_bad = 0, skipped = 0, map_bad = 0, events = 0;
  const auto hand_over = [&] {
    submit(std::move(chunk));
    chunk = std::make_unique<Chunk>();
    chunk->file = file;
  };
  // Totals come from the chunks as take_front() consumes them.
  count_ = [&](const Chunk& c) {
    records += c.records;
    parse_bad += c.parse_bad;
    skipped += c.skipped;
    map_bad += c.map_bad;
    events += c.events.size();
  };
  ok = ingest::read_lines(
      file, source_->format(),
      [&](std::string_view text, std::uint64_t line) {
        chunk->lines.push_back({chunk->text.size(), text.size(), line});
        chunk->text.append(text);
        bytes_read_.fetch_add(text.size() + 1, std::memory_order_relaxed);  // + its newline
        if (chunk->text.size() >= kChunkTextBytes || chunk->lines.size() >= kChunkMaxLines)
          hand_over();
      },
      reader_diags, stats);
  submit(std::move(chunk));
  while (!in_flight_.empty())
    take_front();
  count_ = nullptr;
  summary.events = events;
  summary.bytes = stats.bytes;
  summary.records = records + parse_bad + stats.bad;
  summary.bad = stats.bad + parse_bad + map_bad;
  summary.skipped = skipped;
}

void InputStream::produce() {
  try {
    for (const std::string* file : files_) {
      report::InputSummary summary;
      summary.source = source_->name();
      summary.path = *file;
      if (ingest::has_line_path(source_->format())) {
        bool ok = true;
        produce_lines(*file, summary, ok);
        unreadable_ |= !ok;
        summaries_.push_back(std::move(summary));
        continue;
      }
      ingest::ReadStats stats;
      std::uint64_t unmapped = 0;
      std::uint64_t unmapped_bad = 0;
      const bool ok = ingest::read_records(
          *file, source_->format(),
          [&](ingest::Record&& record) {
            model::Event event;
            // A record the definition leaves out on purpose (another ASA message id) is skipped,
            // not bad: only bad ones count against the bad-input budget.
            const sources::MapCounts counts =
                source_->map_each(record, event, diags_, [&](model::Event& e) {
                  ++summary.events;
                  offer(std::move(e));  // pack() leaves `e` fresh for the next row
                });
            unmapped += counts.skipped;
            unmapped_bad += counts.bad;
          },
          diags_, stats);
      unreadable_ |= !ok;
      summary.bytes = stats.bytes;
      summary.records = stats.records + stats.bad;
      summary.bad = stats.bad + unmapped_bad;
      summary.skipped = unmapped;
      summaries_.push_back(std::move(summary));
    }
  } catch (const std::exception& e) {
    diags_.error("E-INPUT-READ", source_->name(), std::string("reading stopped: ") + e.what());
    unreadable_ = true;
  }
  while (!reorder_.empty()) {
    emit(unpack(std::move(const_cast<Pending&>(reorder_.top()))));
    reorder_.pop();
  }
  flush_batch(true);
}

InputStream::Pending InputStream::pack(model::Event& event, std::uint64_t seq) {
  Pending out{event.time_us, seq, event.origin, {}};
  std::size_t set = 0;
  for (const model::Value& v : event.fields)
    set += model::is_absent(v) ? 0 : 1;
  out.fields.reserve(set);
  for (std::size_t id = 0; id < event.fields.size(); ++id) {
    if (!model::is_absent(event.fields[id])) {
      out.fields.emplace_back(static_cast<model::FieldId>(id), std::move(event.fields[id]));
      event.fields[id] = std::monostate();
    }
  }
  event.time_us = 0;
  event.origin = {};
  return out;
}

model::Event InputStream::unpack(Pending&& pending) {
  model::Event event;
  event.time_us = pending.time_us;
  event.origin = pending.origin;
  for (auto& [id, value] : pending.fields)
    event.fields[id] = std::move(value);
  return event;
}

void InputStream::offer(model::Event&& event) {
  offer(pack(event, 0));
}

void InputStream::offer(Pending&& event) {
  if (event.time_us < last_emitted_us_) {
    // Older than what the allowance already let through: keep it, but out of order.
    ++late_;
    emit(unpack(std::move(event)));
    return;
  }
  max_seen_us_ = std::max(max_seen_us_, event.time_us);
  event.seq = seq_++;
  reorder_.push(std::move(event));
  while (!reorder_.empty() &&
         reorder_.top().time_us <= max_seen_us_ - options_.reorder_allowance_us) {
    emit(unpack(std::move(const_cast<Pending&>(reorder_.top()))));
    reorder_.pop();
  }
}

void InputStream::emit(model::Event&& event) {
  last_emitted_us_ = std::max(last_emitted_us_, event.time_us);
  batch_.push_back(std::move(event));
  if (batch_.size() >= options_.batch_size) flush_batch(false);
}

void InputStream::flush_batch(bool last) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return ready_.size() < options_.max_batches || done_; });
  if (!batch_.empty() && !(done_ && !last)) ready_.push_back(std::move(batch_));
  batch_.clear();
  if (last) done_ = true;
  lock.unlock();
  changed_.notify_all();
}

bool InputStream::next(model::Event& out) {
  while (current_pos_ >= current_.size()) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !ready_.empty() || done_; });
    if (ready_.empty()) {
      lock.unlock();
      if (thread_.joinable()) thread_.join();
      return false;
    }
    current_ = std::move(ready_.front());
    ready_.pop_front();
    current_pos_ = 0;
    lock.unlock();
    changed_.notify_all();
  }
  out = std::move(current_[current_pos_++]);
  return true;
}

VectorSource::VectorSource(std::vector<model::Event> events) : events_(std::move(events)) {}

bool VectorSource::next(model::Event& out) {
  if (pos_ >= events_.size()) return false;
  out = std::move(events_[pos_++]);
  return true;
}

Merger::Merger(std::vector<EventSource*> streams)
    : streams_(std::move(streams)), heads_(streams_.size()) {
  for (std::size_t i = 0; i < streams_.size(); ++i) {
    if (streams_[i]->next(heads_[i])) order_.push({heads_[i].time_us, i});
  }
}

bool Merger::next(model::Event& out) {
  if (order_.empty()) return false;
  const std::size_t i = order_.top().stream;
  order_.pop();
  out = std::move(heads_[i]);
  if (streams_[i]->next(heads_[i])) order_.push({heads_[i].time_us, i});
  return true;
}

}  // namespace vetter::app
