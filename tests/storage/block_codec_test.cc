#include "storage/block_codec.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace fenrir::storage {
namespace {

struct Case {
  std::string name;
  std::vector<int64_t> ts;
  std::vector<std::string> lines;
  bool with_metadata;
};

std::vector<Case> Cases() {
  std::vector<Case> cases = {
      {"single entry", {42}, {"hello"}, false},
      {"empty line", {1, 2}, {"", "x"}, false},
      {"equal timestamps", {5, 5, 5}, {"a", "b", "c"}, false},
      {"negative timestamps", {-100, -5, 0, 7}, {"w", "x", "y", "z"}, false},
      {"metadata", {1, 2, 3}, {"a", "b", "c"}, true},
  };
  Case big{"many lines", {}, {}, false};
  for (int i = 0; i < 5000; ++i) {
    big.ts.push_back(1'700'000'000'000'000'000 + i * 1'000'000LL);
    big.lines.push_back("level=info msg=\"request served\" path=/api/v1/" + std::to_string(i * 7));
  }
  cases.push_back(big);
  return cases;
}

std::string Encode(const Case& c, std::vector<Labels>* md, BlockInfo* info) {
  std::vector<BlockEntryRef> refs;
  md->clear();
  for (size_t i = 0; i < c.ts.size(); ++i) {
    md->push_back(c.with_metadata && i % 2 == 0
                      ? Labels({Label{"trace_id", "t" + std::to_string(i)}})
                      : Labels());
  }
  for (size_t i = 0; i < c.ts.size(); ++i) refs.push_back({c.ts[i], c.lines[i], &(*md)[i]});
  std::string out;
  EncodeBlock(refs, 1, &out, info);
  return out;
}

TEST_CASE("block codec roundtrips entries", "[block]") {
  for (const Case& c : Cases()) {
    SECTION(c.name) {
      std::vector<Labels> md;
      BlockInfo info;
      std::string data = Encode(c, &md, &info);
      CHECK(info.entries == c.ts.size());
      CHECK(info.min_ts == c.ts.front());
      CHECK(info.max_ts == c.ts.back());
      CHECK(info.compressed_bytes == data.size());
      DecodedBlock block;
      REQUIRE(DecodeBlock(data, &block).ok());
      REQUIRE(block.size() == c.ts.size());
      uint64_t raw = 0;
      for (size_t i = 0; i < c.ts.size(); ++i) {
        CHECK(block.Timestamp(i) == c.ts[i]);
        CHECK(block.Line(i) == c.lines[i]);
        CHECK(block.Metadata(i) == md[i]);
        raw += c.lines[i].size();
      }
      CHECK(block.info().raw_bytes == raw);
      BlockInfo peek;
      REQUIRE(PeekBlockInfo(data, &peek).ok());
      CHECK(peek.entries == info.entries);
      std::string meta;
      EncodeBlockInfo(info, &meta);
      BlockInfo back;
      REQUIRE(DecodeBlockInfo(meta, &back).ok());
      CHECK(back.raw_bytes == info.raw_bytes);
      CHECK(back.compressed_bytes == info.compressed_bytes);
    }
  }
}

TEST_CASE("block codec detects every flipped byte", "[block]") {
  Case c{"m", {1, 2, 3, 3, 9}, {"alpha", "beta", "gamma", "delta", "epsilon"}, true};
  std::vector<Labels> md;
  BlockInfo info;
  std::string data = Encode(c, &md, &info);
  for (size_t i = 0; i < data.size(); ++i) {
    std::string bad = data;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    DecodedBlock block;
    Status s = DecodeBlock(bad, &block);
    INFO("byte " << i);
    REQUIRE(!s.ok());
    CHECK(s.code() == StatusCode::kCorruption);
  }
}

TEST_CASE("block codec rejects truncation and bad metadata", "[block]") {
  Case c{"t", {1, 2}, {"x", "y"}, false};
  std::vector<Labels> md;
  BlockInfo info;
  std::string data = Encode(c, &md, &info);
  for (size_t n : {size_t{0}, size_t{10}, size_t{55}, data.size() - 1}) {
    DecodedBlock block;
    INFO("length " << n);
    CHECK(DecodeBlock(std::string_view(data).substr(0, n), &block).code() ==
          StatusCode::kCorruption);
  }
  BlockInfo back;
  CHECK(DecodeBlockInfo("short", &back).code() == StatusCode::kCorruption);
}

}  // namespace
}  // namespace fenrir::storage
