#pragma once
// Encoder and decoder of one block: the entries of one stream in one UTC day, sorted by
// (timestamp, arrival). Layout: storage/FORMAT.md, "Block". Thread-safe (no shared state).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/labels.h"
#include "storage/status.h"

namespace fenrir::storage {

constexpr uint32_t kBlockMagic = 0x42524e46;  // "FNRB" little-endian
constexpr uint8_t kBlockVersion = 1;
constexpr size_t kBlockHeaderSize = 56;

struct BlockEntryRef {
  int64_t timestamp_ns;
  std::string_view line;
  const Labels* metadata;  // nullptr or empty: none
};

// Summary of a block, also stored in the index so reads can plan without the block.
struct BlockInfo {
  uint32_t entries = 0;
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  uint64_t raw_bytes = 0;         // sum of line lengths
  uint64_t compressed_bytes = 0;  // size of the encoded block
};

// The index value of a block (storage/FORMAT.md, "Block metadata"): 36 bytes,
// min_ts i64 | max_ts i64 | entries u32 | raw_bytes u64 | compressed_bytes u64, little-endian.
constexpr size_t kBlockInfoSize = 36;
void EncodeBlockInfo(const BlockInfo& info, std::string* dst);
Status DecodeBlockInfo(std::string_view in, BlockInfo* info);

// Encodes entries into *out (cleared first). zstd_level is 1..3.
// REQUIRES: !entries.empty(), entries sorted by timestamp (ties in arrival order).
void EncodeBlock(const std::vector<BlockEntryRef>& entries, int zstd_level, std::string* out,
                 BlockInfo* info);

// A decoded block (or a copy of head entries): columns of entries sorted by timestamp.
// Line(i) views into the block's own buffer. Thread-compatible; immutable once shared.
class DecodedBlock {
 public:
  // Appends one entry; used to build head snapshots. REQUIRES: timestamps non-decreasing.
  void Append(int64_t ts, std::string_view line, const Labels& metadata);
  void Reserve(size_t entries, size_t bytes);

  size_t size() const { return timestamps_.size(); }
  int64_t Timestamp(size_t i) const { return timestamps_[i]; }
  std::string_view Line(size_t i) const {
    return std::string_view(lines_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  // Empty labels when the block has no structured metadata.
  const Labels& Metadata(size_t i) const { return metadata_.empty() ? kNone : metadata_[i]; }
  const BlockInfo& info() const { return info_; }

 private:
  friend Status DecodeBlock(std::string_view data, DecodedBlock* out);
  static const Labels kNone;
  BlockInfo info_;
  std::vector<int64_t> timestamps_;
  std::string lines_;
  std::vector<uint32_t> offsets_;  // size()+1 entries
  std::vector<Labels> metadata_;   // empty or size() entries
};

// Verifies the checksum and decodes. Corruption on any mismatch or malformed section.
Status DecodeBlock(std::string_view data, DecodedBlock* out);

// Verifies the block like DecodeBlock but decompresses nothing; *may_contain is false only
// when the block's trigram filter proves some literal absent from all its lines.
Status BlockMayContainAll(std::string_view data, const std::vector<std::string>& literals,
                          bool* may_contain);

// Reads and checks only the header (magic, version, checksum not verified).
Status PeekBlockInfo(std::string_view data, BlockInfo* info);

}  // namespace fenrir::storage
