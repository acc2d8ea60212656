// Retention of RocksStore: the policy, the maintenance pass, compaction and the admin reads.
// Layout and the rules it relies on: storage/FORMAT.md ("Retention"), docs/retention.md.

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>

#include "storage/block_codec.h"
#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/rocks_status.h"
#include "storage/rocks_store.h"

namespace fenrir::storage {

namespace {

std::string_view View(const rocksdb::Slice& s) { return {s.data(), s.size()}; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// The latest cutoff any stream of the tenant can have (its shortest positive period):
// partitions starting at or after it hold nothing expired.
int64_t TenantCeiling(const TenantRetention& t, int64_t now) {
  int64_t ceiling = CutoffOf(t.period_ns, now);
  for (const auto& rule : t.streams) ceiling = std::max(ceiling, CutoffOf(rule.period_ns, now));
  return ceiling;
}

// What a partition scan finds about one stream.
struct StreamSlice {
  Labels labels;
  bool has_series_key = false;
  std::vector<std::pair<std::string, BlockInfo>> blocks;  // index key, metadata
};

}  // namespace

Status RocksStore::InitRetention() {
  retention_ = std::make_unique<RetentionState>();
  retention_->policy =
      options_.retention ? options_.retention : std::make_shared<const RetentionPolicy>();
  FENRIR_RETURN_IF_ERROR(LoadDeleteRequests());
  if (options_.maintenance_interval_ns > 0) {
    retention_->worker = std::make_unique<RetentionWorker>(
        std::chrono::nanoseconds(options_.maintenance_interval_ns),
        [this] { (void)RunMaintenance(); });  // a failed pass is retried by the next one
  }
  return Status::OK();
}

void RocksStore::StopMaintenance() {
  if (retention_ && retention_->worker) retention_->worker->Stop();
}

std::shared_ptr<const RetentionPolicy> RocksStore::Policy() {
  std::lock_guard<std::mutex> l(retention_->policy_mu);
  return retention_->policy;
}

void RocksStore::SetRetentionPolicy(std::shared_ptr<const RetentionPolicy> policy) {
  if (!policy) policy = std::make_shared<const RetentionPolicy>();
  std::lock_guard<std::mutex> l(retention_->policy_mu);
  retention_->policy = std::move(policy);
}

Result<MaintenanceReport> RocksStore::RunMaintenance() {
  std::lock_guard<std::mutex> pass(retention_->pass_mu);
  const auto began = std::chrono::steady_clock::now();
  MaintenanceReport report;
  report.disk_bytes_before = Metrics().disk_bytes;
  const std::shared_ptr<const RetentionPolicy> policy = Policy();
  const int64_t now = options_.clock->NowNanos();
  std::vector<std::pair<std::string, std::string>> compact;

  if (!policy->KeepsEverything()) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
    for (it->SeekToFirst(); it->Valid();) {
      std::string_view tenant_view, rest;
      int64_t day;
      char tag;
      if (!ParseIndexKey(View(it->key()), &tenant_view, &day, &tag, &rest)) {
        return Status::Corruption("index: malformed key");
      }
      const std::string tenant(tenant_view);
      if (tenant.empty()) {  // delete requests, never subject to retention
        it->Seek(std::string(1, '\x01'));
        continue;
      }
      if (day * kNanosPerDay >= TenantCeiling(policy->For(tenant), now)) {
        it->Seek(tenant + '\x01');  // this and later days of the tenant keep everything
        continue;
      }
      bool touched = false;
      FENRIR_RETURN_IF_ERROR(ExpirePartition(tenant, day, *policy, now, &report, &touched));
      if (touched) compact.emplace_back(PartitionPrefix(tenant, day), PartitionPrefix(tenant, day + 1));
      it->Seek(PartitionPrefix(tenant, day + 1));
    }
    FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "retention: scan"));
  }
  FENRIR_RETURN_IF_ERROR(ProcessDeletes(now, &report, &compact));
  FENRIR_RETURN_IF_ERROR(CompactRanges(std::move(compact)));
  report.disk_bytes_after = Metrics().disk_bytes;
  report.duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::steady_clock::now() - began)
                           .count();
  return report;
}

