// Block format version 2 (storage/FORMAT.md, "Block"): a timestamp column of delta-of-delta
// zigzag varints, a line-length column (each zstd'd when that is smaller), a page index, the
// lines in pages of ~BlockEncodeOptions::page_bytes raw bytes, each its own zstd frame, then
// structured metadata and the trigram filter. Counting and byte sums need only the two columns;
// a reader that wants a few lines decompresses only their pages.

#include <cstring>
#include <string>

#include "storage/block_codec.h"
#include "storage/block_internal.h"
#include "storage/coding.h"
#include "storage/keys.h"
#include "storage/trigram_filter.h"

namespace fenrir::storage {

using namespace block_internal;  // NOLINT: shared helpers of the codec

namespace {

constexpr uint8_t kKnownFlags = kFlagMetadata | kFlagFilter | kFlagTimestampsZstd |
                                kFlagLengthsZstd;
// Columns shorter than this stay raw: a zstd frame costs more than it saves.
constexpr size_t kMinColumnToCompress = 64;

// Appends `raw` to *out, as a zstd frame when that is smaller. Returns true when compressed.
bool AppendColumn(std::string_view raw, int level, std::string* out, uint32_t* len) {
  const size_t start = out->size();
  if (raw.size() >= kMinColumnToCompress) {
    uint32_t n = AppendCompressed(raw, level, out);
    if (n > 0 && n < raw.size()) {
      *len = n;
      return true;
    }
    out->resize(start);
  }
  out->append(raw);
  *len = static_cast<uint32_t>(raw.size());
  return false;
}

// The raw bytes of a column: the section itself, or its zstd frame decompressed into *buf.
Status ColumnBytes(std::string_view section, bool compressed, uint64_t max_size,
                   std::string* buf, std::string_view* out) {
  if (!compressed) {
    *out = section;
    return Status::OK();
  }
  FENRIR_RETURN_IF_ERROR(Decompress(section, max_size, buf));
  *out = *buf;
  return Status::OK();
}

}  // namespace

void EncodeBlock(const std::vector<BlockEntryRef>& entries, const BlockEncodeOptions& options,
                 std::string* out, BlockInfo* info) {
  out->clear();
  const size_t n = entries.size();
  bool has_meta = false;
  uint64_t raw_bytes = 0;
  thread_local std::string ts_raw, lens_raw, page_index, frames, page, meta_raw;
  ts_raw.clear();
  lens_raw.clear();
  page_index.clear();
  frames.clear();
  meta_raw.clear();
  const int64_t min_ts = entries.front().timestamp_ns, max_ts = entries.back().timestamp_ns;
  uint64_t prev_ts = static_cast<uint64_t>(min_ts), prev_delta = 0;
  for (const auto& e : entries) {
    raw_bytes += e.line.size();
    if (e.metadata && !e.metadata->empty()) has_meta = true;
    const uint64_t delta = static_cast<uint64_t>(e.timestamp_ns) - prev_ts;
    PutVarint64(&ts_raw, ZigZag(static_cast<int64_t>(delta - prev_delta)));
    prev_ts = static_cast<uint64_t>(e.timestamp_ns);
    prev_delta = delta;
    PutVarint64(&lens_raw, e.line.size());
  }

  // Pages: consecutive entries until the page holds its target (a longer line ends its page).
  // The first page and the last (the entries after `tail`) hold edge_page_bytes, the pages
  // between page_bytes.
  const size_t edge = options.edge_page_bytes;
  size_t tail = n;  // first entry of the last page
  if (edge > 0) {
    size_t suffix = 0;
    while (tail > 0 && suffix + entries[tail - 1].line.size() <= edge) {
      suffix += entries[--tail].line.size();
    }
    if (tail == n && tail > 0) --tail;  // a last line longer than edge is a page alone
  }
  size_t pages = 0;
  std::string page_list;
  for (size_t begin = 0; begin < n;) {
    page.clear();
    size_t end = begin;
    const size_t target = (begin == 0 && edge > 0) ? edge : options.page_bytes;
    const size_t stop = begin < tail ? tail : n;
    while (end < stop && (end == begin || page.size() < target)) {
      page.append(entries[end].line);
      ++end;
    }
    const uint32_t frame = page.empty() ? 0 : AppendCompressed(page, options.zstd_level, &frames);
    PutVarint64(&page_list, end - begin);
    PutVarint64(&page_list, frame);
    ++pages;
    begin = end;
  }
  PutVarint64(&page_index, pages);
  page_index.append(page_list);

  if (has_meta) {
    static const Labels kEmpty;
    for (const auto& e : entries) EncodeLabels(e.metadata ? *e.metadata : kEmpty, &meta_raw);
  }

  out->resize(kBlockHeaderSizeV2);
  uint32_t sections[6] = {};
  uint8_t flags = 0;
  if (AppendColumn(ts_raw, options.zstd_level, out, &sections[0])) flags |= kFlagTimestampsZstd;
  if (AppendColumn(lens_raw, options.zstd_level, out, &sections[1])) flags |= kFlagLengthsZstd;
  out->append(page_index);
  sections[2] = static_cast<uint32_t>(page_index.size());
  out->append(frames);
  sections[3] = static_cast<uint32_t>(frames.size());
  if (has_meta) {
    flags |= kFlagMetadata;
    sections[4] = AppendCompressed(meta_raw, options.zstd_level, out);
  }
  const size_t filter_start = out->size();
  if (options.filter_bits_per_trigram > 0 && raw_bytes >= options.filter_min_raw_bytes) {
    flags |= kFlagFilter;
    TrigramFilterBuilder filter(options.filter_bits_per_trigram);
    for (const auto& e : entries) filter.AddLine(e.line);
    filter.Finish(out);
  }
  sections[5] = static_cast<uint32_t>(out->size() - filter_start);
  std::memcpy(out->data() + kOffSections, sections, sizeof(sections));

  BlockInfo got;
  got.entries = static_cast<uint32_t>(n);
  got.min_ts = min_ts;
  got.max_ts = max_ts;
  got.raw_bytes = raw_bytes;
  got.compressed_bytes = out->size();
  FinishHeader(kBlockVersion2, flags, got, out);
  if (info) *info = got;
}

Status DecodeBlockV2(std::string_view data, bool lazy_lines, DecodedBlock* out) {
  BlockInfo info;
  FENRIR_RETURN_IF_ERROR(PeekBlockInfo(data, &info));
  if (data.size() < kBlockHeaderSizeV2) return Status::Corruption("block: truncated header");
  if (Checksum(data) != DecodeFixed64(data.data() + kOffChecksum)) {
    return Status::Corruption("block: checksum mismatch");
  }
  std::string_view sec[6];
  FENRIR_RETURN_IF_ERROR(SplitSections(data, kBlockHeaderSizeV2, 6, sec));
  const uint8_t flags = static_cast<uint8_t>(data[kOffFlags]);
  if (flags & ~kKnownFlags) return Status::Corruption("block: unknown flags");
  const size_t n = info.entries;
  if (info.min_ts > info.max_ts) return Status::Corruption("block: min_ts > max_ts");
  out->info_ = info;

  // Timestamps: every entry takes at least one byte of the raw column, which bounds the header's
  // count before anything is sized by it.
  std::string buf;
  std::string_view col;
  FENRIR_RETURN_IF_ERROR(
      ColumnBytes(sec[0], flags & kFlagTimestampsZstd, 10 * uint64_t{n}, &buf, &col));
  if (n > col.size()) return Status::Corruption("block: truncated timestamps");
  out->timestamps_.resize(n);
  uint64_t ts = static_cast<uint64_t>(info.min_ts), delta = 0;
  const uint64_t max_ts = static_cast<uint64_t>(info.max_ts);
  for (size_t i = 0; i < n; ++i) {
    uint64_t z;
    if (!GetVarint64(&col, &z)) return Status::Corruption("block: truncated timestamps");
    delta += static_cast<uint64_t>(UnZigZag(z));
    // Timestamps never decrease nor pass max_ts; checking before adding keeps the sum from
    // overflowing (a "negative" delta is a huge unsigned one).
    if (delta > max_ts - ts) return Status::Corruption("block: timestamps disagree");
    ts += delta;
    out->timestamps_[i] = static_cast<int64_t>(ts);
  }
  if (!col.empty() || (n > 0 && ts != max_ts)) {
    return Status::Corruption("block: timestamps disagree");
  }

  // Line lengths.
  FENRIR_RETURN_IF_ERROR(
      ColumnBytes(sec[1], flags & kFlagLengthsZstd, 10 * uint64_t{n}, &buf, &col));
  out->offsets_.resize(n + 1);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t len;
    if (!GetVarint64(&col, &len)) return Status::Corruption("block: truncated line lengths");
    out->offsets_[i] = static_cast<uint32_t>(sum);
    if (len > info.raw_bytes - sum) return Status::Corruption("block: line bytes disagree");
    sum += len;
  }
  if (!col.empty() || sum != info.raw_bytes) return Status::Corruption("block: line bytes disagree");
  out->offsets_[n] = static_cast<uint32_t>(sum);

