#include "storage/block_codec.h"

#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "storage/block_internal.h"
#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/trigram_filter.h"

namespace fenrir::storage {

using namespace block_internal;  // NOLINT: this file implements them

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

// One spare page buffer per thread, reused by the next block whose lines fit it.
struct SpareBuffer {
  std::unique_ptr<char[]> data;
  size_t capacity = 0;
};
thread_local SpareBuffer spare_buffer;

}  // namespace

DecodedBlock::~DecodedBlock() {
  if (paged_lines_ && paged_capacity_ > spare_buffer.capacity && paged_capacity_ <= (4u << 20)) {
    spare_buffer.data = std::move(paged_lines_);
    spare_buffer.capacity = paged_capacity_;
  }
}

size_t DecodedBlock::PageOf(size_t i) const {
  // The last page whose first entry is <= i (pages_[0].first_entry == 0).
  auto it = std::upper_bound(pages_.begin(), pages_.end(), i,
                             [](size_t v, const Page& p) { return v < p.first_entry; });
  return static_cast<size_t>(it - pages_.begin()) - 1;
}

void DecodedBlock::PageRange(size_t i, size_t* first, size_t* end) const {
  if (pages_.empty()) {
    *first = 0;
    *end = size();
    return;
  }
  const size_t page = PageOf(i);
  *first = pages_[page].first_entry;
  *end = page + 1 == pages_.size() ? size() : pages_[page + 1].first_entry;
}

Status DecodedBlock::LoadLines(size_t i) {
  if (pages_.empty()) return Status::OK();
  const size_t page = PageOf(i);
  if (pages_[page].loaded) return Status::OK();
  return LoadPage(page, frames_);
}

Status DecodedBlock::LoadPage(size_t page, std::string_view frames) {
  Page& p = pages_[page];
  if (!paged_lines_) {
    if (spare_buffer.data && spare_buffer.capacity >= info_.raw_bytes) {
      paged_lines_ = std::move(spare_buffer.data);
      paged_capacity_ = spare_buffer.capacity;
      spare_buffer.capacity = 0;
    } else {
      paged_lines_.reset(new char[info_.raw_bytes]);
      paged_capacity_ = info_.raw_bytes;
    }
  }
  const size_t end_entry = page + 1 == pages_.size() ? size() : pages_[page + 1].first_entry;
  const size_t begin = offsets_[p.first_entry], raw = offsets_[end_entry] - begin;
  if (raw == 0) {
    if (p.frame_size != 0) return Status::Corruption("block: frame for a page of empty lines");
  } else {
    FENRIR_RETURN_IF_ERROR(
        DecompressExact(frames.substr(p.frame_offset, p.frame_size), paged_lines_.get() + begin,
                        raw));
  }
  p.loaded = true;
  return Status::OK();
}

namespace block_internal {

uint64_t Checksum(std::string_view block) {
  return XXH3_64bits_withSeed(block.data() + kOffEntries, block.size() - kOffEntries,
                              DecodeFixed64(block.data()));
}

void FinishHeader(uint8_t version, uint8_t flags, const BlockInfo& info, std::string* block) {
  char* h = block->data();
  uint32_t magic = kBlockMagic;
  std::memcpy(h, &magic, 4);
  h[kOffVersion] = static_cast<char>(version);
  h[kOffFlags] = static_cast<char>(flags);
  h[6] = h[7] = 0;
  uint32_t n = info.entries;
  uint32_t raw32 = static_cast<uint32_t>(info.raw_bytes);
  std::memcpy(h + kOffEntries, &n, 4);
  std::memcpy(h + kOffRawBytes, &raw32, 4);
  std::memcpy(h + kOffMinTs, &info.min_ts, 8);
  std::memcpy(h + kOffMaxTs, &info.max_ts, 8);
  uint64_t sum = Checksum(*block);
  std::memcpy(h + kOffChecksum, &sum, 8);
}

namespace {

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

}  // namespace

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

Status DecodeMetadataColumn(std::string_view frame, size_t n, std::vector<Labels>* out) {
  std::string raw;
  FENRIR_RETURN_IF_ERROR(Decompress(frame, UINT64_MAX, &raw));
  std::string_view m(raw);
  out->resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (!DecodeLabels(&m, &(*out)[i])) {
      return Status::Corruption("block: malformed structured metadata");
    }
  }
  return Status::OK();
}

