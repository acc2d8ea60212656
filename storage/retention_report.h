#pragma once
// What the maintenance pass and the admin reads return (Store::RunMaintenance, DiskUsage,
// RetentionStatus). Plain values.

#include <cstdint>
#include <string>
#include <vector>

#include "storage/labels.h"

namespace fenrir::storage {

// One retention + delete pass.
struct MaintenanceReport {
  uint64_t partitions_dropped = 0;   // whole (tenant, day) partitions removed by DeleteRange
  uint64_t stream_days_dropped = 0;  // (stream, day) slices removed inside kept partitions
  uint64_t blocks_deleted = 0;       // blocks removed (expired or emptied by a delete)
  uint64_t blocks_rewritten = 0;     // blocks re-encoded without deleted lines
  uint64_t entries_deleted = 0;      // entries removed by delete requests
  uint64_t delete_requests_processed = 0;
  uint64_t disk_bytes_before = 0;    // StoreMetrics::disk_bytes around the pass
  uint64_t disk_bytes_after = 0;
  int64_t duration_ns = 0;
};

// Persisted bytes of one (tenant, day) partition, from block metadata.
struct PartitionUsage {
  std::string tenant;
  int64_t day = 0;            // UTC day number (ts / 86400e9)
  uint64_t streams = 0;       // series keys in the partition
  uint64_t blocks = 0;
  uint64_t entries = 0;
  uint64_t raw_bytes = 0;         // uncompressed line bytes
  uint64_t compressed_bytes = 0;  // encoded block bytes
};

// Retention view of one stream.
struct StreamRetentionStatus {
  Labels labels;
  int64_t period_ns = 0;         // 0 = kept forever
  int64_t cutoff_ns = 0;         // entries older than this are expired (INT64_MIN: none)
  // Lower bound of the oldest timestamp a query can still return, from block bounds clamped
  // to the cutoff (0 when nothing is inside retention).
  int64_t oldest_kept_ns = 0;
  int64_t newest_ns = 0;
  uint64_t entries = 0;          // held (persisted + head), expired ones not yet removed included
  uint64_t bytes = 0;            // uncompressed line bytes, same scope as entries
  uint64_t expired_entries = 0;  // in blocks wholly past the cutoff, awaiting the next pass
  // When the oldest kept entry leaves retention (oldest_kept_ns + period_ns); 0 when the
  // stream is kept forever or holds nothing inside retention.
  int64_t next_expiry_ns = 0;
};

}  // namespace fenrir::storage
