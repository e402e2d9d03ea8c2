// Producer threads, reorder buffers and the merge behind app::scan.
#include "event_stream.h"

#include <exception>

#include "vetter/ingest/reader.h"

namespace vetter::app {

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
}

void InputStream::start() { thread_ = std::thread([this] { produce(); }); }

void InputStream::produce() {
  try {
    for (const std::string* file : files_) {
      report::InputSummary summary;
      summary.source = source_->name();
      summary.path = *file;
      ingest::ReadStats stats;
      std::uint64_t unmapped = 0;
      std::uint64_t unmapped_bad = 0;
      const bool ok = ingest::read_records(
          *file, source_->format(),
          [&](ingest::Record&& record) {
            model::Event event;
            // A record the definition leaves out on purpose (another ASA message id) is skipped,
            // not bad: only bad ones count against the bad-input budget.
            switch (source_->map_record(record, event, diags_)) {
              case sources::MapResult::kEvent:
                ++summary.events;
                offer(std::move(event));
                break;
              case sources::MapResult::kSkipped: ++unmapped; break;
              case sources::MapResult::kBad: ++unmapped_bad; break;
            }
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
    emit(std::move(const_cast<Pending&>(reorder_.top()).event));
    reorder_.pop();
  }
  flush_batch(true);
}

void InputStream::offer(model::Event&& event) {
  if (event.time_us < last_emitted_us_) {
    // Older than what the allowance already let through: keep it, but out of order.
    ++late_;
    emit(std::move(event));
    return;
  }
  max_seen_us_ = std::max(max_seen_us_, event.time_us);
  reorder_.push({std::move(event), seq_++});
  while (!reorder_.empty() && reorder_.top().event.time_us <= max_seen_us_ - options_.reorder_allowance_us) {
    emit(std::move(const_cast<Pending&>(reorder_.top()).event));
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

Merger::Merger(std::vector<EventSource*> streams) : streams_(std::move(streams)), heads_(streams_.size()) {
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
