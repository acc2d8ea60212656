// The WAL holds one record per push for all its streams: replay after a restart must restore
// exactly the entries not yet in blocks, stream by stream, whatever was cut in between.

#include <catch2/catch.hpp>

#include "storage/store.h"
#include "storage/wal_record.h"
#include "test_util.h"

namespace fenrir::storage {
namespace {

using testing::Got;
using testing::L;
using testing::MakeStream;
using testing::ReadAll;
using testing::TempDir;
using testing::TestOptions;

constexpr int64_t kBase = 1'700'000'000'000'000'000;

std::unique_ptr<Store> OpenStore(const StoreOptions& o) {
  auto r = Store::Open(o);
  INFO((r.ok() ? std::string("ok") : r.status().message()));
  REQUIRE(r.ok());
  return std::move(r).value();
}

TEST_CASE("wal record round-trips sections of several streams", "[wal]") {
  WalRecordWriter w("tenant-a");
  Labels md = L({{"trace", "t1"}});
  w.BeginStream(7);
  w.Add(kBase + 5, "x", {});
  w.Add(kBase + 3, "y", md);
  w.EndStream();
  w.BeginStream(9);  // empty section: dropped
  w.EndStream();
  w.BeginStream(7);  // a repeated label set: a second section of the same stream
  w.Add(kBase + 9, "z", {});
  w.EndStream();
  CHECK(w.count() == 3);
  std::string record(w.Finish());
  std::string_view tenant;
  std::vector<std::tuple<uint64_t, int64_t, std::string, size_t>> got;
  REQUIRE(ReadWalRecord(record, &tenant,
                        [&](uint64_t id, int64_t ts, std::string_view line, const Labels& m) {
                          got.emplace_back(id, ts, std::string(line), m.size());
                        })
              .ok());
  CHECK(tenant == "tenant-a");
  REQUIRE(got.size() == 3);
  CHECK(got[0] == std::make_tuple(uint64_t{7}, kBase + 5, std::string("x"), size_t{0}));
  CHECK(got[1] == std::make_tuple(uint64_t{7}, kBase + 3, std::string("y"), size_t{1}));
  CHECK(got[2] == std::make_tuple(uint64_t{7}, kBase + 9, std::string("z"), size_t{0}));
  for (size_t cut : {size_t{1}, size_t{5}, record.size() - 1}) {
    INFO("truncated at " << cut);
    CHECK(!ReadWalRecord(record.substr(0, cut), &tenant, [](auto, auto, auto, const auto&) {})
               .ok());
  }
}

TEST_CASE("replay restores only the entries of each stream not yet cut", "[wal]") {
  TempDir dir;
  StoreOptions o = TestOptions(dir.path());
  o.block_target_bytes = 100;  // the big stream cuts inline, the small one stays in the head
  Labels big = L({{"app", "big"}});
  Labels small = L({{"app", "small"}});
  std::vector<Got> want_big, want_small;
  {
    auto store = OpenStore(o);
    for (int i = 0; i < 20; ++i) {
      std::string b = "big-" + std::to_string(i) + std::string(30, 'b');
      std::string s = "small-" + std::to_string(i);
      // One push, one WAL record, two streams with different fates.
      REQUIRE(store->Push("t", {MakeStream(big, {{kBase + i, b}}),
                                 MakeStream(small, {{kBase + i, s}})},
                          nullptr)
                  .ok());
      want_big.push_back({kBase + i, b});
      want_small.push_back({kBase + i, s});
      if (i == 10) {
        REQUIRE(store->Flush().ok());  // both cut; the WAL records up to here may go
      }
    }
    CHECK(store->Metrics().blocks > 2);
    CHECK(store->Metrics().head_streams >= 1);
  }  // closed without a flush: the heads live only in the WAL
  for (int round = 0; round < 2; ++round) {  // and a second restart replays the same way
    INFO("restart " << round);
    auto store = OpenStore(o);
    CHECK(ReadAll(store.get(), "t", big, kBase, kBase + 100) == want_big);
    CHECK(ReadAll(store.get(), "t", small, kBase, kBase + 100) == want_small);
  }
}

}  // namespace
}  // namespace fenrir::storage
