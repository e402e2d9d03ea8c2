// One input's producer thread, its mapping workers and its reorder buffer, behind app::scan.
#include "input_stream.h"

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
  std::vector<Pending> events;      // packed by the worker (seq is given when consumed)
  std::vector<std::string> spares;  // recycled buffers to pack into
  std::uint64_t records = 0;        // lines that parsed
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

void InputStream::process(Chunk& chunk, ingest::RecordParser& parser,
                          const StreamOptions::Prepare& prepare,
                          const StreamOptions::Prepare& match) const {
  ChunkDiags diags(chunk.map_diags);
  // Decided once a chunk: the consumer takes whole batches.
  const bool match_here = match && consumer_behind();
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
      const sources::MapCounts counts =
          source_->map_each_raw(raw, event, diags, [&](model::Event& e) {
            if (prepare) prepare(e);
            if (match_here) match(e);
            std::string buffer;
            if (!chunk.spares.empty()) {
              buffer = std::move(chunk.spares.back());
              chunk.spares.pop_back();
            }
            chunk.events.push_back(Pending::pack(e, 0, std::move(buffer)));
          });
      chunk.skipped += counts.skipped;
      chunk.map_bad += counts.bad;
      // A skipped or bad record may have set some fields.
      if (counts.skipped + counts.bad > 0) event.clear();
    } catch (const std::exception& e) {
      // Only allocation failures get here; the line is lost, the read goes on. What the line set
      // (fields, the worker's profile as base, matches) must not carry over to the next one.
      event.clear();
      ++chunk.map_bad;
      diags.error("E-INPUT-READ", std::string(chunk.file) + ":" + std::to_string(line.number),
                  std::string("record dropped: ") + e.what());
    }
  }
}

void InputStream::work() {
  ingest::RecordParser parser;
  const StreamOptions::Prepare prepare =
      options_.make_prepare ? options_.make_prepare() : StreamOptions::Prepare();
  const StreamOptions::Prepare match =
      options_.make_match ? options_.make_match() : StreamOptions::Prepare();
  for (;;) {
    Chunk* chunk = nullptr;
    {
      std::unique_lock lock(pool_mutex_);
      pool_changed_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      chunk = jobs_.front();
      jobs_.pop_front();
    }
    process(*chunk, parser, prepare, match);
    {
      std::lock_guard lock(pool_mutex_);
      chunk->done = true;
    }
    pool_changed_.notify_all();
  }
}

void InputStream::take_spares(Chunk& chunk) {
  std::lock_guard lock(mutex_);
  const std::size_t n = std::min(recycled_.size(), chunk.lines.size());
  chunk.spares.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    chunk.spares.push_back(std::move(recycled_.back()));
    recycled_.pop_back();
  }
}

