// Block format version 2: pages of lines, timestamp and length columns, lazy line loading, and
// version 1 blocks still decoding (storage/FORMAT.md).

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "storage/block_codec.h"

namespace fenrir::storage {
namespace {

struct Entries {
  std::vector<int64_t> ts;
  std::vector<std::string> lines;
  std::vector<Labels> md;

  std::vector<BlockEntryRef> Refs() const {
    std::vector<BlockEntryRef> refs;
    for (size_t i = 0; i < ts.size(); ++i) refs.push_back({ts[i], lines[i], &md[i]});
    return refs;
  }
  void Add(int64_t t, std::string line, Labels m = {}) {
    ts.push_back(t);
    lines.push_back(std::move(line));
    md.push_back(std::move(m));
  }
};

// Pages are small in these cases so that a few entries already span several.
Entries Make(const std::string& kind) {
  Entries e;
  if (kind == "regular") {
    for (int i = 0; i < 3000; ++i) {
      e.Add(1'700'000'000'000'000'000 + i * 1'080'000'000LL,
            "level=info msg=\"served\" path=/api/" + std::to_string(i * 13));
    }
  } else if (kind == "irregular") {
    int64_t t = -5'000'000'000;
    for (int i = 0; i < 700; ++i) {
      t += (i * 7919) % 5 == 0 ? 0 : (i * 104729) % 1'000'003;
      e.Add(t, std::string(static_cast<size_t>((i * 31) % 300), static_cast<char>('a' + i % 26)));
    }
  } else if (kind == "empty lines") {
    for (int i = 0; i < 50; ++i) e.Add(i, i % 3 == 0 ? "x" : "");
  } else if (kind == "all empty") {
    for (int i = 0; i < 20; ++i) e.Add(100, "");
  } else if (kind == "huge lines") {
    e.Add(1, "small");
    e.Add(2, std::string(300'000, 'h'));
    e.Add(3, "between");
    e.Add(3, std::string(70'000, 'g') + "tail");
    e.Add(9, "last");
  } else if (kind == "metadata") {
    for (int i = 0; i < 400; ++i) {
      e.Add(i * 10, "line " + std::to_string(i),
            i % 3 == 0 ? Labels({Label{"trace_id", "t" + std::to_string(i)}}) : Labels());
    }
  } else if (kind == "one entry") {
    e.Add(42, "only");
  }
  return e;
}

const char* kKinds[] = {"regular", "irregular", "empty lines", "all empty",
                        "huge lines", "metadata", "one entry"};

void CheckBlock(DecodedBlock& block, const Entries& e, bool lazy) {
  REQUIRE(block.size() == e.ts.size());
  uint64_t raw = 0;
  // Backward, as a limit query reads: lines load page by page.
  for (size_t k = e.ts.size(); k-- > 0;) {
    CHECK(block.Timestamp(k) == e.ts[k]);
    CHECK(block.LineSize(k) == e.lines[k].size());
    CHECK(block.Metadata(k) == e.md[k]);
    if (lazy) REQUIRE(block.LoadLines(k).ok());
    REQUIRE(block.LinesReady(k));
    CHECK(block.Line(k) == e.lines[k]);
    raw += e.lines[k].size();
  }
  CHECK(block.info().raw_bytes == raw);
  CHECK(block.info().entries == e.ts.size());
}

TEST_CASE("block v2 roundtrips with pages, eagerly and lazily", "[block]") {
  for (const char* kind : kKinds) {
    struct Pages {
      size_t page, edge;
    };
    for (Pages pg : {Pages{1, 0}, Pages{100, 0}, Pages{4096, 0}, Pages{64 << 10, 0},
                     Pages{1 << 20, 1}, Pages{1 << 20, 1000}, Pages{20000, 3000},
                     Pages{1 << 20, 64 << 10}}) {
      for (int bits : {5, 10}) {
        INFO(kind << ", page " << pg.page << " / edge " << pg.edge << " bytes, filter bits "
                  << bits);
        Entries e = Make(kind);
        BlockEncodeOptions o;
        o.page_bytes = pg.page;
        o.edge_page_bytes = pg.edge;
        o.filter_bits_per_trigram = bits;
        o.filter_min_raw_bytes = 0;
        std::string data;
        BlockInfo info;
        EncodeBlock(e.Refs(), o, &data, &info);
        CHECK(info.compressed_bytes == data.size());
        CHECK(static_cast<uint8_t>(data[4]) == kBlockVersion2);
        DecodedBlock eager;
        REQUIRE(DecodeBlock(data, &eager).ok());
        CheckBlock(eager, e, false);
        DecodedBlock lazy;
        REQUIRE(DecodeBlock(data, &lazy, true).ok());
        CheckBlock(lazy, e, true);
        bool may = false;
        REQUIRE(BlockMayContainAll(data, {e.lines.back()}, &may).ok());
        CHECK(may);
      }
    }
  }
}

TEST_CASE("block v2 lazy decoding loads only the pages asked for", "[block]") {
  Entries e = Make("regular");
  BlockEncodeOptions o;
  o.page_bytes = 4096;
  o.edge_page_bytes = 0;
  std::string data;
  EncodeBlock(e.Refs(), o, &data, nullptr);
  DecodedBlock block;
  REQUIRE(DecodeBlock(data, &block, true).ok());
  REQUIRE(block.pages() > 10);
  const size_t last = block.size() - 1;
  CHECK_FALSE(block.LinesReady(last));
  CHECK_FALSE(block.LinesReady(0));
  REQUIRE(block.LoadLines(last).ok());
  CHECK(block.Line(last) == e.lines[last]);
  CHECK_FALSE(block.LinesReady(0));
  // Sizes and timestamps need no page.
  CHECK(block.LineSize(0) == e.lines[0].size());
  CHECK(block.Timestamp(0) == e.ts[0]);
}

TEST_CASE("block v2 default pages: small at both ends, one big page between", "[block]") {
  Entries e = Make("regular");  // ~150 KB of lines
  BlockEncodeOptions o;
  o.edge_page_bytes = 16 << 10;
  std::string data;
  EncodeBlock(e.Refs(), o, &data, nullptr);
  DecodedBlock block;
  REQUIRE(DecodeBlock(data, &block, true).ok());
  REQUIRE(block.pages() == 3);
  const size_t last = block.size() - 1;
  REQUIRE(block.LoadLines(last).ok());
  // The last page holds the newest <= 16 KiB of lines only.
  size_t loaded = 0, bytes = 0;
  for (size_t i = 0; i < block.size(); ++i) {
    if (block.LinesReady(i)) {
      ++loaded;
      bytes += block.LineSize(i);
      CHECK(block.Line(i) == e.lines[i]);
    }
  }
  CHECK(loaded > 100);
  CHECK(bytes <= (16u << 10));
  CHECK_FALSE(block.LinesReady(0));
  REQUIRE(block.LoadLines(0).ok());
  CHECK(block.Line(0) == e.lines[0]);
  CHECK_FALSE(block.LinesReady(block.size() / 2));
}

TEST_CASE("version 1 blocks still decode", "[block]") {
  for (const char* kind : kKinds) {
    INFO(kind);
    Entries e = Make(kind);
    std::string data;
    BlockInfo info;
    EncodeBlockV1(e.Refs(), 1, &data, &info);
    CHECK(static_cast<uint8_t>(data[4]) == kBlockVersion1);
    for (bool lazy : {false, true}) {
      DecodedBlock block;
      REQUIRE(DecodeBlock(data, &block, lazy).ok());
      CheckBlock(block, e, lazy);
    }
    BlockInfo peek;
    REQUIRE(PeekBlockInfo(data, &peek).ok());
    CHECK(peek.entries == info.entries);
    bool may = true;
    REQUIRE(BlockMayContainAll(data, {"zzzqqqxxx"}, &may).ok());
    CHECK_FALSE(may);
  }
}

TEST_CASE("block v2 detects every flipped byte and truncation", "[block]") {
  Entries e = Make("metadata");
  BlockEncodeOptions o;
  o.page_bytes = 512;
  std::string data;
  EncodeBlock(e.Refs(), o, &data, nullptr);
  for (size_t i = 0; i < data.size(); i += 7) {
    std::string bad = data;
    bad[i] = static_cast<char>(bad[i] ^ 0x21);
    DecodedBlock block;
    INFO("byte " << i);
    CHECK(DecodeBlock(bad, &block).code() == StatusCode::kCorruption);
  }
  for (size_t n : {size_t{0}, size_t{56}, size_t{63}, data.size() / 2, data.size() - 1}) {
    DecodedBlock block;
    INFO("length " << n);
    CHECK(DecodeBlock(std::string_view(data).substr(0, n), &block).code() ==
          StatusCode::kCorruption);
  }
}

TEST_CASE("blocks below filter_min_raw_bytes carry no trigram filter", "[block]") {
  Entries e = Make("regular");  // ~150 KB of lines
  for (size_t min : {size_t{0}, size_t{1} << 20}) {
    BlockEncodeOptions o;
    o.filter_min_raw_bytes = min;
    std::string data;
    EncodeBlock(e.Refs(), o, &data, nullptr);
    bool may = true;
    REQUIRE(BlockMayContainAll(data, {"zzzqqqxxx"}, &may).ok());
    CHECK(may == (min > 0));
  }
}

TEST_CASE("regular timestamps cost almost nothing in version 2", "[block]") {
  // Per stream, loadgen's timestamps are evenly spaced: delta-of-delta is 0.
  Entries e;
  for (int i = 0; i < 5000; ++i) e.Add(1'700'000'000'000'000'000 + i * 1'080'000'000LL, "x");
  std::string v1, v2;
  EncodeBlockV1(e.Refs(), 1, &v1, nullptr);
  EncodeBlock(e.Refs(), 1, &v2, nullptr);
  CHECK(v2.size() * 4 < v1.size());
}

}  // namespace
}  // namespace fenrir::storage