Status RocksStore::ExpirePartition(std::string_view tenant, int64_t day,
                                   const RetentionPolicy& policy, int64_t now,
                                   MaintenanceReport* report, bool* touched) {
  const int64_t day_start = day * kNanosPerDay;
  const int64_t day_end = day_start + kNanosPerDay;
  const std::string prefix = PartitionPrefix(tenant, day);

  // One scan of the partition's series and block metadata (postings are skipped).
  std::map<uint64_t, StreamSlice> streams;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  for (it->Seek(prefix); it->Valid() && StartsWith(View(it->key()), prefix);) {
    std::string_view key = View(it->key());
    const char tag = key[prefix.size()];
    std::string_view rest = key.substr(prefix.size() + 1);
    if (tag == kPostingTag) {
      it->Seek(prefix + static_cast<char>(kPostingTag + 1));
      continue;
    }
    if (tag == kBlockTag) {
      if (rest.size() != 16) return Status::Corruption("index: malformed block key");
      BlockInfo info;
      FENRIR_RETURN_IF_ERROR(DecodeBlockInfo(View(it->value()), &info));
      streams[DecodeFixed64BE(rest.data())].blocks.emplace_back(std::string(key), info);
    } else if (tag == kSeriesTag) {
      if (rest.size() != 8) return Status::Corruption("index: malformed series key");
      StreamSlice& slice = streams[DecodeFixed64BE(rest.data())];
      std::string_view value = View(it->value());
      if (!DecodeLabels(&value, &slice.labels)) return Status::Corruption("index: malformed labels");
      slice.has_series_key = true;
    }
    it->Next();
  }
  FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "retention: partition scan"));
  if (streams.empty()) return Status::OK();

  std::map<uint64_t, int64_t> cutoffs;
  bool all_expired = true;
  for (auto& [id, slice] : streams) {
    if (!slice.has_series_key) {  // blocks cut after their day was dropped: use the registry
      if (auto s = FindStream(tenant, id)) slice.labels = s->labels;
    }
    int64_t cutoff = policy.CutoffFor(tenant, slice.labels, now);
    cutoffs[id] = cutoff;
    all_expired &= cutoff >= day_end;
  }

  rocksdb::WriteBatch batch;
  uint64_t blocks_removed = 0;
  std::vector<uint64_t> dropped;   // streams whose whole day is gone
  std::vector<uint64_t> emptied;   // streams whose every block of the day is gone
  if (all_expired) {
    const std::string end = PrefixSuccessor(prefix);
    batch.DeleteRange(index_cf_, prefix, end);
    batch.DeleteRange(blocks_cf_, prefix, end);
    for (const auto& [id, slice] : streams) {
      blocks_removed += slice.blocks.size();
      dropped.push_back(id);
    }
    ++report->partitions_dropped;
  } else {
    for (const auto& [id, slice] : streams) {
      const int64_t cutoff = cutoffs[id];
      if (cutoff >= day_end) {
        const std::string bp = BlockPrefix(tenant, day, id);
        batch.DeleteRange(index_cf_, bp, PrefixSuccessor(bp));
        batch.DeleteRange(blocks_cf_, bp, PrefixSuccessor(bp));
        if (slice.has_series_key) {
          batch.Delete(index_cf_, SeriesKey(tenant, day, id));
          for (const Label& l : slice.labels) {
            batch.Delete(index_cf_, PostingKey(tenant, day, l.name, l.value, id));
          }
        }
        blocks_removed += slice.blocks.size();
        dropped.push_back(id);
        ++report->stream_days_dropped;
      } else if (cutoff > day_start) {
        // Only blocks wholly past the cutoff go (Loki expires whole chunks); the reads clamp
        // the rest.
        size_t removed = 0;
        for (const auto& [key, info] : slice.blocks) {
          if (info.max_ts >= cutoff) continue;
          batch.Delete(index_cf_, key);
          batch.Delete(blocks_cf_, key);
          ++removed;
        }
        blocks_removed += removed;
        if (removed > 0 && removed == slice.blocks.size()) emptied.push_back(id);
      }
    }
  }
  if (batch.Count() == 0) return Status::OK();
  FENRIR_RETURN_IF_ERROR(FromRocks(db_->Write(WriteOpts(), &batch), "retention: write"));
  blocks_.fetch_sub(std::min<uint64_t>(blocks_removed, blocks_.load()), std::memory_order_relaxed);
  report->blocks_deleted += blocks_removed;
  for (uint64_t id : dropped) {
    if (auto s = FindStream(tenant, id)) {
      std::lock_guard<std::mutex> l(s->mu);
      s->days.erase(day);  // a later push into the day writes its index keys again
    }
  }
  for (uint64_t id : emptied) {
    if (auto s = FindStream(tenant, id)) FENRIR_RETURN_IF_ERROR(DropEmptyStreamDay(s.get(), day));
  }
  *touched = true;
  return Status::OK();
}

