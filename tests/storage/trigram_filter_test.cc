#include "storage/trigram_filter.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "storage/block_codec.h"

namespace fenrir::storage {
namespace {

std::string Build(const std::vector<std::string>& lines) {
  TrigramFilterBuilder b;
  for (const auto& l : lines) b.AddLine(l);
  std::string out;
  b.Finish(&out);
  return out;
}

TEST_CASE("trigram filter never rules out a present literal", "[filter]") {
  std::vector<std::string> lines;
  for (int i = 0; i < 2000; ++i) {
    lines.push_back("ts=" + std::to_string(i * 7919) + " level=info user=u" + std::to_string(i) +
                    " msg=\"GET /api/v1/items/" + std::to_string(i * 31) + "\"");
  }
  std::string f = Build(lines);
  for (const auto& l : lines) {
    for (size_t len : {3, 5, 12}) {
      for (size_t at = 0; at + len <= l.size(); at += 9) {
        REQUIRE(TrigramFilterMayContainAll(f, {l.substr(at, len)}));
      }
    }
  }
}

TEST_CASE("trigram filter answers", "[filter]") {
  std::string f = Build({"connection refused by upstream", "request served in 3ms", "ab"});
  struct Case {
    std::vector<std::string> literals;
    bool want;
  };
  std::vector<Case> cases = {
      {{}, true},
      {{"refused"}, true},
      {{"served", "upstream"}, true},
      {{"ab"}, true},                  // too short to rule out
      {{"xy"}, true},                  // too short to rule out
      {{"panic"}, false},
      {{"refused", "kernel oops"}, false},
      {{"d b"}, true},                 // "refused by" spans a space, still in one line
      {{"upstreamrequest"}, false},    // trigrams never span two lines
  };
  for (const auto& c : cases) {
    INFO(c.literals.size() << " literals, first: " << (c.literals.empty() ? "" : c.literals[0]));
    CHECK(TrigramFilterMayContainAll(f, c.literals) == c.want);
  }
}

TEST_CASE("a malformed filter rules nothing out", "[filter]") {
  for (std::string f : {std::string(), std::string("\x02\x09\x03"), std::string("\x01\x09\x03")}) {
    CHECK(TrigramFilterMayContainAll(f, {"anything"}));
  }
}

TEST_CASE("block filter check verifies the block", "[filter]") {
  std::vector<std::string> lines = {"alpha one", "alpha two"};
  std::vector<BlockEntryRef> refs;
  for (size_t i = 0; i < lines.size(); ++i) refs.push_back({int64_t(i), lines[i], nullptr});
  std::string data;
  BlockInfo info;
  BlockEncodeOptions options;
  options.filter_min_raw_bytes = 0;  // a filter even for this small block
  EncodeBlock(refs, options, &data, &info);
  bool may = false;
  REQUIRE(BlockMayContainAll(data, {"alpha"}, &may).ok());
  CHECK(may);
  REQUIRE(BlockMayContainAll(data, {"omega"}, &may).ok());
  CHECK(!may);
  data[data.size() - 1] ^= 1;
  CHECK(BlockMayContainAll(data, {"alpha"}, &may).code() == StatusCode::kCorruption);
}

}  // namespace
}  // namespace fenrir::storage
