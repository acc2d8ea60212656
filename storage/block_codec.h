#pragma once
// Encoder and decoder of one block: the entries of one stream in one UTC day, sorted by
// (timestamp, arrival). Layout: storage/FORMAT.md, "Block". Thread-safe (no shared state).
// Blocks are written in version 2 (columns of timestamps and line lengths, lines in separately
// compressed pages); version 1 blocks (older data directories) still decode.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::storage {

constexpr uint32_t kBlockMagic = 0x42524e46;  // "FNRB" little-endian
constexpr uint8_t kBlockVersion1 = 1;
constexpr uint8_t kBlockVersion2 = 2;
constexpr uint8_t kBlockVersion = kBlockVersion2;  // the version EncodeBlock writes
constexpr size_t kBlockHeaderSize = 56;            // version 1; the shortest header
constexpr size_t kBlockHeaderSizeV2 = 64;

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

struct BlockEncodeOptions {
  int zstd_level = 1;               // lines and metadata frames
  // Raw line bytes per page (a longer line is a page alone). The first and the last page hold
  // edge_page_bytes (0: like the others): limit queries read from a block's ends, scans read
  // it whole, and bigger pages compress better and decode faster.
  size_t page_bytes = 1 << 20;
  size_t edge_page_bytes = 64 << 10;
  int filter_bits_per_trigram = 10;  // 0: no trigram filter
  // Smaller blocks get no filter: it would take about as much space as their lines, and reading
  // them whole is cheap.
  size_t filter_min_raw_bytes = 32 << 10;
};

// Encodes entries into *out (cleared first) in version 2.
// REQUIRES: !entries.empty(), entries sorted by timestamp (ties in arrival order).
void EncodeBlock(const std::vector<BlockEntryRef>& entries, const BlockEncodeOptions& options,
                 std::string* out, BlockInfo* info);
// The same with default options but the given zstd level (1..3).
void EncodeBlock(const std::vector<BlockEntryRef>& entries, int zstd_level, std::string* out,
                 BlockInfo* info);
// Version 1 (one frame of lengths and lines, delta timestamps): kept to test that old data
// directories stay readable.
void EncodeBlockV1(const std::vector<BlockEntryRef>& entries, int zstd_level, std::string* out,
                   BlockInfo* info);

// A decoded block (or a copy of head entries): columns of entries sorted by timestamp.
// Line(i) views into the block's own buffer. A block decoded with lazy lines holds its
// timestamps, line sizes and metadata, and decompresses the page of lines holding an entry
// only on LoadLines: Line(i) needs LinesReady(i). Thread-compatible; LoadLines mutates, so a
// shared block must have its lines loaded (head snapshots always have).
class DecodedBlock {
 public:
  DecodedBlock() = default;
  // Hands its page buffer to the next block this thread decodes (no fresh pages to fault in).
  ~DecodedBlock();
  DecodedBlock(DecodedBlock&&) = default;
  DecodedBlock& operator=(DecodedBlock&&) = default;

  // Appends one entry; used to build head snapshots. REQUIRES: timestamps non-decreasing.
  void Append(int64_t ts, std::string_view line, const Labels& metadata);
  void Reserve(size_t entries, size_t bytes);

  size_t size() const { return timestamps_.size(); }
  int64_t Timestamp(size_t i) const { return timestamps_[i]; }
  // REQUIRES: LinesReady(i)
  std::string_view Line(size_t i) const {
    const char* base = paged_lines_ ? paged_lines_.get() : lines_.data();
    return std::string_view(base + offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  size_t LineSize(size_t i) const { return offsets_[i + 1] - offsets_[i]; }
  bool LinesReady(size_t i) const { return pages_.empty() || pages_[PageOf(i)].loaded; }
  // Decompresses the page holding entry i (Corruption when it disagrees with the block).
  Status LoadLines(size_t i);
  size_t pages() const { return pages_.empty() ? 1 : pages_.size(); }
  // Entries [*first, *end) share entry i's page.
  void PageRange(size_t i, size_t* first, size_t* end) const;
  // Empty labels when the block has no structured metadata.
  const Labels& Metadata(size_t i) const { return metadata_.empty() ? kNone : metadata_[i]; }
  const BlockInfo& info() const { return info_; }

 private:
  friend Status DecodeBlockV1(std::string_view data, DecodedBlock* out);
  friend Status DecodeBlockV2(std::string_view data, bool lazy_lines, DecodedBlock* out);
  struct Page {
    uint32_t first_entry;
    uint32_t frame_offset;  // in frames_
    uint32_t frame_size;
    bool loaded;
  };
  size_t PageOf(size_t i) const;
  Status LoadPage(size_t page, std::string_view frames);
  static const Labels kNone;
  BlockInfo info_;
  std::vector<int64_t> timestamps_;
  std::string lines_;              // line bytes of head snapshots and version 1 blocks
  // Version 2: raw_bytes, allocated uninitialized when the first page loads, so a reader that
  // loads one page touches (and the kernel zeroes) only that page's memory.
  std::unique_ptr<char[]> paged_lines_;
  size_t paged_capacity_ = 0;
  std::vector<uint32_t> offsets_;  // size()+1 entries: line i is at [offsets_[i], [i+1])
  std::vector<Labels> metadata_;   // empty or size() entries
  std::string frames_;             // lazy lines: the block's compressed pages
  std::vector<Page> pages_;        // empty: every line is in lines_
};

// Verifies the checksum and decodes every section. Corruption on any mismatch or malformed
// section. With lazy_lines, lines of a version 2 block stay compressed until LoadLines.
Status DecodeBlock(std::string_view data, DecodedBlock* out, bool lazy_lines = false);
Status DecodeBlockV1(std::string_view data, DecodedBlock* out);
Status DecodeBlockV2(std::string_view data, bool lazy_lines, DecodedBlock* out);

// Verifies the block like DecodeBlock but decompresses nothing; *may_contain is false only
// when the block's trigram filter proves some literal absent from all its lines.
Status BlockMayContainAll(std::string_view data, const std::vector<std::string>& literals,
                          bool* may_contain);

// Reads and checks only the header (magic, version, checksum not verified).
Status PeekBlockInfo(std::string_view data, BlockInfo* info);

}  // namespace fenrir::storage
