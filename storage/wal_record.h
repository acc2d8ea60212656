#pragma once
// The WAL record of one stream in one push: the entries the head accepted, in arrival order.
// Layout (storage/FORMAT.md, "WAL record"):
//   version u8 = 1 | count u32 LE | count x (zigzag ts delta varint, line len-prefixed, labels)
// RocksDB's own WAL checksums the record; the codec still rejects malformed input.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "storage/labels.h"
#include "storage/status.h"

namespace fenrir::storage {

constexpr uint8_t kWalRecordVersion = 1;

// Builds one record. Thread-compatible.
class WalRecordWriter {
 public:
  WalRecordWriter();
  void Add(int64_t ts, std::string_view line, const Labels& metadata);
  size_t count() const { return count_; }
  // The finished record. REQUIRES: count() > 0.
  std::string Finish();

 private:
  std::string body_;
  size_t count_ = 0;
  int64_t prev_ts_ = 0;
};

// Calls fn for every entry of the record; Corruption when malformed.
Status ReadWalRecord(std::string_view record,
                     const std::function<void(int64_t, std::string_view, const Labels&)>& fn);

}  // namespace fenrir::storage
