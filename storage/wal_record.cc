#include "storage/wal_record.h"

#include <cstring>

#include "storage/coding.h"
#include "storage/keys.h"

namespace fenrir::storage {

WalRecordWriter::WalRecordWriter() {
  body_.reserve(256);
  body_.push_back(static_cast<char>(kWalRecordVersion));
  PutFixed32(&body_, 0);  // count, patched by Finish
}

void WalRecordWriter::Add(int64_t ts, std::string_view line, const Labels& metadata) {
  PutVarint64(&body_, ZigZag(ts - prev_ts_));
  prev_ts_ = ts;
  PutLengthPrefixed(&body_, line);
  EncodeLabels(metadata, &body_);
  ++count_;
}

std::string WalRecordWriter::Finish() {
  auto n = static_cast<uint32_t>(count_);
  std::memcpy(body_.data() + 1, &n, 4);
  return std::move(body_);
}

Status ReadWalRecord(std::string_view record,
                     const std::function<void(int64_t, std::string_view, const Labels&)>& fn) {
  if (record.empty() || static_cast<uint8_t>(record[0]) != kWalRecordVersion) {
    return Status::Corruption("wal: unknown record version");
  }
  record.remove_prefix(1);
  if (record.size() < 4) return Status::Corruption("wal: truncated count");
  uint64_t count = DecodeFixed32(record.data());
  record.remove_prefix(4);
  int64_t ts = 0;
  Labels metadata;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t delta;
    std::string_view line;
    if (!GetVarint64(&record, &delta) || !GetLengthPrefixed(&record, &line) ||
        !DecodeLabels(&record, &metadata)) {
      return Status::Corruption("wal: truncated entry");
    }
    ts += UnZigZag(delta);
    fn(ts, line, metadata);
  }
  if (!record.empty()) return Status::Corruption("wal: trailing bytes");
  return Status::OK();
}

}  // namespace fenrir::storage