void InputStream::submit(std::unique_ptr<Chunk> chunk) {
  take_spares(*chunk);
  if (threads_ == 1) {
    if (!inline_parser_) inline_parser_ = std::make_unique<ingest::RecordParser>();
    process(*chunk, *inline_parser_, producer_prepare_, producer_match_);
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
  recycle(std::move(chunk));
}

std::unique_ptr<InputStream::Chunk> InputStream::new_chunk(std::string_view file) {
  std::unique_ptr<Chunk> chunk;
  if (free_chunks_.empty()) {
    chunk = std::make_unique<Chunk>();
    chunk->text.reserve(kChunkTextBytes + kChunkTextBytes / 4);
  } else {
    chunk = std::move(free_chunks_.back());
    free_chunks_.pop_back();
  }
  chunk->file = file;
  return chunk;
}

// A consumed chunk keeps its buffers for the next one: no fresh pages (and page faults) for the
// text of every 4096 lines.
void InputStream::recycle(std::unique_ptr<Chunk> chunk) {
  chunk->text.clear();
  chunk->lines.clear();
  chunk->read_diags.clear();
  chunk->map_diags.clear();
  chunk->events.clear();
  chunk->spares.clear();
  chunk->records = chunk->parse_bad = chunk->skipped = chunk->map_bad = 0;
  chunk->done = false;
  free_chunks_.push_back(std::move(chunk));
}

namespace {
// Thrown from a reader's sink to stop reading a file once its head is read (max_records_per_file).
struct HeadRead {};
}  // namespace

void InputStream::produce_lines(const std::string& file, report::InputSummary& summary, bool& ok) {
  ingest::ReadStats stats;
  auto chunk = new_chunk(file);
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
    chunk = new_chunk(file);
  };
  // Totals come from the chunks as take_front() consumes them.
  count_ = [&](const Chunk& c) {
    records += c.records;
    parse_bad += c.parse_bad;
    skipped += c.skipped;
    map_bad += c.map_bad;
    events += c.events.size();
  };
  std::uint64_t lines = 0;
  const std::uint64_t cap = options_.max_records_per_file;
  try {
    ok = ingest::read_lines(
        file, source_->format(),
        [&](std::string_view text, std::uint64_t line) {
          chunk->lines.push_back({chunk->text.size(), text.size(), line});
          chunk->text.append(text);
          bytes_read_.fetch_add(text.size() + 1, std::memory_order_relaxed);  // + its newline
          if (chunk->text.size() >= kChunkTextBytes || chunk->lines.size() >= kChunkMaxLines)
            hand_over();
          if (cap != 0 && ++lines >= cap) throw HeadRead{};
        },
        reader_diags, stats);
  } catch (const HeadRead&) {
    ok = true;  // the head was all that was asked for
  }
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
    // The producer maps itself with one thread, and always for the record formats.
    if (threads_ == 1 || !ingest::has_line_path(source_->format())) {
      if (options_.make_prepare) producer_prepare_ = options_.make_prepare();
      if (options_.make_match) producer_match_ = options_.make_match();
    }
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
      std::uint64_t seen = 0;
      const std::uint64_t cap = options_.max_records_per_file;
      bool ok = true;
      try {
        ok = ingest::read_records(
            *file, source_->format(),
            [&](ingest::Record&& record) {
              if (cap != 0 && seen++ >= cap) throw HeadRead{};
              model::Event event;
              // A record the definition leaves out on purpose (another ASA message id) is skipped,
              // not bad: only bad ones count against the bad-input budget.
              const sources::MapCounts counts =
                  source_->map_each(record, event, diags_, [&](model::Event& e) {
                    ++summary.events;
                    if (producer_prepare_) producer_prepare_(e);
                    if (producer_match_ && consumer_behind()) producer_match_(e);
                    offer(std::move(e));  // pack() leaves `e` fresh for the next row
                  });
              unmapped += counts.skipped;
              unmapped_bad += counts.bad;
            },
            diags_, stats);
      } catch (const HeadRead&) {
        // The head was all that was asked for; the record that came after it is not counted.
        if (stats.records > 0) --stats.records;
      }
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
  while (!reorder_.empty())
    emit(reorder_.pop());
  flush_batch(true);
}

void InputStream::offer(model::Event&& event) {
  offer(Pending::pack(event, 0));
}

void InputStream::offer(Pending&& event) {
  if (event.time_us < last_emitted_us_) {
    // Older than what the allowance already let through: keep it, but out of order.
    ++late_;
    emit(std::move(event));
    return;
  }
  max_seen_us_ = std::max(max_seen_us_, event.time_us);
  event.seq = seq_++;
  reorder_.push(std::move(event));
  while (!reorder_.empty() &&
         reorder_.top().time_us <= max_seen_us_ - options_.reorder_allowance_us)
    emit(reorder_.pop());
}

void InputStream::emit(Pending&& event) {
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
    // The spent batch's buffers go back to the producer (as many as two chunks per mapping
    // thread can use; the rest are freed here).
    const std::size_t keep = 2 * kChunkMaxLines * std::max(1u, threads_) + kChunkMaxLines;
    for (Pending& spent : current_) {
      if (recycled_.size() >= keep) break;
      if (spent.data.capacity() > 0) recycled_.push_back(std::move(spent.data));
    }
    current_.clear();
    consumer_waited_.store(ready_.empty() && !done_, std::memory_order_relaxed);
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
  // An event's bytes have waited in the reorder buffer long enough to leave the cache (perf: half
  // of unpack's time was its first load). Start loading the one after next while this one is
  // unpacked and the rules run.
  // Its base (the worker's HR profile, read by the rules) is shared and cold too: the set itself
  // eight ahead, its values (whose address that load gives) four ahead.
  if (current_pos_ + 8 < current_.size()) {
    if (const model::FieldSet* base = current_[current_pos_ + 8].base) __builtin_prefetch(base);
  }
  if (current_pos_ + 4 < current_.size()) {
    if (const model::FieldSet* base = current_[current_pos_ + 4].base) {
      const char* values = reinterpret_cast<const char*>(base->data());
      const std::size_t bytes = base->size() * sizeof(model::Value);
      for (std::size_t at = 0; at < bytes && at < 512; at += 64)
        __builtin_prefetch(values + at);
    }
  }
  if (current_pos_ + 2 < current_.size()) {
    const std::string& ahead = current_[current_pos_ + 2].data;
    for (std::size_t at = 0; at < ahead.size() && at < 256; at += 64)
      __builtin_prefetch(ahead.data() + at);
  }
  current_[current_pos_++].unpack(out);
  return true;
}

}  // namespace vetter::app
