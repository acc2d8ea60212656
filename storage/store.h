#pragma once
// The storage facade: the only storage header the query and server layers include.
// Layout on disk: storage/FORMAT.md.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/clock.h"
#include "storage/delete_request.h"
#include "storage/entry_iterator.h"
#include "storage/labels.h"
#include "storage/retention_policy.h"
#include "storage/retention_report.h"
#include "base/status.h"

namespace fenrir::storage {

struct StoreOptions {
  std::string dir;                       // data directory; created when missing
  Clock* clock = SystemClock::Default();  // not owned
  // false: an acknowledged push survives kill -9 of the process (WAL written before the
  // ack). true: it also survives power loss (WAL fsync'd; concurrent pushes group-commit).
  bool sync_writes = false;
  size_t block_target_bytes = 1 << 20;      // cut a stream's open block at this raw size
  int64_t head_max_age_ns = 60'000'000'000;  // cut open blocks older than this (1 min)
  // Memory budget of the head (open blocks, all streams). From head_cut_bytes on, the
  // background cutter persists the largest open blocks until the head is back under it; a
  // push that would take the head past head_max_bytes fails with ResourceExhausted (HTTP 429)
  // and stores nothing. Without the background thread, pushes past head_cut_bytes cut
  // inline instead.
  size_t head_max_bytes = 256 << 20;
  size_t head_cut_bytes = 0;                // soft watermark; 0: 3/4 of head_max_bytes
  bool background_flush = true;             // run the age/size cutter thread
  // Retention and deletion (storage/retention_policy.h, storage/delete_request.h).
  std::shared_ptr<const RetentionPolicy> retention;  // null: keep everything
  int64_t maintenance_interval_ns = 0;  // background retention + delete pass period; 0: none
  int64_t delete_cancel_period_ns = 24LL * 3600 * 1'000'000'000;  // Loki's default
  DeleteQueryCompiler delete_compiler;  // rebuilds persisted delete requests' filters at open
};

struct PushEntry {
  int64_t timestamp_ns = 0;
  std::string line;
  Labels metadata;  // structured metadata
};

// REQUIRES: labels validated (sorted, unique names, non-empty values).
struct PushStream {
  Labels labels;
  std::vector<PushEntry> entries;
};

struct PushResult {
  size_t accepted = 0;
  size_t duplicates = 0;  // identical (timestamp, line) already held for the stream: dropped
  size_t streams_created = 0;
};

// A stream as the index knows it.
struct SeriesRef {
  uint64_t id = 0;  // fingerprint, unique per tenant
  Labels labels;
};

// Sizes of one stream inside a time range, read from block metadata (no decompression).
struct SeriesStats {
  SeriesRef series;
  uint64_t chunks = 0;   // blocks overlapping the range (head blocks included)
  uint64_t entries = 0;
  uint64_t bytes = 0;    // uncompressed line bytes
};

// Optional pushdown from the query layer; ignoring it must still give correct answers.
struct ScanHints {
  // Every line the query can return contains each of these byte strings (case-sensitive).
  // The store may skip blocks whose token filter proves a literal absent.
  std::vector<std::string> required_literals;
  // false: the reader uses only Timestamp(), LineSize() and Metadata(); Line() may then be
  // empty, and the store may skip decompressing lines (count_over_time, rate, bytes_*).
  bool need_lines = true;
};

struct StoreMetrics {
  uint64_t streams = 0;       // series in the index
  uint64_t head_streams = 0;  // streams with an open block
  uint64_t blocks = 0;        // persisted blocks
  uint64_t disk_bytes = 0;    // live SST + WAL + blob bytes
  uint64_t head_bytes = 0;
};

// Thread-safe: any number of concurrent pushes and reads.
class Store {
 public:
  virtual ~Store() = default;

  // Opens (creating if needed) the store, replaying the WAL into the head.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);

  // Appends entries in any timestamp order. Returns after they are durable per
  // options.sync_writes and visible to reads. Entries identical in (timestamp, line) to one
  // already held for the stream are dropped and counted in result->duplicates.
  virtual Status Push(std::string_view tenant, const std::vector<PushStream>& streams,
                      PushResult* result) = 0;

  // Streams matching every matcher that hold data in [from_ns, through_ns).
  // An empty matcher list selects every stream. Sorted by labels.
  virtual Result<std::vector<SeriesRef>> SelectSeries(std::string_view tenant,
                                                      const std::vector<Matcher>& matchers,
                                                      int64_t from_ns, int64_t through_ns) = 0;

