#include "storage/block_codec.h"

#include <xxhash.h>
#include <zstd.h>

#include <cstring>
#include <memory>

#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/trigram_filter.h"

namespace fenrir::storage {

const Labels DecodedBlock::kNone;

void DecodedBlock::Reserve(size_t entries, size_t bytes) {
  timestamps_.reserve(entries);
  offsets_.reserve(entries + 1);
  lines_.reserve(bytes);
}

void DecodedBlock::Append(int64_t ts, std::string_view line, const Labels& metadata) {
  if (offsets_.empty()) offsets_.push_back(0);
  if (!metadata.empty() && metadata_.size() < timestamps_.size()) {
    metadata_.resize(timestamps_.size());
  }
  timestamps_.push_back(ts);
  lines_.append(line);
  offsets_.push_back(static_cast<uint32_t>(lines_.size()));
  if (!metadata_.empty() || !metadata.empty()) metadata_.push_back(metadata);
  if (info_.entries == 0) info_.min_ts = ts;
  info_.max_ts = ts;
  ++info_.entries;
  info_.raw_bytes += line.size();
}

namespace {

constexpr uint8_t kFlagMetadata = 1;
constexpr uint8_t kFlagFilter = 2;
constexpr uint8_t kKnownFlags = kFlagMetadata | kFlagFilter;

// Offsets inside the fixed header.
constexpr size_t kOffVersion = 4;
constexpr size_t kOffFlags = 5;
constexpr size_t kOffChecksum = 8;
constexpr size_t kOffEntries = 16;
constexpr size_t kOffRawBytes = 20;
constexpr size_t kOffMinTs = 24;
constexpr size_t kOffMaxTs = 32;
constexpr size_t kOffSections = 40;  // 4 x u32: ts, lines, metadata, filter lengths

// Covers every byte but the checksum field: the first 8 bytes seed the hash of the rest.
uint64_t Checksum(std::string_view block) {
  return XXH3_64bits_withSeed(block.data() + kOffEntries, block.size() - kOffEntries,
                              DecodeFixed64(block.data()));
}

ZSTD_CCtx* ThreadCCtx() {
  thread_local std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> ctx(ZSTD_createCCtx(),
                                                                        ZSTD_freeCCtx);
  return ctx.get();
}

ZSTD_DCtx* ThreadDCtx() {
  thread_local std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(),
                                                                        ZSTD_freeDCtx);
  return ctx.get();
}

// Appends a zstd frame of `raw` to *out and returns its size.
uint32_t AppendCompressed(std::string_view raw, int level, std::string* out) {
  size_t start = out->size();
  size_t bound = ZSTD_compressBound(raw.size());
  out->resize(start + bound);
  size_t n = ZSTD_compressCCtx(ThreadCCtx(), out->data() + start, bound, raw.data(), raw.size(),
                               level);
  // Compression into a buffer of ZSTD_compressBound cannot fail.
  if (ZSTD_isError(n)) n = 0;
  out->resize(start + n);
  return static_cast<uint32_t>(n);
}

// Decompresses the zstd frame in `frame` into *out. Nothing in the frame is trusted: the content
// size its header declares must fit both `max_size` (what the block header allows) and what
// `frame` can hold at all: every zstd block has a 3-byte header and yields at most 128 KiB, so a
// small corrupt frame cannot make us allocate gigabytes (ZSTD_decompressBound would trust the
// declared size).
Status Decompress(std::string_view frame, uint64_t max_size, std::string* out) {
  unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 32)) {
    return Status::Corruption("block: bad zstd frame header");
  }
  const uint64_t frame_bound = (frame.size() / 3) * uint64_t{ZSTD_BLOCKSIZE_MAX};
  if (size > frame_bound || size > max_size) {
    return Status::Corruption("block: zstd frame size disagrees with the block");
  }
  out->resize(size);
  size_t n = ZSTD_decompressDCtx(ThreadDCtx(), out->data(), size, frame.data(), frame.size());
  if (ZSTD_isError(n) || n != size) return Status::Corruption("block: zstd decompression failed");
  return Status::OK();
}

}  // namespace

void EncodeBlockInfo(const BlockInfo& info, std::string* dst) {
  PutFixed64(dst, static_cast<uint64_t>(info.min_ts));
  PutFixed64(dst, static_cast<uint64_t>(info.max_ts));
  PutFixed32(dst, info.entries);
  PutFixed64(dst, info.raw_bytes);
  PutFixed64(dst, info.compressed_bytes);
}

Status DecodeBlockInfo(std::string_view in, BlockInfo* info) {
  if (in.size() != kBlockInfoSize) return Status::Corruption("index: bad block metadata size");
  const char* p = in.data();
  info->min_ts = static_cast<int64_t>(DecodeFixed64(p));
  info->max_ts = static_cast<int64_t>(DecodeFixed64(p + 8));
  info->entries = DecodeFixed32(p + 16);
  info->raw_bytes = DecodeFixed64(p + 20);
  info->compressed_bytes = DecodeFixed64(p + 28);
  if (info->min_ts > info->max_ts) return Status::Corruption("index: block min_ts > max_ts");
  return Status::OK();
}

