#include "storage/wal_record.h"

#include <cstring>

#include "storage/coding.h"
#include "storage/keys.h"

namespace fenrir::storage {

WalRecordWriter::WalRecordWriter(std::string_view tenant) {
  body_.reserve(4096);
  body_.push_back(static_cast<char>(kWalRecordVersion));
  PutLengthPrefixed(&body_, tenant);
}

void WalRecordWriter::BeginStream(uint64_t id) {
  section_start_ = body_.size();
  section_count_ = 0;
  prev_ts_ = 0;
  PutFixed64(&body_, id);
  PutFixed32(&body_, 0);  // count, patched by EndStream
}

void WalRecordWriter::Add(int64_t ts, std::string_view line, const Labels& metadata) {
  PutVarint64(&body_, ZigZag(ts - prev_ts_));
  prev_ts_ = ts;
  PutLengthPrefixed(&body_, line);
  EncodeLabels(metadata, &body_);
  ++section_count_;
  ++total_;
}

void WalRecordWriter::EndStream() {
  if (section_count_ == 0) {
    body_.resize(section_start_);
    return;
  }
  std::memcpy(body_.data() + section_start_ + 8, &section_count_, 4);
}

Status ReadWalRecord(
    std::string_view record, std::string_view* tenant,
    const std::function<void(uint64_t, int64_t, std::string_view, const Labels&)>& fn) {
  if (record.empty() || static_cast<uint8_t>(record[0]) != kWalRecordVersion) {
    return Status::Corruption("wal: unknown record version");
  }
  record.remove_prefix(1);
  if (!GetLengthPrefixed(&record, tenant)) return Status::Corruption("wal: truncated tenant");
  Labels metadata;
  while (!record.empty()) {
    if (record.size() < 12) return Status::Corruption("wal: truncated section header");
    const uint64_t id = DecodeFixed64(record.data());
    const uint32_t count = DecodeFixed32(record.data() + 8);
    record.remove_prefix(12);
    int64_t ts = 0;
    for (uint32_t i = 0; i < count; ++i) {
      uint64_t delta;
      std::string_view line;
      if (!GetVarint64(&record, &delta) || !GetLengthPrefixed(&record, &line) ||
          !DecodeLabels(&record, &metadata)) {
        return Status::Corruption("wal: truncated entry");
      }
      ts += UnZigZag(delta);
      fn(id, ts, line, metadata);
    }
  }
  return Status::OK();
}

}  // namespace fenrir::storage
