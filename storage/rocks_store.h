#pragma once
// The RocksDB-backed Store (storage/FORMAT.md). Split by concern:
//   rocks_store.cc       open, WAL replay, registry, metrics, background cutter
//   rocks_store_push.cc  push and block cutting
//   rocks_store_cutter.cc  background cutter: head memory budget, age cuts, WAL compaction
//   rocks_store_read.cc  series selection, label names/values, stats, entries
//   rocks_store_retention.cc  retention policy, maintenance pass, admin reads
//   rocks_store_delete.cc     delete requests: persistence, read-time filter, block rewrite
// Thread-safe. Iterators returned by Entries() must not outlive the store.

#include <rocksdb/db.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "storage/delete_iterator.h"
#include "storage/retention_state.h"
#include "storage/store.h"
#include "storage/stream_head.h"
#include "storage/wal_log.h"

namespace fenrir::storage {

// One stream of one tenant: immutable identity, then the mutex and what it guards.
struct Stream {
  Stream(std::string t, uint64_t i, Labels l)
      : tenant(std::move(t)), id(i), labels(std::move(l)) {}
  const std::string tenant;
  const uint64_t id;
  const Labels labels;

  std::mutex mu;
  StreamHead head;                // guarded by mu
  std::set<int64_t> days;         // days whose series + postings keys exist; guarded by mu
  uint64_t head_wal_min_seq = 0;  // oldest WAL record the head holds (0: none); guarded by mu
  uint64_t head_wal_max_seq = 0;  // newest WAL record the head holds; guarded by mu
  int64_t head_opened_ns = 0;     // clock time of the head's first entry; guarded by mu
};

// The streams of one tenant by id. The mutex guards the map, not the streams.
struct Tenant {
  std::shared_mutex mu;
  std::unordered_map<uint64_t, std::shared_ptr<Stream>> by_id;
};

class RocksStore : public Store {
 public:
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~RocksStore() override;

  Status Push(std::string_view tenant, const std::vector<PushStream>& streams,
              PushResult* result) override;
  Result<std::vector<SeriesRef>> SelectSeries(std::string_view tenant,
                                              const std::vector<Matcher>& matchers,
                                              int64_t from_ns, int64_t through_ns) override;
  std::unique_ptr<EntryIterator> Entries(std::string_view tenant, const SeriesRef& series,
                                         int64_t from_ns, int64_t through_ns, Direction direction,
                                         const ScanHints& hints) override;
  Result<std::vector<std::string>> LabelNames(std::string_view tenant,
                                              const std::vector<Matcher>& matchers,
                                              int64_t from_ns, int64_t through_ns) override;
  Result<std::vector<std::string>> LabelValues(std::string_view tenant, std::string_view name,
                                               const std::vector<Matcher>& matchers,
                                               int64_t from_ns, int64_t through_ns) override;
  Result<std::vector<SeriesStats>> Stats(std::string_view tenant,
                                         const std::vector<Matcher>& matchers, int64_t from_ns,
                                         int64_t through_ns) override;
  Status Flush() override;
  StoreMetrics Metrics() override;

  void SetRetentionPolicy(std::shared_ptr<const RetentionPolicy> policy) override;
  Result<MaintenanceReport> RunMaintenance() override;
  Status Compact() override;
  Result<std::vector<std::string>> Tenants() override;
  Result<std::vector<PartitionUsage>> DiskUsage(std::string_view tenant) override;
  Result<std::vector<StreamRetentionStatus>> RetentionStatus(
      std::string_view tenant, const std::vector<Matcher>& matchers) override;
  Result<DeleteRequest> AddDeleteRequest(std::string_view tenant, std::string query,
                                         int64_t start_ns, int64_t end_ns,
                                         DeleteFilter filter) override;
  Result<std::vector<DeleteRequest>> DeleteRequests(std::string_view tenant) override;
  Status CancelDeleteRequest(std::string_view tenant, std::string_view id) override;

 private:
  explicit RocksStore(const StoreOptions& options) : options_(options) {}

  // --- registry (rocks_store.cc)
  Tenant* FindTenant(std::string_view tenant);
  Tenant* GetOrCreateTenant(std::string_view tenant);
  std::shared_ptr<Stream> FindStream(std::string_view tenant, uint64_t id);
  // The stream with these labels, created when missing (ids probe past fingerprint collisions).
  std::shared_ptr<Stream> GetOrCreateStream(Tenant* t, std::string_view tenant,
                                            const Labels& labels, bool* created);
  std::vector<std::shared_ptr<Stream>> AllStreams();
  Status LoadIndex();
  Status ReplayWal();
  void CutterLoop();
  // Compacts the wal family when Flush() asked for it or its SST files grew past a threshold.
  // Runs on the cutter thread (it blocks until the compaction ends).
  void MaybeCompactWal();

