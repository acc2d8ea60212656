#pragma once
// Refuses pushes before the data directory's file system runs out of space. RocksDB does not
// recover cleanly from ENOSPC inside its write-ahead log (a later write to the failed log file
// aborts the process in builds with assertions), so Fenrir stops accepting writes while a
// reserve is still free: the push fails with a clean 500 and every acknowledged entry stays
// readable; once space is freed, pushes succeed again without a restart. Thread-safe.

#include <cstdint>
#include <string>

#include "base/status.h"

namespace fenrir::server {

class DiskGuard {
 public:
  // reserve_bytes: free space kept back, capped at a tenth of the file system's size (so tiny
  // volumes stay usable). 0 disables the guard.
  DiskGuard(std::string dir, uint64_t reserve_bytes);

  // OK when at least the reserve plus `incoming_bytes` is free (statvfs on the directory);
  // IOError naming the free space otherwise. A failed statvfs never blocks writes.
  Status Check(uint64_t incoming_bytes) const;

 private:
  const std::string dir_;
  const uint64_t reserve_bytes_;
};

// How many bytes a push of `payload_bytes` (lines and labels) may write to disk before its
// data is compacted: the store's log record, the index and the block cut.
inline constexpr uint64_t kPushWriteAmplification = 3;

}  // namespace fenrir::server
