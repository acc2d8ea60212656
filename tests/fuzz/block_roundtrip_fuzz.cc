// Fuzzes the block encoder and decoder together: fuzzer-chosen entries of one stream in one day
// (sorted timestamps, arbitrary line bytes, optional structured metadata) must decode to exactly
// what was encoded, with a matching BlockInfo.

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "storage/block_codec.h"
#include "storage/labels.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using fenrir::storage::BlockEntryRef;
using fenrir::storage::BlockInfo;
using fenrir::storage::DecodedBlock;
using fenrir::storage::Label;
using fenrir::storage::Labels;

constexpr int64_t kDayNs = 86'400'000'000'000;

Labels MakeMetadata(FuzzedDataProvider& in) {
  std::vector<Label> labels;
  std::set<std::string> names;
  size_t n = in.ConsumeIntegralInRange<size_t>(0, 3);
  for (size_t i = 0; i < n; ++i) {
    std::string name = in.ConsumeRandomLengthString(16);
    std::string value = in.ConsumeRandomLengthString(32);
    if (names.insert(name).second) labels.push_back({std::move(name), std::move(value)});
  }
  return Labels(std::move(labels));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  // A block holds one UTC day: the first timestamp anywhere an int64 allows a day after it.
  int64_t ts = in.ConsumeIntegralInRange<int64_t>(std::numeric_limits<int64_t>::min(),
                                                  std::numeric_limits<int64_t>::max() - kDayNs);
  const int64_t last_allowed = ts + kDayNs - 1;
  const bool with_metadata = in.ConsumeBool();
  const int level = in.ConsumeIntegralInRange<int>(1, 3);
  // Small pages so that a few lines already span several.
  fenrir::storage::BlockEncodeOptions options;
  options.zstd_level = level;
  options.page_bytes = in.ConsumeIntegralInRange<size_t>(1, 2048);
  options.edge_page_bytes = in.ConsumeIntegralInRange<size_t>(0, 512);
  options.filter_min_raw_bytes = 0;
  size_t count = in.ConsumeIntegralInRange<size_t>(1, 256);

  std::vector<int64_t> timestamps;
  std::vector<std::string> lines;
  std::vector<Labels> metadata;
  for (size_t i = 0; i < count && (i == 0 || in.remaining_bytes() > 0); ++i) {
    if (i > 0) {
      int64_t delta = in.ConsumeIntegralInRange<int64_t>(0, last_allowed - ts);
      ts += delta;
    }
    timestamps.push_back(ts);
    lines.push_back(in.ConsumeRandomLengthString(512));
    metadata.push_back(with_metadata && in.ConsumeBool() ? MakeMetadata(in) : Labels());
  }

  std::vector<BlockEntryRef> refs;
  for (size_t i = 0; i < timestamps.size(); ++i) {
    refs.push_back({timestamps[i], lines[i], &metadata[i]});
  }
  std::string encoded;
  BlockInfo info;
  fenrir::storage::EncodeBlock(refs, options, &encoded, &info);

  DecodedBlock block;
  fenrir::Status st = fenrir::storage::DecodeBlock(encoded, &block);
  FUZZ_CHECK(st.ok(), "encoded block does not decode", st.message(), "");
  FUZZ_CHECK(block.size() == refs.size(), "entry count changed", std::to_string(refs.size()),
             std::to_string(block.size()));
  FUZZ_CHECK(info.compressed_bytes == encoded.size(), "BlockInfo.compressed_bytes wrong",
             std::to_string(info.compressed_bytes), std::to_string(encoded.size()));
  FUZZ_CHECK(block.info().entries == info.entries && block.info().min_ts == info.min_ts &&
                 block.info().max_ts == info.max_ts && block.info().raw_bytes == info.raw_bytes,
             "decoded BlockInfo differs from the encoder's", "", "");
  for (size_t i = 0; i < refs.size(); ++i) {
    FUZZ_CHECK(block.Timestamp(i) == timestamps[i], "timestamp changed",
               std::to_string(timestamps[i]), std::to_string(block.Timestamp(i)));
    FUZZ_CHECK(block.Line(i) == lines[i], "line changed", lines[i], block.Line(i));
    FUZZ_CHECK(block.Metadata(i) == metadata[i], "metadata changed", metadata[i].ToString(),
               block.Metadata(i).ToString());
  }
  // Lazily, newest entry first (a backward read), every line loads from its own page.
  DecodedBlock lazy;
  st = fenrir::storage::DecodeBlock(encoded, &lazy, true);
  FUZZ_CHECK(st.ok(), "encoded block does not decode lazily", st.message(), "");
  for (size_t i = refs.size(); i-- > 0;) {
    FUZZ_CHECK(lazy.LineSize(i) == lines[i].size(), "line size changed", lines[i], "");
    st = lazy.LoadLines(i);
    FUZZ_CHECK(st.ok(), "page does not load", st.message(), "");
    FUZZ_CHECK(lazy.Line(i) == lines[i], "lazily loaded line changed", lines[i], lazy.Line(i));
  }
  std::string info_bytes;
  fenrir::storage::EncodeBlockInfo(info, &info_bytes);
  BlockInfo info_back;
  st = fenrir::storage::DecodeBlockInfo(info_bytes, &info_back);
  FUZZ_CHECK(st.ok() && info_back.entries == info.entries && info_back.min_ts == info.min_ts &&
                 info_back.max_ts == info.max_ts && info_back.raw_bytes == info.raw_bytes &&
                 info_back.compressed_bytes == info.compressed_bytes,
             "BlockInfo does not round-trip", st.message(), "");
  return 0;
}
