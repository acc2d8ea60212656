// The background cutter of RocksStore: the head memory budget (largest open blocks first),
// age-based cuts, WAL truncation and compaction.

#include <malloc.h>
#include <rocksdb/options.h>

#include <algorithm>
#include <chrono>

#include "storage/rocks_store.h"

namespace fenrir::storage {

uint64_t RocksStore::HeadCutBytes() const {
  const uint64_t soft = options_.head_cut_bytes ? options_.head_cut_bytes
                                                : options_.head_max_bytes / 4 * 3;
  return std::min<uint64_t>(soft, options_.head_max_bytes);
}

Status RocksStore::CutLargest(uint64_t target) {
  // Sizes are read without the locks (a snapshot is enough to rank); each cut locks.
  struct Candidate {
    uint64_t bytes;
    int64_t opened;
    std::shared_ptr<Stream> stream;
  };
  std::vector<Candidate> candidates;
  for (auto& s : AllStreams()) {
    std::lock_guard<std::mutex> l(s->mu);
    if (s->head.empty()) continue;
    candidates.push_back({s->head.memory_bytes(), s->head_opened_ns, std::move(s)});
  }
  // Largest first (they free the most memory per cut and make the best blocks); among equals,
  // the oldest, whose WAL records then go first.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.bytes != b.bytes ? a.bytes > b.bytes : a.opened < b.opened;
  });
  Status first;
  for (const Candidate& c : candidates) {
    if (head_bytes_.load(std::memory_order_relaxed) <= target) break;
    std::lock_guard<std::mutex> l(c.stream->mu);
    Status st = CutLocked(c.stream.get());
    if (first.ok()) first = st;
  }
  return first;
}

void RocksStore::ReleaseFreedMemory() {
  // Cut heads free their arenas, but glibc keeps freed pages in its arenas (one per thread
  // that allocated them): hand them back so the RSS follows the head budget down.
  const int64_t now = options_.clock->NowNanos();
  int64_t last = last_trim_ns_.load(std::memory_order_relaxed);
  if (now - last < 1'000'000'000 && now >= last) return;
  if (!last_trim_ns_.compare_exchange_strong(last, now, std::memory_order_relaxed)) return;
  malloc_trim(0);
}

void RocksStore::MaybeCompactWal() {
  const bool requested = wal_compact_requested_.exchange(false, std::memory_order_relaxed);
  uint64_t size = 0;
  if (!db_->GetIntProperty(wal_cf_, "rocksdb.live-sst-files-size", &size)) return;
  // Records flushed before their streams were cut sink below the range tombstones that
  // delete them; only a compaction of the whole family reclaims them.
  if (size == 0 || (!requested && size < wal_compact_threshold_)) return;
  rocksdb::CompactRangeOptions co;
  co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  if (!db_->CompactRange(co, wal_cf_, nullptr, nullptr).ok()) return;
  uint64_t after = 0;
  db_->GetIntProperty(wal_cf_, "rocksdb.live-sst-files-size", &after);
  wal_compact_threshold_ = std::max<uint64_t>(256ull << 20, 2 * after);
}

void RocksStore::CutterLoop() {
  std::unique_lock<std::mutex> l(cutter_mu_);
  // Clock time before which no head can reach head_max_age_ns: a pass records the oldest
  // head it saw; heads opened later are younger still.
  int64_t next_due = INT64_MIN;
  uint64_t truncated_at_cuts = 0;
  const uint64_t soft = HeadCutBytes();
  // Cutting down to a quarter below the watermark spares a pass per push near it.
  const uint64_t low = soft - soft / 4;
  bool retry_now = false;
  while (!stopping_) {
    if (!retry_now) cutter_cv_.wait_for(l, std::chrono::milliseconds(100));
    retry_now = false;
    if (stopping_) break;
    l.unlock();
    MaybeCompactWal();
    if (head_bytes_.load(std::memory_order_relaxed) > soft) {
      // A failed cut keeps its head; the next pass (after the wait) retries.
      retry_now = CutLargest(low).ok() && head_bytes_.load(std::memory_order_relaxed) > soft;
      if (!retry_now) ReleaseFreedMemory();
    }
    l.lock();
    if (stopping_) break;
    if (head_streams_.load(std::memory_order_relaxed) == 0) continue;
    const int64_t now = options_.clock->NowNanos();
    const uint64_t cuts = cuts_.load(std::memory_order_relaxed);
    if (now < next_due) {
      if (cuts != truncated_at_cuts) {  // cuts happened: drop the WAL records they held
        l.unlock();
        truncated_at_cuts = cuts;
        (void)TruncateWal();
        l.lock();
      }
      continue;
    }
    l.unlock();
    int64_t oldest = INT64_MAX;
    bool cut = false;
    for (const auto& s : AllStreams()) {
      std::lock_guard<std::mutex> sl(s->mu);
      if (s->head.empty()) continue;
      if (now - s->head_opened_ns >= options_.head_max_age_ns) {
        // A failed cut keeps the head and its WAL records; the next pass retries.
        if (CutLocked(s.get()).ok()) {
          cut = true;
          continue;
        }
      }
      oldest = std::min(oldest, s->head_opened_ns);
    }
    next_due = oldest == INT64_MAX ? INT64_MIN : oldest + options_.head_max_age_ns;
    if (cut || cuts != truncated_at_cuts) {
      truncated_at_cuts = cuts;
      (void)TruncateWal();  // a failure leaves records that the next truncation drops
    }
    l.lock();
  }
}

}  // namespace fenrir::storage
