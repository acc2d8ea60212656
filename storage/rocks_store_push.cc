// Push and block cutting of RocksStore.

#include <rocksdb/write_batch.h>

#include <algorithm>

#include "storage/block_codec.h"
#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/rocks_store.h"
#include "storage/rocks_status.h"
#include "storage/wal_record.h"

namespace fenrir::storage {

namespace {
constexpr int kZstdLevel = 1;
}  // namespace

rocksdb::WriteOptions RocksStore::WriteOpts() const {
  rocksdb::WriteOptions w;
  w.sync = options_.sync_writes;
  return w;
}

Status RocksStore::Push(std::string_view tenant, const std::vector<PushStream>& streams,
                        PushResult* result) {
  PushResult local;
  if (result == nullptr) result = &local;
  *result = PushResult{};
  if (tenant.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("tenant id contains a NUL byte");
  }
  if (streams.empty()) return Status::OK();
  FENRIR_RETURN_IF_ERROR(AdmitToHead(streams));
  Tenant* t = GetOrCreateTenant(tenant);

  // Resolve streams, then lock each distinct one in id order (no deadlock between pushes).
  std::vector<std::shared_ptr<Stream>> resolved(streams.size());
  for (size_t i = 0; i < streams.size(); ++i) {
    bool created = false;
    resolved[i] = GetOrCreateStream(t, tenant, streams[i].labels, &created);
    if (created) ++result->streams_created;
  }
  std::vector<Stream*> order;
  order.reserve(resolved.size());
  for (auto& s : resolved) order.push_back(s.get());
  std::sort(order.begin(), order.end(), [](Stream* a, Stream* b) { return a->id < b->id; });
  order.erase(std::unique(order.begin(), order.end()), order.end());
  std::vector<std::unique_lock<std::mutex>> locks;
  locks.reserve(order.size());
  for (Stream* s : order) locks.emplace_back(s->mu);

  struct Pending {
    Stream* stream;
    size_t mark;
    uint64_t bytes_before;
    bool was_empty;
    std::vector<int64_t> new_days;
  };
  std::vector<Pending> pending;  // one per distinct stream, in `order`
  pending.reserve(order.size());
  for (Stream* s : order) {
    pending.push_back({s, s->head.Mark(), s->head.memory_bytes(), s->head.empty(), {}});
  }
  auto pending_of = [&pending](Stream* s) -> Pending& {
    return *std::lower_bound(pending.begin(), pending.end(), s->id,
                             [](const Pending& p, uint64_t id) { return p.stream->id < id; });
  };

  rocksdb::WriteBatch batch;
  WalRecordWriter record(tenant);  // one record for the whole push
  for (size_t i = 0; i < streams.size(); ++i) {
    Stream* s = resolved[i].get();
    Pending& p = pending_of(s);
    record.BeginStream(s->id);
    int64_t last_day = INT64_MIN;
    for (const PushEntry& e : streams[i].entries) {
      if (!s->head.Append(e.timestamp_ns, e.line, e.metadata)) {
        ++result->duplicates;
        continue;
      }
      ++result->accepted;
      record.Add(e.timestamp_ns, e.line, e.metadata);
      int64_t day = DayOf(e.timestamp_ns);
      if (day != last_day) {
        last_day = day;
        if (!s->days.count(day) &&
            std::find(p.new_days.begin(), p.new_days.end(), day) == p.new_days.end()) {
          p.new_days.push_back(day);
        }
      }
    }
    record.EndStream();
  }
  std::string labels_value;
  for (Pending& p : pending) {
    Stream* s = p.stream;
    for (int64_t day : p.new_days) {
      labels_value.clear();
      EncodeLabels(s->labels, &labels_value);
      batch.Put(index_cf_, SeriesKey(tenant, day, s->id), labels_value);
      for (const Label& l : s->labels) {
        batch.Put(index_cf_, PostingKey(tenant, day, l.name, l.value, s->id), rocksdb::Slice());
      }
    }
  }
  // Index keys first: replay needs the series of every record in the index. A crash between
  // the two leaves at most series keys of a day without entries.
  Status st;
  if (batch.Count() > 0) st = FromRocks(db_->Write(WriteOpts(), &batch), "push: write");
  uint64_t wal_seq = 0;
  if (st.ok() && record.count() > 0) {
    // The seq is taken while the streams are locked: per stream, seqs follow arrival.
    auto seq = wal_log_->Append(record.Finish());
    if (seq.ok()) {
      wal_seq = *seq;
    } else {
      st = seq.status();
    }
  }
  if (!st.ok()) {
    for (Pending& p : pending) {
      p.stream->head.Rollback(p.mark);  // line memory stays allocated until the cut
      head_bytes_.fetch_add(p.stream->head.memory_bytes() - p.bytes_before,
                            std::memory_order_relaxed);
    }
    *result = PushResult{};
    return st;
  }

  const int64_t now = options_.clock->NowNanos();
  Status cut_status;
  for (Pending& p : pending) {
    Stream* s = p.stream;
    s->days.insert(p.new_days.begin(), p.new_days.end());
    if (wal_seq && s->head.size() > p.mark) {  // the record holds entries of this stream
      if (s->head_wal_min_seq == 0) s->head_wal_min_seq = wal_seq;
      s->head_wal_max_seq = wal_seq;
    }
    if (p.was_empty && !s->head.empty()) {
      s->head_opened_ns = now;
      head_streams_.fetch_add(1, std::memory_order_relaxed);
    }
    head_bytes_.fetch_add(s->head.memory_bytes() - p.bytes_before, std::memory_order_relaxed);
    if (s->head.raw_bytes() >= options_.block_target_bytes) {
      Status st = CutLocked(s);
      if (cut_status.ok()) cut_status = st;
    }
  }
  locks.clear();

  const uint64_t soft = HeadCutBytes();
  if (head_bytes_.load(std::memory_order_relaxed) > soft) {
    if (options_.background_flush) {
      cutter_cv_.notify_one();
    } else {
      Status st = CutLargest(soft - soft / 4);
      if (st.ok()) st = TruncateWal();
      if (cut_status.ok()) cut_status = st;
    }
  }
  // The entries are durable in the WAL even when a cut failed; the cut is retried later.
  (void)cut_status;
  return Status::OK();
}

Status RocksStore::AdmitToHead(const std::vector<PushStream>& streams) {
  if (!options_.background_flush) return Status::OK();  // pushes cut inline instead
  uint64_t incoming = 0;
  for (const PushStream& s : streams) {
    for (const PushEntry& e : s.entries) incoming += e.line.size() + kHeadEntryBytes;
  }
  const uint64_t held = head_bytes_.load(std::memory_order_relaxed);
  if (held + incoming <= HeadCutBytes()) return Status::OK();
  cutter_cv_.notify_one();
  if (held + incoming <= options_.head_max_bytes) return Status::OK();
  return Status::ResourceExhausted(
      "ingestion paused: the head (entries not yet persisted as blocks) holds " +
      std::to_string(held) + " bytes and this push would add " + std::to_string(incoming) +
      ", past its memory budget of " + std::to_string(options_.head_max_bytes) +
      " bytes (fenrir.head_max_bytes); blocks are being cut, retry shortly");
}

Status RocksStore::CutLocked(Stream* s) {
  if (s->head.empty()) return Status::OK();
  std::vector<BlockEntryRef> sorted = s->head.Sorted();
  rocksdb::WriteBatch batch;
  std::string block, meta;
  uint64_t blocks = 0;
  // One block per UTC day so each block belongs to exactly one partition.
  for (size_t begin = 0; begin < sorted.size();) {
    int64_t day = DayOf(sorted[begin].timestamp_ns);
    size_t end = begin + 1;
    while (end < sorted.size() && DayOf(sorted[end].timestamp_ns) == day) ++end;
    std::vector<BlockEntryRef> part(sorted.begin() + begin, sorted.begin() + end);
    BlockInfo info;
    EncodeBlock(part, kZstdLevel, &block, &info);
    meta.clear();
    EncodeBlockInfo(info, &meta);
    uint64_t seq = next_block_seq_.fetch_add(1, std::memory_order_relaxed);
    std::string key = BlockKey(s->tenant, day, s->id, seq);
    batch.Put(blocks_cf_, key, block);
    batch.Put(index_cf_, key, meta);
    ++blocks;
    begin = end;
  }
  // Replay skips this stream's entries in records up to head_wal_max_seq; the records
  // themselves go once no head needs them (TruncateWal).
  if (s->head_wal_max_seq != 0) {
    std::string cut;
    PutFixed64(&cut, s->head_wal_max_seq);
    batch.Put(wal_cf_, WalCutKey(s->tenant, s->id), cut);
  }
  FENRIR_RETURN_IF_ERROR(FromRocks(db_->Write(WriteOpts(), &batch), "cut: write"));
  blocks_.fetch_add(blocks, std::memory_order_relaxed);
  cuts_.fetch_add(1, std::memory_order_release);
  head_bytes_.fetch_sub(s->head.memory_bytes(), std::memory_order_relaxed);
  head_streams_.fetch_sub(1, std::memory_order_relaxed);
  s->head.Clear();
  s->head_wal_min_seq = 0;
  return Status::OK();
}

Status RocksStore::CutAll() {
  Status first;
  for (const auto& s : AllStreams()) {
    std::lock_guard<std::mutex> l(s->mu);
    Status st = CutLocked(s.get());
    if (first.ok()) first = st;
  }
  Status st = TruncateWal();
  return first.ok() ? st : first;
}

Status RocksStore::TruncateWal() {
  // A push takes its seq while holding its streams' locks, so every push with a seq below
  // `upper` has either finished (its heads record it) or still holds a lock taken below.
  const uint64_t upper = wal_log_->next_seq();
  uint64_t low = upper;
  for (const auto& s : AllStreams()) {
    std::lock_guard<std::mutex> l(s->mu);
    if (!s->head.empty() && s->head_wal_min_seq != 0) low = std::min(low, s->head_wal_min_seq);
  }
  std::lock_guard<std::mutex> l(wal_truncate_mu_);
  if (low <= wal_truncated_) return Status::OK();
  if (legacy_wal_records_) {
    rocksdb::WriteBatch batch;
    batch.DeleteRange(wal_cf_, WalRecordKey(0), WalRecordKey(low));
    FENRIR_RETURN_IF_ERROR(FromRocks(db_->Write(WriteOpts(), &batch), "wal: truncate"));
  }
  FENRIR_RETURN_IF_ERROR(wal_log_->Truncate(low));
  wal_truncated_ = low;
  return Status::OK();
}

Status RocksStore::Flush() {
  FENRIR_RETURN_IF_ERROR(CutAll());
  ReleaseFreedMemory();
  // Persist the memtables so RocksDB's log files can go; the cutter thread then compacts the
  // wal family so deleted records leave the disk. Not waited for: the flush
  // runs on RocksDB's background threads and Flush() only needs to start it. Best effort:
  // the blocks are durable already, and a flush still pending makes RocksDB refuse another.
  rocksdb::FlushOptions fo;
  fo.wait = false;
  fo.allow_write_stall = true;
  db_->Flush(fo, {index_cf_, blocks_cf_, wal_cf_}).PermitUncheckedError();
  wal_compact_requested_.store(true, std::memory_order_relaxed);
  cutter_cv_.notify_one();
  return Status::OK();
}

}  // namespace fenrir::storage
