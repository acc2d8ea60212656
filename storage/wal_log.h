#pragma once
// The head's write-ahead log: append-only segment files in <data dir>/wal (storage/FORMAT.md,
// "WAL log"). Each push appends one record (storage/wal_record.h) with one write(2), so an
// acknowledged push survives kill -9; with `sync` the segment is fdatasync'ed before Append
// returns, concurrent appenders sharing one sync (group commit). Segments holding only records
// that no head needs any more are deleted whole (Truncate). Thread-safe.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace fenrir::storage {

class WalLog {
 public:
  // Opens (creating) the directory and lists its segments; Replay, then StartWriting.
  static Result<std::unique_ptr<WalLog>> Open(const std::string& dir, bool sync);
  ~WalLog();

  // Calls fn(seq, record) for every record of every segment in seq order. A torn record at
  // the end of the last segment (a write cut short by a crash) is truncated away; any other
  // damage is Corruption. Sets max_seq() to the highest seq seen (0: none).
  Status Replay(const std::function<Status(uint64_t seq, std::string_view record)>& fn);
  uint64_t max_seq() const { return max_seq_; }

  // Starts a new segment; the next record gets `next_seq`.
  Status StartWriting(uint64_t next_seq);

  // Appends one record and returns its seq (seqs increase in file order). On error nothing
  // of the record remains.
  Result<uint64_t> Append(std::string_view record);

  // The seq the next Append will get.
  uint64_t next_seq() const { return next_seq_.load(std::memory_order_acquire); }

  // Deletes every segment whose records all have seq < low (never the one being written).
  Status Truncate(uint64_t low);

  // Bytes of all segment files.
  uint64_t disk_bytes() const;

  static constexpr uint64_t kSegmentBytes = 64 << 20;  // a new segment past this size

 private:
  WalLog(std::string dir, bool sync) : dir_(std::move(dir)), sync_(sync) {}
  struct Segment {
    uint64_t first_seq;
    std::string path;
  };
  std::string PathOf(uint64_t first_seq) const;
  // Opens a new segment starting at next_seq_. REQUIRES: mu_ held.
  Status OpenSegment();
  // Closes a full segment (synced first when sync_) and opens the next.
  Status Rotate();

  const std::string dir_;
  const bool sync_;
  uint64_t max_seq_ = 0;

  // Lock order: sync_mu_ before mu_.
  std::mutex mu_;                  // guards segments_, fd_, offset_ and appends
  std::vector<Segment> segments_;  // sorted by first_seq; the last is being written
  int fd_ = -1;
  uint64_t offset_ = 0;  // size of the segment being written
  std::atomic<uint64_t> next_seq_{1};
  std::atomic<uint64_t> appended_{0};  // bytes appended since open, all segments

  std::mutex sync_mu_;  // one fdatasync at a time; guards synced_
  uint64_t synced_ = 0;  // appended_ value known durable
};

}  // namespace fenrir::storage
