#pragma once
// The WAL record of one push: the entries each stream's head accepted, in arrival order.
// Layout (storage/FORMAT.md, "WAL record"):
//   version u8 = 2 | tenant len-prefixed | sections until the end, each
//   series id u64 LE | count u32 LE | count x (zigzag ts delta varint, line len-prefixed, labels)
// A stream may own several sections of one record (a push may repeat a label set); replay
// applies them in order. The WAL log (storage/wal_log.h) checksums the record; the codec
// still rejects malformed input.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::storage {

constexpr uint8_t kWalRecordVersion = 2;

// Builds one record. Thread-compatible.
class WalRecordWriter {
 public:
  explicit WalRecordWriter(std::string_view tenant);
  // Starts the section of a stream; Add appends to it until EndStream.
  void BeginStream(uint64_t id);
  void Add(int64_t ts, std::string_view line, const Labels& metadata);
  // Closes the section (dropping it when it holds no entry).
  void EndStream();
  // Entries in the record.
  size_t count() const { return total_; }
  // The finished record. REQUIRES: no open section.
  std::string_view Finish() const { return body_; }

 private:
  std::string body_;
  size_t section_start_ = 0;
  uint32_t section_count_ = 0;
  size_t total_ = 0;
  int64_t prev_ts_ = 0;
};

// Calls fn(series id, ts, line, metadata) for every entry of the record in order, after
// setting *tenant; Corruption when malformed.
Status ReadWalRecord(
    std::string_view record, std::string_view* tenant,
    const std::function<void(uint64_t, int64_t, std::string_view, const Labels&)>& fn);

}  // namespace fenrir::storage