void EncodeBlock(const std::vector<BlockEntryRef>& entries, int zstd_level, std::string* out,
                 BlockInfo* info) {
  out->clear();
  bool has_meta = false;
  uint64_t raw_bytes = 0;
  for (const auto& e : entries) {
    raw_bytes += e.line.size();
    if (e.metadata && !e.metadata->empty()) has_meta = true;
  }
  std::string ts_col, lines_raw, meta_raw;
  ts_col.reserve(entries.size() * 2);
  lines_raw.reserve(raw_bytes + entries.size() * 2);
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
  auto filter_len = static_cast<uint32_t>(out->size() - filter_start);

  char* h = out->data();
  uint32_t magic = kBlockMagic;
  std::memcpy(h, &magic, 4);
  h[kOffVersion] = static_cast<char>(kBlockVersion);
  h[kOffFlags] = static_cast<char>((has_meta ? kFlagMetadata : 0) | kFlagFilter);
  h[6] = h[7] = 0;
  uint32_t n = static_cast<uint32_t>(entries.size());
  uint32_t raw32 = static_cast<uint32_t>(raw_bytes);
  uint32_t sections[4] = {static_cast<uint32_t>(ts_col.size()), lines_len, meta_len, filter_len};
  std::memcpy(h + kOffEntries, &n, 4);
  std::memcpy(h + kOffRawBytes, &raw32, 4);
  std::memcpy(h + kOffMinTs, &min_ts, 8);
  std::memcpy(h + kOffMaxTs, &max_ts, 8);
  std::memcpy(h + kOffSections, sections, 16);
  uint64_t sum = Checksum(*out);
  std::memcpy(h + kOffChecksum, &sum, 8);

  if (info) {
    info->entries = n;
    info->min_ts = min_ts;
    info->max_ts = max_ts;
    info->raw_bytes = raw_bytes;
    info->compressed_bytes = out->size();
  }
}

Status PeekBlockInfo(std::string_view data, BlockInfo* info) {
  if (data.size() < kBlockHeaderSize) return Status::Corruption("block: truncated header");
  if (DecodeFixed32(data.data()) != kBlockMagic) return Status::Corruption("block: bad magic");
  if (static_cast<uint8_t>(data[kOffVersion]) != kBlockVersion) {
    return Status::Corruption("block: unknown version " +
                              std::to_string(static_cast<uint8_t>(data[kOffVersion])));
  }
  info->entries = DecodeFixed32(data.data() + kOffEntries);
  info->raw_bytes = DecodeFixed32(data.data() + kOffRawBytes);
  info->min_ts = static_cast<int64_t>(DecodeFixed64(data.data() + kOffMinTs));
  info->max_ts = static_cast<int64_t>(DecodeFixed64(data.data() + kOffMaxTs));
  info->compressed_bytes = data.size();
  return Status::OK();
}

namespace {

// The verified parts of an encoded block.
struct Sections {
  BlockInfo info;
  uint8_t flags = 0;
  std::string_view timestamps, lines, metadata, filter;
};

Status ParseSections(std::string_view data, Sections* out) {
  FENRIR_RETURN_IF_ERROR(PeekBlockInfo(data, &out->info));
  if (Checksum(data) != DecodeFixed64(data.data() + kOffChecksum)) {
    return Status::Corruption("block: checksum mismatch");
  }
  uint64_t len[4];
  uint64_t total = kBlockHeaderSize;
  for (int i = 0; i < 4; ++i) {
    len[i] = DecodeFixed32(data.data() + kOffSections + 4 * i);
    total += len[i];
  }
  if (total != data.size()) return Status::Corruption("block: section sizes disagree");
  out->flags = static_cast<uint8_t>(data[kOffFlags]);
  if (out->flags & ~kKnownFlags) return Status::Corruption("block: unknown flags");
  std::string_view rest = data.substr(kBlockHeaderSize);
  std::string_view* parts[4] = {&out->timestamps, &out->lines, &out->metadata, &out->filter};
  for (int i = 0; i < 4; ++i) {
    *parts[i] = rest.substr(0, len[i]);
    rest.remove_prefix(len[i]);
  }
  return Status::OK();
}

}  // namespace

Status BlockMayContainAll(std::string_view data, const std::vector<std::string>& literals,
                          bool* may_contain) {
  Sections sec;
  FENRIR_RETURN_IF_ERROR(ParseSections(data, &sec));
  *may_contain = !(sec.flags & kFlagFilter) || TrigramFilterMayContainAll(sec.filter, literals);
  return Status::OK();
}

Status DecodeBlock(std::string_view data, DecodedBlock* out) {
  Sections sec;
  FENRIR_RETURN_IF_ERROR(ParseSections(data, &sec));
  const BlockInfo& info = sec.info;
  const uint8_t flags = sec.flags;
  const size_t n = info.entries;
  std::string_view ts_col = sec.timestamps;
  std::string_view lines_frame = sec.lines;
  std::string_view meta_frame = sec.metadata;

  // Every entry takes at least one byte of the timestamp column: bound the header's count by it
  // before sizing anything.
  if (n > ts_col.size()) return Status::Corruption("block: truncated timestamps");
  out->info_ = info;
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
  FENRIR_RETURN_IF_ERROR(Decompress(lines_frame, info.raw_bytes + 10 * uint64_t{n}, &raw));
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
  uint32_t base = static_cast<uint32_t>(raw.size() - in.size());
  for (size_t i = 0; i < n; ++i) out->offsets_[i] += base;
  out->offsets_[n] = static_cast<uint32_t>(raw.size());
  out->lines_ = std::move(raw);

  out->metadata_.clear();
  if (flags & kFlagMetadata) {
    std::string meta_raw;
    FENRIR_RETURN_IF_ERROR(Decompress(meta_frame, UINT64_MAX, &meta_raw));
    std::string_view m(meta_raw);
    out->metadata_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      if (!DecodeLabels(&m, &out->metadata_[i])) {
        return Status::Corruption("block: malformed structured metadata");
      }
    }
  }
  return Status::OK();
}

}  // namespace fenrir::storage
