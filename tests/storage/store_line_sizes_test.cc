// Entries without lines (ScanHints::need_lines = false): timestamps, line sizes and metadata
// must equal a full read's, over blocks (several pages), the head and both directions.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "storage/store.h"
#include "test_util.h"

namespace fenrir::storage {
namespace {

using testing::L;
using testing::TempDir;
using testing::TestOptions;

constexpr int64_t kBase = 1'700'000'000'000'000'000;

struct Seen {
  int64_t ts;
  size_t size;
  Labels metadata;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> Read(Store* store, const SeriesRef& ref, int64_t from, int64_t through,
                       Direction dir, bool need_lines, std::vector<std::string>* lines) {
  ScanHints hints;
  hints.need_lines = need_lines;
  auto it = store->Entries("t", ref, from, through, dir, hints);
  std::vector<Seen> out;
  for (; it->Valid(); it->Next()) {
    out.push_back({it->Timestamp(), it->LineSize(), it->Metadata()});
    if (need_lines) {
      CHECK(it->LineSize() == it->Line().size());
      if (lines) lines->emplace_back(it->Line());
    }
  }
  REQUIRE(it->status().ok());
  return out;
}

TEST_CASE("reads without lines give the sizes, timestamps and metadata of full reads",
          "[store]") {
  TempDir dir;
  StoreOptions o = TestOptions(dir.path());
  o.block_target_bytes = 300 << 10;  // blocks of a few 128 KiB pages
  auto opened = Store::Open(o);
  REQUIRE(opened.ok());
  Store* store = opened->get();
  Labels labels = L({{"app", "sizes"}});
  std::vector<std::string> want_lines;
  // Three pushes: two end up in blocks (several pages each), the last stays in the head.
  int64_t ts = kBase;
  for (int round = 0; round < 3; ++round) {
    PushStream s;
    s.labels = labels;
    for (int i = 0; i < 4000; ++i) {
      PushEntry e;
      e.timestamp_ns = ts;
      ts += (i % 7 == 0) ? 0 : 1'000'000 + (i % 13);
      e.line = std::string(static_cast<size_t>((i * 37 + round) % 211), 'a' + (i % 26)) +
               std::to_string(i);
      if (i % 50 == 0) e.line.clear();
      if (i % 9 == 0) e.metadata = L({{"trace", std::to_string(i)}});
      s.entries.push_back(std::move(e));
    }
    PushResult r;
    REQUIRE(store->Push("t", {s}, &r).ok());
    if (round < 2) REQUIRE(store->Flush().ok());
  }
  SeriesRef ref{labels.Hash(), labels};
  const int64_t end = ts + 1;
  struct Window {
    int64_t from, through;
  };
  for (Window w : {Window{kBase, end}, Window{kBase + 1'000'000'000, end - 500'000'000},
                   Window{kBase + 3'000'000'000LL, kBase + 6'000'000'000LL}}) {
    for (Direction d : {Direction::kForward, Direction::kBackward}) {
      INFO("window " << w.from - kBase << ".." << w.through - kBase << " dir "
                     << static_cast<int>(d));
      std::vector<std::string> lines;
      auto full = Read(store, ref, w.from, w.through, d, true, &lines);
      auto sizes = Read(store, ref, w.from, w.through, d, false, nullptr);
      REQUIRE(!full.empty());
      CHECK(sizes == full);
      for (size_t i = 0; i < lines.size(); ++i) REQUIRE(lines[i].size() == full[i].size);
    }
  }
}

}  // namespace
}  // namespace fenrir::storage