  // Entries of one stream with from_ns <= ts < through_ns, head included, in `direction`.
  virtual std::unique_ptr<EntryIterator> Entries(std::string_view tenant, const SeriesRef& series,
                                                 int64_t from_ns, int64_t through_ns,
                                                 Direction direction, const ScanHints& hints) = 0;

  // Label names / values of streams with data in the range, optionally restricted to streams
  // matching `matchers` (empty = all). Sorted, unique.
  virtual Result<std::vector<std::string>> LabelNames(std::string_view tenant,
                                                      const std::vector<Matcher>& matchers,
                                                      int64_t from_ns, int64_t through_ns) = 0;
  virtual Result<std::vector<std::string>> LabelValues(std::string_view tenant,
                                                       std::string_view name,
                                                       const std::vector<Matcher>& matchers,
                                                       int64_t from_ns, int64_t through_ns) = 0;

  // Per-stream sizes for index/stats and volume.
  virtual Result<std::vector<SeriesStats>> Stats(std::string_view tenant,
                                                 const std::vector<Matcher>& matchers,
                                                 int64_t from_ns, int64_t through_ns) = 0;

  // Cuts every open block and persists it (Loki's /flush).
  virtual Status Flush() = 0;

  virtual StoreMetrics Metrics() = 0;

  // ---- Retention, deletion and maintenance (storage/retention_policy.h, delete_request.h,
  // retention_report.h; docs/retention.md). The defaults suit stores without these features:
  // they keep everything and answer InvalidArgument.

  // Replaces the retention rules (runtime overrides reload). Reads apply them at once: an entry
  // older than its stream's cutoff is never returned, even before a pass removes it from disk.
  // null keeps everything.
  virtual void SetRetentionPolicy(std::shared_ptr<const RetentionPolicy> policy) { (void)policy; }

  // One maintenance pass now (the background task runs the same): drops expired partitions,
  // stream-days and blocks, processes delete requests whose cancel period has elapsed, and
  // compacts the ranges it touched so the disk space is released. Pushes and queries continue
  // meanwhile. Passes are serialized.
  virtual Result<MaintenanceReport> RunMaintenance() { return Unsupported("maintenance"); }

  // Compacts every column family (RocksDB CompactRange over the whole key space).
  virtual Status Compact() { return Unsupported("compaction"); }

  // Tenants that have streams, sorted.
  virtual Result<std::vector<std::string>> Tenants() { return Unsupported("tenant listing"); }

  // Persisted usage per (tenant, day) partition, sorted; an empty tenant lists every tenant.
  virtual Result<std::vector<PartitionUsage>> DiskUsage(std::string_view tenant) {
    (void)tenant;
    return Unsupported("disk usage");
  }

  // Retention state of the tenant's streams matching `matchers` (empty = all), sorted by labels.
  virtual Result<std::vector<StreamRetentionStatus>> RetentionStatus(
      std::string_view tenant, const std::vector<Matcher>& matchers) {
    (void)tenant, (void)matchers;
    return Unsupported("retention status");
  }

  // Records a delete request (status received) and persists it. `query` is kept for listing
  // and recompilation; `filter` is its compiled form. Entries of matching streams with
  // start_ns <= ts <= end_ns for which the filter's predicate holds are hidden from reads once
  // the cancel period has elapsed and removed from disk by the next pass.
  // REQUIRES: start_ns <= end_ns.
  virtual Result<DeleteRequest> AddDeleteRequest(std::string_view tenant, std::string query,
                                                 int64_t start_ns, int64_t end_ns,
                                                 DeleteFilter filter) {
    (void)tenant, (void)query, (void)start_ns, (void)end_ns, (void)filter;
    return Unsupported("deletion");
  }

  // The tenant's delete requests, oldest first.
  virtual Result<std::vector<DeleteRequest>> DeleteRequests(std::string_view tenant) {
    (void)tenant;
    return Unsupported("deletion");
  }

  // Cancels (removes) a request that is not processed yet. NotFound when unknown,
  // InvalidArgument when already processed.
  virtual Status CancelDeleteRequest(std::string_view tenant, std::string_view id) {
    (void)tenant, (void)id;
    return Unsupported("deletion");
  }

 protected:
  static Status Unsupported(std::string_view what) {
    return Status::InvalidArgument(std::string(what) + " is not supported by this store");
  }
};

}  // namespace fenrir::storage