  // Page index: every page holds at least one entry; frames tile the lines section.
  std::string_view index = sec[2];
  uint64_t page_count;
  if (!GetVarint64(&index, &page_count) || page_count > n || (n > 0 && page_count == 0)) {
    return Status::Corruption("block: malformed page index");
  }
  out->pages_.resize(page_count);
  uint64_t first = 0, frame_off = 0;
  for (auto& p : out->pages_) {
    uint64_t count, frame;
    if (!GetVarint64(&index, &count) || !GetVarint64(&index, &frame) || count == 0 ||
        count > n - first || frame > sec[3].size() - frame_off) {
      return Status::Corruption("block: malformed page index");
    }
    p = {static_cast<uint32_t>(first), static_cast<uint32_t>(frame_off),
         static_cast<uint32_t>(frame), false};
    first += count;
    frame_off += frame;
  }
  if (!index.empty() || first != n || frame_off != sec[3].size()) {
    return Status::Corruption("block: malformed page index");
  }
  out->lines_.clear();
  out->paged_lines_.reset();
  out->paged_capacity_ = 0;
  out->frames_.clear();
  if (lazy_lines) {
    out->frames_.assign(sec[3]);
  } else {
    for (size_t p = 0; p < out->pages_.size(); ++p) {
      FENRIR_RETURN_IF_ERROR(out->LoadPage(p, sec[3]));
    }
    out->pages_.clear();
  }

  out->metadata_.clear();
  if (flags & kFlagMetadata) {
    FENRIR_RETURN_IF_ERROR(DecodeMetadataColumn(sec[4], n, &out->metadata_));
  }
  return Status::OK();
}

}  // namespace fenrir::storage