  // --- writes (rocks_store_push.cc)
  // Head bytes an entry costs beyond its line (its slot in the head), for admission.
  static constexpr uint64_t kHeadEntryBytes = 32;
  // ResourceExhausted when the push would take the head past its budget; wakes the cutter
  // when it passes the soft watermark.
  Status AdmitToHead(const std::vector<PushStream>& streams);
  // Persists the stream's head as blocks. REQUIRES: s->mu held.
  Status CutLocked(Stream* s);
  Status CutAll();
  // Cuts the largest open blocks until the head holds at most `target` bytes.
  Status CutLargest(uint64_t target);
  // The soft watermark of the head budget (StoreOptions::head_cut_bytes resolved).
  uint64_t HeadCutBytes() const;
  // Returns free heap pages to the OS after large cuts (at most once a second).
  void ReleaseFreedMemory();
  // Deletes the WAL records no head needs any more (older than every head's oldest record).
  Status TruncateWal();
  rocksdb::WriteOptions WriteOpts() const;

  // --- retention and deletion (rocks_store_retention.cc, rocks_store_delete.cc)
  // Loads delete requests and starts the background pass. Called once by Open.
  Status InitRetention();
  Status LoadDeleteRequests();
  // Stops the background pass. Called first by the destructor.
  void StopMaintenance();
  std::shared_ptr<const RetentionPolicy> Policy();
  // Unprocessed requests past their cancel period that apply to the stream in [from, through).
  std::vector<DeleteSpan> ActiveDeletes(std::string_view tenant, const Labels& labels,
                                        int64_t from, int64_t through);
  // Partition-level expiry of one (tenant, day); ranges touched go to *compact.
  Status ExpirePartition(std::string_view tenant, int64_t day, const RetentionPolicy& policy,
                         int64_t now, MaintenanceReport* report, bool* touched);
  Status ProcessDeletes(int64_t now, MaintenanceReport* report,
                        std::vector<std::pair<std::string, std::string>>* compact);
  Status ApplyDelete(const CompiledDelete& request, MaintenanceReport* report);
  // Removes the stream's series and posting keys of `day` when it holds nothing there any more.
  Status DropEmptyStreamDay(Stream* s, int64_t day);
  Status CompactRanges(std::vector<std::pair<std::string, std::string>> ranges);

  // --- reads (rocks_store_read.cc)
  struct Selected {
    std::shared_ptr<Stream> stream;
    int64_t from = 0;      // the range start clamped to the stream's retention cutoff
    bool expired = false;  // nothing of the stream is inside retention for this range
    bool present = false;  // holds data in the range
    SeriesStats stats;
  };
  // Streams matching `matchers` with data in [from, through); stats filled when want_stats.
  // Consistent with concurrent cuts: block metadata and heads are read at different moments,
  // so a pass during which a cut completed is repeated (SelectOnce).
  Status Select(std::string_view tenant, const std::vector<Matcher>& matchers, int64_t from,
                int64_t through, bool want_stats, std::vector<Selected>* out);
  Status SelectOnce(std::string_view tenant, const std::vector<Matcher>& matchers, int64_t from,
                    int64_t through, bool want_stats, std::vector<Selected>* out);
  // Ids of series indexed in the day whose labels may match (postings intersection).
  Status CandidatesInDay(std::string_view tenant, int64_t day,
                         const std::vector<Matcher>& matchers, std::vector<uint64_t>* ids);
  // Days of the tenant in [first, last] that have index keys, via seeks over partitions.
  Status DaysWithData(std::string_view tenant, int64_t first, int64_t last,
                      std::vector<int64_t>* days);

  const StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::ColumnFamilyHandle* index_cf_ = nullptr;   // owned by handles_
  rocksdb::ColumnFamilyHandle* blocks_cf_ = nullptr;  // owned by handles_
  rocksdb::ColumnFamilyHandle* wal_cf_ = nullptr;     // owned by handles_
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;

  std::unique_ptr<WalLog> wal_log_;  // the head's WAL (records); cut markers stay in wal_cf_
  bool legacy_wal_records_ = false;  // 'R' records of format 2 in wal_cf_ still to delete
  std::atomic<uint64_t> next_block_seq_{1};
  std::atomic<uint64_t> blocks_{0};
  std::atomic<uint64_t> cuts_{0};  // successful cuts: the cutter truncates, Select retries
  std::atomic<uint64_t> head_bytes_{0};
  std::atomic<uint64_t> head_streams_{0};
  std::atomic<int64_t> last_trim_ns_{0};
  std::atomic<uint64_t> streams_{0};

  std::shared_mutex tenants_mu_;
  std::unordered_map<std::string, std::unique_ptr<Tenant>> tenants_;  // guarded by tenants_mu_

  std::unique_ptr<RetentionState> retention_;

  std::mutex wal_truncate_mu_;
  uint64_t wal_truncated_ = 0;  // records below this seq are deleted; guarded by wal_truncate_mu_

  std::atomic<bool> wal_compact_requested_{false};
  uint64_t wal_compact_threshold_ = 256ull << 20;  // used by the cutter thread only

  std::mutex cutter_mu_;
  std::condition_variable cutter_cv_;
  bool stopping_ = false;  // guarded by cutter_mu_
  std::thread cutter_;
};

}  // namespace fenrir::storage
