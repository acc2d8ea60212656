// Block format version 1 (storage/FORMAT.md, "Block version 1"): delta timestamps, then one
// zstd frame of line lengths and lines. Written only by tests now; data directories from
// before version 2 hold it.

#include <cstring>

#include "storage/block_codec.h"
#include "storage/block_internal.h"
#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/trigram_filter.h"

namespace fenrir::storage {

using namespace block_internal;  // NOLINT: shared helpers of the codec

void EncodeBlockV1(const std::vector<BlockEntryRef>& entries, int zstd_level, std::string* out,
                   BlockInfo* info) {
  out->clear();
  bool has_meta = false;
  uint64_t raw_bytes = 0;
  for (const auto& e : entries) {
    raw_bytes += e.line.size();
    if (e.metadata && !e.metadata->empty()) has_meta = true;
  }
  std::string ts_col, lines_raw, meta_raw;
  int64_t min_ts = entries.front().timestamp_ns, max_ts = entries.back().timestamp_ns;
  int64_t prev = min_ts;
  for (const auto& e : entries) {
    PutVarint64(&ts_col, static_cast<uint64_t>(e.timestamp_ns - prev));
    prev = e.timestamp_ns;
    PutVarint64(&lines_raw, e.line.size());
  }
  for (const auto& e : entries) lines_raw.append(e.line);
  if (has_meta) {
    static const Labels kEmpty;
    for (const auto& e : entries) EncodeLabels(e.metadata ? *e.metadata : kEmpty, &meta_raw);
  }
  out->resize(kBlockHeaderSize);
  out->append(ts_col);
  uint32_t lines_len = AppendCompressed(lines_raw, zstd_level, out);
  uint32_t meta_len = has_meta ? AppendCompressed(meta_raw, zstd_level, out) : 0;
  size_t filter_start = out->size();
  {
    TrigramFilterBuilder filter;
    for (const auto& e : entries) filter.AddLine(e.line);
    filter.Finish(out);
  }
  uint32_t sections[4] = {static_cast<uint32_t>(ts_col.size()), lines_len, meta_len,
                          static_cast<uint32_t>(out->size() - filter_start)};
  std::memcpy(out->data() + kOffSections, sections, 16);
  BlockInfo got;
  got.entries = static_cast<uint32_t>(entries.size());
  got.min_ts = min_ts;
  got.max_ts = max_ts;
  got.raw_bytes = raw_bytes;
  got.compressed_bytes = out->size();
  FinishHeader(kBlockVersion1, (has_meta ? kFlagMetadata : 0) | kFlagFilter, got, out);
  if (info) *info = got;
}

Status DecodeBlockV1(std::string_view data, DecodedBlock* out) {
  BlockInfo info;
  FENRIR_RETURN_IF_ERROR(PeekBlockInfo(data, &info));
  if (Checksum(data) != DecodeFixed64(data.data() + kOffChecksum)) {
    return Status::Corruption("block: checksum mismatch");
  }
  std::string_view sec[4];
  FENRIR_RETURN_IF_ERROR(SplitSections(data, kBlockHeaderSize, 4, sec));
  const uint8_t flags = static_cast<uint8_t>(data[kOffFlags]);
  if (flags & ~(kFlagMetadata | kFlagFilter)) return Status::Corruption("block: unknown flags");
  const size_t n = info.entries;
  std::string_view ts_col = sec[0];

  // Every entry takes at least one byte of the timestamp column: bound the header's count by it
  // before sizing anything.
  if (n > ts_col.size()) return Status::Corruption("block: truncated timestamps");
  out->info_ = info;
  out->pages_.clear();
  out->frames_.clear();
  out->paged_lines_.reset();
  out->paged_capacity_ = 0;
  out->timestamps_.resize(n);
  if (n > 0 && info.min_ts > info.max_ts) return Status::Corruption("block: min_ts > max_ts");
  int64_t ts = info.min_ts;
  for (size_t i = 0; i < n; ++i) {
    uint64_t d;
    if (!GetVarint64(&ts_col, &d)) return Status::Corruption("block: truncated timestamps");
    // Deltas never pass max_ts; checking before adding keeps the sum from overflowing.
    if (d > static_cast<uint64_t>(info.max_ts) - static_cast<uint64_t>(ts)) {
      return Status::Corruption("block: timestamps disagree");
    }
    ts = static_cast<int64_t>(static_cast<uint64_t>(ts) + d);
    out->timestamps_[i] = ts;
  }
  if (n > 0 && ts != info.max_ts) return Status::Corruption("block: timestamps disagree");

  std::string raw;
  // The frame holds a uvarint64 (at most 10 bytes) per entry, then raw_bytes of lines.
  FENRIR_RETURN_IF_ERROR(Decompress(sec[1], info.raw_bytes + 10 * uint64_t{n}, &raw));
  // The length column comes first; offsets then point into the decompressed buffer.
  std::string_view in(raw);
  out->offsets_.resize(n + 1);
  uint64_t sum_len = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t len;
    if (!GetVarint64(&in, &len)) return Status::Corruption("block: truncated line lengths");
    out->offsets_[i] = static_cast<uint32_t>(sum_len);
    sum_len += len;
  }
  if (sum_len != in.size() || sum_len != info.raw_bytes) {
    return Status::Corruption("block: line bytes disagree");
  }
  // Keep only the line bytes so offsets are the same as a version 2 block's.
  raw.erase(0, raw.size() - in.size());
  out->offsets_[n] = static_cast<uint32_t>(raw.size());
  out->lines_ = std::move(raw);

  out->metadata_.clear();
  if (flags & kFlagMetadata) {
    FENRIR_RETURN_IF_ERROR(DecodeMetadataColumn(sec[2], n, &out->metadata_));
  }
  return Status::OK();
}

}  // namespace fenrir::storage