Status RocksStore::CompactRanges(std::vector<std::pair<std::string, std::string>> ranges) {
  if (ranges.empty()) return Status::OK();
  std::sort(ranges.begin(), ranges.end());
  // Merge ranges of the same tenant (the keys between them hold no data of other tenants).
  auto tenant_of = [](const std::string& k) { return k.substr(0, k.find('\0')); };
  std::vector<std::pair<std::string, std::string>> merged;
  for (auto& r : ranges) {
    if (!merged.empty() &&
        (r.first <= merged.back().second || tenant_of(r.first) == tenant_of(merged.back().first))) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(std::move(r));
    }
  }
  rocksdb::CompactRangeOptions opts;
  opts.exclusive_manual_compaction = false;  // automatic compactions keep running
  opts.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  opts.blob_garbage_collection_policy = rocksdb::BlobGarbageCollectionPolicy::kForce;
  opts.blob_garbage_collection_age_cutoff = 1.0;  // relocate live blobs out of every file
  for (const auto& [b, e] : merged) {
    rocksdb::Slice begin(b), end(e);
    for (auto* cf : {index_cf_, blocks_cf_}) {
      FENRIR_RETURN_IF_ERROR(FromRocks(db_->CompactRange(opts, cf, &begin, &end), "compact"));
    }
  }
  return Status::OK();
}

Status RocksStore::Compact() {
  rocksdb::CompactRangeOptions opts;
  opts.exclusive_manual_compaction = false;
  opts.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForceOptimized;
  opts.blob_garbage_collection_policy = rocksdb::BlobGarbageCollectionPolicy::kForce;
  opts.blob_garbage_collection_age_cutoff = 1.0;
  for (auto* cf : handles_) {
    FENRIR_RETURN_IF_ERROR(FromRocks(db_->CompactRange(opts, cf, nullptr, nullptr), "compact"));
  }
  return Status::OK();
}

