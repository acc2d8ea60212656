// Reopening: WAL replay, persisted blocks, a crash without close, corrupt blocks on disk.

#include <rocksdb/db.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "storage/store.h"
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

TEST_CASE("reopening sees every acknowledged entry", "[durability]") {
  // Steps: push a, (maybe flush), push b, close, reopen, expect a and b in order.
  struct Case {
    const char* name;
    bool flush_first;
    bool flush_second;
    bool sync;
  };
  for (Case c : {Case{"wal only", false, false, false}, Case{"block then wal", true, false, false},
                 Case{"blocks only", true, true, false}, Case{"synced wal", false, false, true},
                 Case{"synced blocks", true, true, true}}) {
    SECTION(c.name) {
      TempDir dir;
      StoreOptions opts = TestOptions(dir.path());
      opts.sync_writes = c.sync;
      Labels labels = L({{"app", "durable"}});
      Labels other = L({{"app", "other"}});
      {
        auto store = OpenStore(opts);
        REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + 2, "a2"}, {kBase + 1, "a1"}}),
                                  MakeStream(other, {{kBase, "o"}})},
                            nullptr)
                    .ok());
        if (c.flush_first) REQUIRE(store->Flush().ok());
        REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + 1, "b1"}, {kBase + 3, "b3"}})},
                            nullptr)
                    .ok());
        if (c.flush_second) REQUIRE(store->Flush().ok());
      }
      auto store = OpenStore(opts);
      std::vector<Got> want = {{kBase + 1, "a1"}, {kBase + 1, "b1"}, {kBase + 2, "a2"},
                               {kBase + 3, "b3"}};
      CHECK(ReadAll(store.get(), "t", labels, kBase, kBase + 10) == want);
      CHECK(ReadAll(store.get(), "t", other, kBase, kBase + 10) == std::vector<Got>{{kBase, "o"}});
      StoreMetrics m = store->Metrics();
      CHECK(m.streams == 2);
      CHECK(m.head_streams == (c.flush_second ? 0u : c.flush_first ? 1u : 2u));
      CHECK(m.disk_bytes > 0);
      // Duplicates of replayed head entries are still detected after reopening.
      PushResult r;
      REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + 3, "b3"}})}, &r).ok());
      CHECK(r.duplicates == (c.flush_second ? 0u : 1u));
      auto series = store->SelectSeries("t", {}, kBase, kBase + 10);
      REQUIRE(series.ok());
      CHECK(series->size() == 2);
      // New blocks after reopening do not collide with old ones.
      REQUIRE(store->Flush().ok());
      REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + 4, "c4"}})}, nullptr).ok());
      REQUIRE(store->Flush().ok());
      auto all = ReadAll(store.get(), "t", labels, kBase, kBase + 10);
      CHECK(all.size() == (c.flush_second ? 6u : 5u));
      CHECK(all.back() == Got{kBase + 4, "c4"});
    }
  }
}

TEST_CASE("entries survive the process dying without closing the store", "[durability]") {
  TempDir dir;
  Labels labels = L({{"app", "crash"}});
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    auto r = Store::Open(TestOptions(dir.path()));
    if (!r.ok()) _exit(2);
    for (int i = 0; i < 100; ++i) {
      if (!(*r)->Push("t", {MakeStream(labels, {{kBase + i, "line" + std::to_string(i)}})},
                      nullptr)
               .ok()) {
        _exit(3);
      }
      if (i == 49 && !(*r)->Flush().ok()) _exit(4);
    }
    _exit(0);  // no destructors: like kill -9 after the last acknowledged push
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  auto store = OpenStore(TestOptions(dir.path()));
  auto got = ReadAll(store.get(), "t", labels, kBase, kBase + 1000);
  REQUIRE(got.size() == 100);
  for (int i = 0; i < 100; ++i) CHECK(got[i] == Got{kBase + i, "line" + std::to_string(i)});
}

TEST_CASE("a corrupt block on disk is reported by the iterator", "[durability]") {
  TempDir dir;
  Labels labels = L({{"app", "rot"}});
  {
    auto store = OpenStore(TestOptions(dir.path()));
    REQUIRE(store->Push("t", {MakeStream(labels, {{kBase, "good"}, {kBase + 1, "data"}})},
                        nullptr)
                .ok());
    REQUIRE(store->Flush().ok());
  }
  {
    // Flip one byte of every block value behind the store's back.
    rocksdb::DBOptions opts;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
        {rocksdb::kDefaultColumnFamilyName, {}}, {"index", {}}, {"blocks", {}}, {"wal", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(opts, dir.path(), cfs, &handles, &db).ok());
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator({}, handles[2]));
    std::vector<std::pair<std::string, std::string>> rewrites;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string v = it->value().ToString();
      v[v.size() / 2] ^= 0x20;
      rewrites.emplace_back(it->key().ToString(), v);
    }
    it.reset();
    REQUIRE(!rewrites.empty());
    for (auto& [k, v] : rewrites) REQUIRE(db->Put({}, handles[2], k, v).ok());
    for (auto* h : handles) REQUIRE(db->DestroyColumnFamilyHandle(h).ok());
    delete db;
  }
  auto store = OpenStore(TestOptions(dir.path()));
  for (Direction d : {Direction::kForward, Direction::kBackward}) {
    Status st;
    auto got = ReadAll(store.get(), "t", labels, kBase, kBase + 10, d, &st);
    CHECK(got.empty());
    CHECK(st.code() == StatusCode::kCorruption);
  }
  // The index still answers without reading blocks.
  auto stats = store->Stats("t", {}, kBase, kBase + 10);
  REQUIRE(stats.ok());
  REQUIRE(stats->size() == 1);
  CHECK((*stats)[0].entries == 2);
}

TEST_CASE("the background cutter persists old heads", "[durability]") {
  TempDir dir;
  FakeClock clock(kBase);
  StoreOptions o = TestOptions(dir.path());
  o.clock = &clock;
  o.background_flush = true;
  o.head_max_age_ns = 1'000'000'000;
  auto store = OpenStore(o);
  Labels labels = L({{"app", "age"}});
  REQUIRE(store->Push("t", {MakeStream(labels, {{kBase, "x"}})}, nullptr).ok());
  CHECK(store->Metrics().head_streams == 1);
  clock.Advance(2'000'000'000);
  for (int i = 0; i < 100 && store->Metrics().blocks == 0; ++i) usleep(20'000);
  CHECK(store->Metrics().blocks == 1);
  CHECK(store->Metrics().head_streams == 0);
  CHECK(store->Metrics().head_bytes == 0);
  CHECK(ReadAll(store.get(), "t", labels, kBase, kBase + 1) == std::vector<Got>{{kBase, "x"}});
}

TEST_CASE("the head size limit cuts every stream", "[durability]") {
  TempDir dir;
  StoreOptions o = TestOptions(dir.path());
  o.head_max_bytes = 10'000;
  auto store = OpenStore(o);
  for (int i = 0; i < 50; ++i) {
    Labels labels = L({{"n", std::to_string(i)}});
    REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + i, std::string(300, 'x')}})}, nullptr)
                .ok());
  }
  StoreMetrics m = store->Metrics();
  CHECK(m.head_bytes <= 10'000);
  CHECK(m.blocks > 0);
  auto series = store->SelectSeries("t", {}, kBase, kBase + 100);
  REQUIRE(series.ok());
  CHECK(series->size() == 50);
}

}  // namespace
}  // namespace fenrir::storage
