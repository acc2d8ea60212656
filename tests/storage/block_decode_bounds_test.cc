// Regression tests for block_decode fuzzing findings (docs/fuzzing.md): a block's header and
// zstd frames are untrusted, so neither may size an allocation beyond what the block's bytes can
// hold. Reproducers: tests/fuzz/crashes/block_decode/.

#include <xxhash.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "storage/block_codec.h"

namespace fenrir::storage {
namespace {

std::string ReadReproducer(const std::string& name) {
  std::string path = std::string(FENRIR_SOURCE_DIR) + "/tests/fuzz/crashes/block_decode/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What block_decode_fuzz does to each input: valid magic, version and checksum written over it,
// so decoding reaches the sections behind the checksum.
std::string WithValidHeader(std::string block) {
  REQUIRE(block.size() >= kBlockHeaderSize);
  uint32_t magic = kBlockMagic;
  std::memcpy(block.data(), &magic, 4);
  block[4] = static_cast<char>(kBlockVersion);
  uint64_t seed;
  std::memcpy(&seed, block.data(), 8);
  uint64_t sum = XXH3_64bits_withSeed(block.data() + 16, block.size() - 16, seed);
  std::memcpy(block.data() + 8, &sum, 8);
  return block;
}

void Put32(std::string* block, size_t off, uint32_t v) { std::memcpy(block->data() + off, &v, 4); }

std::string EncodeOne() {
  Labels md({Label{"trace_id", "abc"}});
  std::vector<BlockEntryRef> refs = {{10, "level=info msg=a", &md}, {20, "level=warn", nullptr}};
  std::string out;
  BlockInfo info;
  EncodeBlock(refs, 1, &out, &info);
  return out;
}

Status Decode(const std::string& data) {
  DecodedBlock block;
  return DecodeBlock(data, &block);
}

TEST_CASE("a header entry count beyond the timestamp column is corruption", "[block]") {
  // oom-entry-count, oom-entry-count-valid-checksum: 2^31+4 entries sized a 16 GiB vector.
  for (const char* name : {"oom-entry-count", "oom-entry-count-valid-checksum"}) {
    INFO(name);
    std::string data = WithValidHeader(ReadReproducer(name));
    Status st = Decode(data);
    CHECK(st.code() == StatusCode::kCorruption);
  }
  std::string block = EncodeOne();
  REQUIRE(Decode(block).ok());
  for (uint32_t n : {3u, 0x80000004u, 0xFFFFFFFFu}) {
    INFO("entries " << n);
    std::string bad = block;
    Put32(&bad, 16, n);
    Status st = Decode(WithValidHeader(bad));
    CHECK(st.code() == StatusCode::kCorruption);
  }
}

TEST_CASE("a zstd frame declaring more than the block allows is corruption", "[block]") {
  // zstd-content-size-3GiB: a 13-byte frame declaring 3 GiB of content.
  // zstd-content-size-3GiB-raw-bytes-3GiB: the same frame with a header raw_bytes of 3 GiB, so
  // only the frame's own size bounds it.
  for (const char* name : {"zstd-content-size-3GiB", "zstd-content-size-3GiB-raw-bytes-3GiB"}) {
    INFO(name);
    Status st = Decode(WithValidHeader(ReadReproducer(name)));
    CHECK(st.code() == StatusCode::kCorruption);
  }

  // A real block whose header claims more raw bytes than its lines frame holds still decodes
  // to Corruption ("line bytes disagree"), not to a bigger allocation.
  std::string block = EncodeOne();
  std::string bad = block;
  Put32(&bad, 20, 0xFFFFFFF0u);  // raw_bytes
  CHECK(Decode(WithValidHeader(bad)).code() == StatusCode::kCorruption);
}

TEST_CASE("timestamp deltas past max_ts are corruption, not overflow", "[block]") {
  // timestamp-delta-overflow: min_ts + deltas overflowed int64 (UB).
  Status st = Decode(WithValidHeader(ReadReproducer("timestamp-delta-overflow")));
  CHECK(st.code() == StatusCode::kCorruption);
  // A block of entries at 10 and 20: raise min_ts so the deltas run past max_ts.
  std::string block = EncodeOne();
  for (int64_t min_ts : {int64_t{15}, int64_t{21}, std::numeric_limits<int64_t>::max() - 5}) {
    INFO("min_ts " << min_ts);
    std::string bad = block;
    std::memcpy(bad.data() + 24, &min_ts, 8);
    CHECK(Decode(WithValidHeader(bad)).code() == StatusCode::kCorruption);
  }
}

}  // namespace
}  // namespace fenrir::storage