Status DecompressExact(std::string_view frame, char* dst, size_t size) {
  unsigned long long declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (declared != size) return Status::Corruption("block: zstd frame size disagrees with the block");
  size_t n = ZSTD_decompressDCtx(ThreadDCtx(), dst, size, frame.data(), frame.size());
  if (ZSTD_isError(n) || n != size) return Status::Corruption("block: zstd decompression failed");
  return Status::OK();
}

Status SplitSections(std::string_view data, size_t header_size, int count,
                     std::string_view* sections) {
  if (data.size() < header_size) return Status::Corruption("block: truncated header");
  uint64_t total = header_size;
  for (int i = 0; i < count; ++i) total += DecodeFixed32(data.data() + kOffSections + 4 * i);
  if (total != data.size()) return Status::Corruption("block: section sizes disagree");
  std::string_view rest = data.substr(header_size);
  for (int i = 0; i < count; ++i) {
    const size_t len = DecodeFixed32(data.data() + kOffSections + 4 * i);
    sections[i] = rest.substr(0, len);
    rest.remove_prefix(len);
  }
  return Status::OK();
}

}  // namespace block_internal

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
  BlockEncodeOptions options;
  options.zstd_level = zstd_level;
  EncodeBlock(entries, options, out, info);
}

Status PeekBlockInfo(std::string_view data, BlockInfo* info) {
  if (data.size() < kBlockHeaderSize) return Status::Corruption("block: truncated header");
  if (DecodeFixed32(data.data()) != kBlockMagic) return Status::Corruption("block: bad magic");
  const uint8_t version = static_cast<uint8_t>(data[kOffVersion]);
  if (version != kBlockVersion1 && version != kBlockVersion2) {
    return Status::Corruption("block: unknown version " + std::to_string(version));
  }
  info->entries = DecodeFixed32(data.data() + kOffEntries);
  info->raw_bytes = DecodeFixed32(data.data() + kOffRawBytes);
  info->min_ts = static_cast<int64_t>(DecodeFixed64(data.data() + kOffMinTs));
  info->max_ts = static_cast<int64_t>(DecodeFixed64(data.data() + kOffMaxTs));
  info->compressed_bytes = data.size();
  return Status::OK();
}

Status DecodeBlock(std::string_view data, DecodedBlock* out, bool lazy_lines) {
  BlockInfo info;
  FENRIR_RETURN_IF_ERROR(PeekBlockInfo(data, &info));
  if (static_cast<uint8_t>(data[kOffVersion]) == kBlockVersion1) return DecodeBlockV1(data, out);
  return DecodeBlockV2(data, lazy_lines, out);
}

Status BlockMayContainAll(std::string_view data, const std::vector<std::string>& literals,
                          bool* may_contain) {
  BlockInfo info;
  FENRIR_RETURN_IF_ERROR(PeekBlockInfo(data, &info));
  const bool v1 = static_cast<uint8_t>(data[kOffVersion]) == kBlockVersion1;
  const size_t header = v1 ? kBlockHeaderSize : kBlockHeaderSizeV2;
  const int count = v1 ? 4 : 6;
  if (data.size() < header) return Status::Corruption("block: truncated header");
  if (Checksum(data) != DecodeFixed64(data.data() + kOffChecksum)) {
    return Status::Corruption("block: checksum mismatch");
  }
  std::string_view sections[6];
  FENRIR_RETURN_IF_ERROR(SplitSections(data, header, count, sections));
  const uint8_t flags = static_cast<uint8_t>(data[kOffFlags]);
  *may_contain =
      !(flags & kFlagFilter) || TrigramFilterMayContainAll(sections[count - 1], literals);
  return Status::OK();
}

}  // namespace fenrir::storage
