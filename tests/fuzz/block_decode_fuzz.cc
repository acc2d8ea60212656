// Fuzzes the block decoder with arbitrary bytes: decoding must return Corruption or a block whose
// every entry can be read, never crash. Each input is decoded twice: as given (exercises the
// header and checksum checks), and with a valid magic, version and checksum written over it, so
// the search reaches the section, varint, zstd and metadata decoding behind the checksum.

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "storage/block_codec.h"
#include "storage/trigram_filter.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using fenrir::storage::DecodedBlock;

void DecodeAndRead(std::string_view data) {
  // Lazily too, as the store reads: then every page is loaded on its own, newest first.
  {
    DecodedBlock lazy;
    if (fenrir::storage::DecodeBlock(data, &lazy, true).ok()) {
      for (size_t i = lazy.size(); i-- > 0;) {
        (void)lazy.LineSize(i);
        fenrir::Status st = lazy.LoadLines(i);
        if (!st.ok()) {
          FUZZ_CHECK(st.code() == fenrir::StatusCode::kCorruption, "page error is not Corruption",
                     st.message(), "");
          break;
        }
        FUZZ_CHECK(lazy.Line(i).size() == lazy.LineSize(i), "line size disagrees", "", "");
      }
    }
  }
  DecodedBlock block;
  fenrir::Status st = fenrir::storage::DecodeBlock(data, &block);
  if (!st.ok()) {
    FUZZ_CHECK(st.code() == fenrir::StatusCode::kCorruption, "decode error is not Corruption",
               st.message(), "");
    return;
  }
  FUZZ_CHECK(block.size() == block.info().entries, "decoded size != header entry count", "", "");
  size_t bytes = 0;
  for (size_t i = 0; i < block.size(); ++i) {
    bytes += block.Line(i).size();
    for (const auto& label : block.Metadata(i)) bytes += label.name.size() + label.value.size();
    (void)block.Timestamp(i);
  }
  (void)bytes;
}

// The trigram filter section is read without decoding the block (BlockMayContainAll): it must
// answer, or fail with Corruption, on any bytes.
void QueryFilter(std::string_view data) {
  static const std::vector<std::string> kLiterals = {"error", "hello world", "ab", ""};
  bool may = true;
  fenrir::Status st = fenrir::storage::BlockMayContainAll(data, kLiterals, &may);
  if (!st.ok()) {
    FUZZ_CHECK(st.code() == fenrir::StatusCode::kCorruption, "filter error is not Corruption",
               st.message(), "");
  }
  (void)fenrir::storage::TrigramFilterMayContainAll(data, kLiterals);
}

// Writes the magic, a version (1 or 2, as the input's version byte is odd or even) and a
// matching checksum into a copy of `data` (FORMAT.md "Block").
std::string WithValidHeader(std::string_view data) {
  std::string block(data);
  if (block.size() < fenrir::storage::kBlockHeaderSize) return block;
  uint32_t magic = fenrir::storage::kBlockMagic;
  std::memcpy(block.data(), &magic, 4);
  block[4] = static_cast<char>((block[4] & 1) ? fenrir::storage::kBlockVersion1
                                              : fenrir::storage::kBlockVersion2);
  uint64_t seed;
  std::memcpy(&seed, block.data(), 8);
  uint64_t sum = XXH3_64bits_withSeed(block.data() + 16, block.size() - 16, seed);
  std::memcpy(block.data() + 8, &sum, 8);
  return block;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 16)) return -1;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string fixed = WithValidHeader(bytes);
  DecodeAndRead(bytes);
  DecodeAndRead(fixed);
  QueryFilter(bytes);
  QueryFilter(fixed);
  fenrir::storage::BlockInfo info;
  if (size >= fenrir::storage::kBlockInfoSize) {
    (void)fenrir::storage::DecodeBlockInfo(bytes.substr(0, fenrir::storage::kBlockInfoSize),
                                           &info);
  }
  return 0;
}
