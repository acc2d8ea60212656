#pragma once
// The open (not yet persisted) block of one stream: entries in arrival order, a duplicate
// filter on (timestamp, line), and the bookkeeping the cutter needs.
// Thread-compatible: the owning Stream's mutex guards it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/block_codec.h"
#include "storage/labels.h"
#include "storage/line_arena.h"

namespace fenrir::storage {

class StreamHead {
 public:
  // Appends an entry unless one equal in (timestamp, line) is already held; false if dropped.
  bool Append(int64_t ts, std::string_view line, const Labels& metadata);

  // Position to roll back to when a WAL write fails.
  size_t Mark() const { return entries_.size(); }
  // Drops every entry appended since `mark` (their line bytes stay allocated until Clear()).
  void Rollback(size_t mark);

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  uint64_t raw_bytes() const { return raw_bytes_; }
  // Bytes of memory the head holds (allocated capacity of lines, entries, duplicate filter and
  // metadata), for the head memory budget (StoreOptions::head_max_bytes).
  uint64_t memory_bytes() const {
    return arena_.capacity() + entries_.capacity() * sizeof(Entry) +
           slots_.capacity() * sizeof(Slot) + metadata_.capacity() * sizeof(Labels) +
           metadata_bytes_;
  }
  int64_t min_ts() const { return min_ts_; }
  int64_t max_ts() const { return max_ts_; }

  // Entries sorted by (timestamp, arrival), viewing into the head. Valid until the next mutation.
  std::vector<BlockEntryRef> Sorted() const;
  // Copy of entries with from <= ts < through, sorted by (timestamp, arrival).
  std::shared_ptr<DecodedBlock> Snapshot(int64_t from, int64_t through) const;

  void Clear();

 private:
  struct Entry {
    int64_t ts;
    const char* line;  // in arena_
    uint32_t length;
    uint32_t metadata;  // 0: none, else index + 1 into metadata_
  };
  static std::string_view LineOf(const Entry& e) { return {e.line, e.length}; }
  static uint32_t KeyOf(int64_t ts, std::string_view line);
  // Indices of entries sorted by (timestamp, arrival).
  std::vector<uint32_t> Order() const;
  void RecomputeRange();

  std::vector<Entry> entries_;
  LineArena arena_;
  std::vector<Labels> metadata_;
  uint64_t metadata_bytes_ = 0;  // label bytes of metadata_ (approximate heap use)
  // Duplicate filter: an open-addressing table of (ts, line) hash -> first entry index + 1,
  // holding entries [0, indexed_). Built lazily: an entry newer than every held one cannot be
  // a duplicate, so in-order pushes never hash.
  struct Slot {
    uint32_t key;             // 32-bit fold of the (ts, line) hash; also picks the position
    uint32_t index_plus_one;  // 0: empty slot
  };
  // Indexes entries [indexed_, size()), growing the table as needed.
  void IndexPending();
  // Index of the first indexed entry whose key is `key`, or -1 (the caller compares the entry:
  // different entries may share a key).
  int64_t FindKey(uint32_t key) const;
  void InsertKey(uint32_t key, uint32_t index);
  std::vector<Slot> slots_;
  size_t slots_used_ = 0;
  size_t indexed_ = 0;
  uint64_t raw_bytes_ = 0;
  int64_t min_ts_ = 0;
  int64_t max_ts_ = 0;
  bool sorted_ = true;  // entries_ already in timestamp order
};

}  // namespace fenrir::storage