Result<std::vector<std::string>> RocksStore::Tenants() {
  std::vector<std::string> out;
  std::shared_lock<std::shared_mutex> l(tenants_mu_);
  for (auto& [name, t] : tenants_) {
    std::shared_lock<std::shared_mutex> tl(t->mu);
    if (!t->by_id.empty()) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::vector<PartitionUsage>> RocksStore::DiskUsage(std::string_view tenant) {
  std::map<std::pair<std::string, int64_t>, PartitionUsage> parts;
  std::string start;
  if (!tenant.empty()) start = std::string(tenant) + '\0';
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  for (it->Seek(start); it->Valid() && StartsWith(View(it->key()), start);) {
    std::string_view t, rest;
    int64_t day;
    char tag;
    if (!ParseIndexKey(View(it->key()), &t, &day, &tag, &rest)) {
      return Status::Corruption("index: malformed key");
    }
    if (t.empty()) {  // delete requests
      it->Seek(std::string(1, '\x01'));
      continue;
    }
    PartitionUsage& u = parts[{std::string(t), day}];
    u.tenant = std::string(t);
    u.day = day;
    if (tag == kPostingTag) {
      it->Seek(PartitionPrefix(t, day) + static_cast<char>(kPostingTag + 1));
      continue;
    }
    if (tag == kSeriesTag) {
      ++u.streams;
    } else if (tag == kBlockTag) {
      BlockInfo info;
      FENRIR_RETURN_IF_ERROR(DecodeBlockInfo(View(it->value()), &info));
      ++u.blocks;
      u.entries += info.entries;
      u.raw_bytes += info.raw_bytes;
      u.compressed_bytes += info.compressed_bytes;
    }
    it->Next();
  }
  FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "disk usage: scan"));
  std::vector<PartitionUsage> out;
  for (auto& [k, u] : parts) out.push_back(std::move(u));
  return out;
}

Result<std::vector<StreamRetentionStatus>> RocksStore::RetentionStatus(
    std::string_view tenant, const std::vector<Matcher>& matchers) {
  std::vector<StreamRetentionStatus> out;
  Tenant* t = FindTenant(tenant);
  if (!t) return out;
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::shared_lock<std::shared_mutex> l(t->mu);
    for (auto& [id, s] : t->by_id) {
      if (MatchesAll(matchers, s->labels)) streams.push_back(s);
    }
  }
  const std::shared_ptr<const RetentionPolicy> policy = Policy();
  const int64_t now = options_.clock->NowNanos();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), index_cf_));
  for (const auto& s : streams) {
    StreamRetentionStatus st;
    st.labels = s->labels;
    st.period_ns = policy->PeriodFor(tenant, s->labels);
    st.cutoff_ns = CutoffOf(st.period_ns, now);
    int64_t oldest = std::numeric_limits<int64_t>::max();
    bool any = false;
    auto add = [&](int64_t min_ts, int64_t max_ts, uint64_t entries, uint64_t bytes) {
      st.entries += entries;
      st.bytes += bytes;
      if (max_ts < st.cutoff_ns) {
        st.expired_entries += entries;
        return;
      }
      any = true;
      oldest = std::min(oldest, std::max(min_ts, st.cutoff_ns));
      st.newest_ns = std::max(st.newest_ns, max_ts);
    };
    std::set<int64_t> days;
    {
      std::lock_guard<std::mutex> l(s->mu);
      days = s->days;
      if (!s->head.empty()) add(s->head.min_ts(), s->head.max_ts(), s->head.size(), s->head.raw_bytes());
    }
    for (int64_t day : days) {
      const std::string bp = BlockPrefix(tenant, day, s->id);
      for (it->Seek(bp); it->Valid() && StartsWith(View(it->key()), bp); it->Next()) {
        BlockInfo info;
        FENRIR_RETURN_IF_ERROR(DecodeBlockInfo(View(it->value()), &info));
        add(info.min_ts, info.max_ts, info.entries, info.raw_bytes);
      }
      FENRIR_RETURN_IF_ERROR(FromRocks(it->status(), "retention status: scan"));
    }
    if (any) {
      st.oldest_kept_ns = oldest;
      if (st.period_ns > 0) st.next_expiry_ns = oldest + st.period_ns;
    }
    out.push_back(std::move(st));
  }
  std::sort(out.begin(), out.end(), [](const StreamRetentionStatus& a,
                                       const StreamRetentionStatus& b) { return a.labels < b.labels; });
  return out;
}

}  // namespace fenrir::storage
