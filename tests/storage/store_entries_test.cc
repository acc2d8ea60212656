// Push and read back: directions, limits, windows, out-of-order entries, duplicates, and the
// merge of head and persisted blocks.

#include <catch2/catch.hpp>

#include <algorithm>

#include "storage/store.h"
#include "test_util.h"

namespace fenrir::storage {
namespace {

using testing::Drain;
using testing::Got;
using testing::L;
using testing::MakeStream;
using testing::ReadAll;
using testing::TempDir;
using testing::TestOptions;

constexpr int64_t kBase = 1'700'000'000'000'000'000;  // 2023-11-14

std::unique_ptr<Store> OpenStore(const StoreOptions& o) {
  auto r = Store::Open(o);
  REQUIRE(r.ok());
  return std::move(r).value();
}

// Expected answer computed from the pushed entries (stable: arrival order on ties).
std::vector<Got> Expect(std::vector<Got> pushed, int64_t from, int64_t through, Direction dir) {
  std::vector<Got> out;
  std::stable_sort(pushed.begin(), pushed.end(),
                   [](const Got& a, const Got& b) { return a.ts < b.ts; });
  for (auto& g : pushed) {
    if (g.ts >= from && g.ts < through) out.push_back(g);
  }
  if (dir == Direction::kBackward) std::reverse(out.begin(), out.end());
  return out;
}

TEST_CASE("entries come back in time order in both directions", "[store]") {
  // Out-of-order pushes with ties; read with and without flushes in between.
  std::vector<Got> pushed = {{kBase + 30, "c"}, {kBase + 10, "a"}, {kBase + 20, "b1"},
                             {kBase + 20, "b2"}, {kBase + 5, "z"},  {kBase + 20, "b3"},
                             {kBase + 40, "d"},  {kBase + 10, "a2"}};
  struct Mode {
    const char* name;
    int flush_after;  // flush after pushing this many entries (0: never)
  };
  for (Mode mode : {Mode{"head only", 0}, Mode{"blocks only", 8}, Mode{"head and blocks", 3},
                    Mode{"many blocks", 1}}) {
    SECTION(mode.name) {
      TempDir dir;
      auto store = OpenStore(TestOptions(dir.path()));
      Labels labels = L({{"app", "api"}});
      for (size_t i = 0; i < pushed.size(); ++i) {
        PushResult r;
        REQUIRE(store->Push("t", {MakeStream(labels, {{pushed[i].ts, pushed[i].line}})}, &r).ok());
        CHECK(r.accepted == 1);
        if (mode.flush_after && (i + 1) % mode.flush_after == 0) REQUIRE(store->Flush().ok());
      }
      struct Window {
        int64_t from, through;
      };
      for (Window w : {Window{kBase, kBase + 100}, Window{kBase + 10, kBase + 30},
                       Window{kBase + 20, kBase + 21}, Window{kBase + 41, kBase + 90},
                       Window{kBase + 30, kBase + 30}}) {
        for (Direction dir : {Direction::kForward, Direction::kBackward}) {
          INFO("window [" << w.from - kBase << ", " << w.through - kBase << ") dir "
                          << static_cast<int>(dir));
          Status st;
          CHECK(ReadAll(store.get(), "t", labels, w.from, w.through, dir, &st) ==
                Expect(pushed, w.from, w.through, dir));
          CHECK(st.ok());
        }
      }
    }
  }
}

TEST_CASE("a reader can stop early at a limit", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  Labels labels = L({{"job", "x"}});
  PushStream s;
  s.labels = labels;
  std::vector<Got> pushed;
  for (int i = 0; i < 1000; ++i) {
    s.entries.push_back({kBase + i, "line " + std::to_string(i), {}});
    pushed.push_back({kBase + i, "line " + std::to_string(i)});
  }
  REQUIRE(store->Push("t", {s}, nullptr).ok());
  REQUIRE(store->Flush().ok());
  SeriesRef ref{labels.Hash(), labels};
  for (Direction dir : {Direction::kForward, Direction::kBackward}) {
    auto it = store->Entries("t", ref, kBase, kBase + 1000, dir, {});
    auto got = Drain(it.get(), nullptr, 10);
    auto want = Expect(pushed, kBase, kBase + 1000, dir);
    want.resize(10);
    CHECK(got == want);
  }
}

TEST_CASE("duplicates in the head are dropped and counted", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  Labels labels = L({{"app", "dup"}});
  PushResult r;
  REQUIRE(store->Push("t", {MakeStream(labels, {{kBase, "x"}, {kBase, "x"}, {kBase, "y"}})}, &r)
              .ok());
  CHECK(r.accepted == 2);
  CHECK(r.duplicates == 1);
  CHECK(r.streams_created == 1);
  REQUIRE(store->Push("t", {MakeStream(labels, {{kBase, "y"}, {kBase + 1, "x"}})}, &r).ok());
  CHECK(r.accepted == 1);
  CHECK(r.duplicates == 1);
  CHECK(r.streams_created == 0);
  CHECK(ReadAll(store.get(), "t", labels, kBase, kBase + 10) ==
        std::vector<Got>{{kBase, "x"}, {kBase, "y"}, {kBase + 1, "x"}});
}

TEST_CASE("the same labels twice in one push are one stream", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  Labels labels = L({{"a", "1"}, {"b", "2"}});
  PushResult r;
  REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + 2, "p"}}),
                            MakeStream(labels, {{kBase + 1, "q"}, {kBase + 2, "p"}})},
                      &r)
              .ok());
  CHECK(r.accepted == 2);
  CHECK(r.duplicates == 1);
  CHECK(r.streams_created == 1);
  CHECK(ReadAll(store.get(), "t", labels, kBase, kBase + 10) ==
        std::vector<Got>{{kBase + 1, "q"}, {kBase + 2, "p"}});
}

TEST_CASE("structured metadata comes back from head and blocks", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  Labels labels = L({{"app", "md"}});
  PushStream s;
  s.labels = labels;
  s.entries.push_back({kBase + 1, "with", L({{"trace_id", "abc"}})});
  s.entries.push_back({kBase + 2, "without", {}});
  REQUIRE(store->Push("t", {s}, nullptr).ok());
  for (bool flushed : {false, true}) {
    if (flushed) REQUIRE(store->Flush().ok());
    INFO("flushed " << flushed);
    auto it = store->Entries("t", {labels.Hash(), labels}, kBase, kBase + 10,
                             Direction::kForward, {});
    REQUIRE(it->Valid());
    CHECK(it->Metadata() == L({{"trace_id", "abc"}}));
    it->Next();
    REQUIRE(it->Valid());
    CHECK(it->Metadata().empty());
    it->Next();
    CHECK(!it->Valid());
    CHECK(it->status().ok());
  }
}

TEST_CASE("entries spanning days are cut into per-day blocks", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  Labels labels = L({{"app", "days"}});
  const int64_t day = 86'400'000'000'000;
  std::vector<Got> pushed;
  for (int i = 0; i < 5; ++i) pushed.push_back({kBase + i * day / 2, "e" + std::to_string(i)});
  for (auto& g : pushed) REQUIRE(store->Push("t", {MakeStream(labels, {{g.ts, g.line}})}, nullptr).ok());
  REQUIRE(store->Flush().ok());
  CHECK(store->Metrics().blocks >= 3);
  CHECK(store->Metrics().head_streams == 0);
  for (Direction dir : {Direction::kForward, Direction::kBackward}) {
    CHECK(ReadAll(store.get(), "t", labels, kBase, kBase + 3 * day, dir) ==
          Expect(pushed, kBase, kBase + 3 * day, dir));
    CHECK(ReadAll(store.get(), "t", labels, kBase + day / 2, kBase + 3 * day / 2, dir) ==
          Expect(pushed, kBase + day / 2, kBase + 3 * day / 2, dir));
  }
}

TEST_CASE("blocks are cut at the target size", "[store]") {
  TempDir dir;
  StoreOptions o = TestOptions(dir.path());
  o.block_target_bytes = 4096;
  auto store = OpenStore(o);
  Labels labels = L({{"app", "size"}});
  std::vector<Got> pushed;
  for (int i = 0; i < 500; ++i) {
    pushed.push_back({kBase + (i * 7919) % 500, std::string(50, 'a' + i % 26) + std::to_string(i)});
    REQUIRE(store->Push("t", {MakeStream(labels, {{pushed.back().ts, pushed.back().line}})}, nullptr)
                .ok());
  }
  CHECK(store->Metrics().blocks >= 5);
  for (Direction dir : {Direction::kForward, Direction::kBackward}) {
    CHECK(ReadAll(store.get(), "t", labels, kBase, kBase + 500, dir) ==
          Expect(pushed, kBase, kBase + 500, dir));
  }
}

TEST_CASE("unknown streams and empty ranges read as empty", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  Labels labels = L({{"app", "none"}});
  CHECK(ReadAll(store.get(), "t", labels, kBase, kBase + 10).empty());
  REQUIRE(store->Push("t", {MakeStream(labels, {{kBase, "x"}})}, nullptr).ok());
  CHECK(ReadAll(store.get(), "t", labels, kBase + 5, kBase).empty());
  CHECK(ReadAll(store.get(), "other", labels, kBase, kBase + 10).empty());
}

}  // namespace
}  // namespace fenrir::storage

namespace fenrir::storage {
namespace {

TEST_CASE("required literals skip blocks that cannot match", "[store]") {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  Labels labels = L({{"app", "needle"}});
  // Blocks below BlockEncodeOptions::filter_min_raw_bytes (32 KiB) carry no filter: pad lines.
  const std::string pad(20'000, '.');
  auto P = [&pad](const char* s) { return std::string(s) + pad; };
  // Block 1: only "alpha" lines; block 2: "beta" lines; head: one of each.
  REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + 1, P("alpha 1")}, {kBase + 2, P("alpha 2")}})},
                      nullptr)
              .ok());
  REQUIRE(store->Flush().ok());
  REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + 3, P("beta 3")}, {kBase + 4, P("beta 4")}})},
                      nullptr)
              .ok());
  REQUIRE(store->Flush().ok());
  REQUIRE(store->Push("t", {MakeStream(labels, {{kBase + 5, P("alpha 5")}, {kBase + 6, P("beta 6")}})},
                      nullptr)
              .ok());
  SeriesRef ref{labels.Hash(), labels};
  struct Case {
    std::vector<std::string> literals;
    std::vector<Got> want;
  };
  std::vector<Case> cases = {
      {{"beta"}, {{kBase + 3, P("beta 3")}, {kBase + 4, P("beta 4")}, {kBase + 5, P("alpha 5")},
                  {kBase + 6, P("beta 6")}}},
      {{"alpha"}, {{kBase + 1, P("alpha 1")}, {kBase + 2, P("alpha 2")}, {kBase + 5, P("alpha 5")},
                   {kBase + 6, P("beta 6")}}},
      {{"gamma"}, {{kBase + 5, P("alpha 5")}, {kBase + 6, P("beta 6")}}},  // the head is never skipped
      {{"a"}, {{kBase + 1, P("alpha 1")}, {kBase + 2, P("alpha 2")}, {kBase + 3, P("beta 3")},
               {kBase + 4, P("beta 4")}, {kBase + 5, P("alpha 5")}, {kBase + 6, P("beta 6")}}},
  };
  for (const auto& c : cases) {
    for (Direction d : {Direction::kForward, Direction::kBackward}) {
      INFO(c.literals[0] << " dir " << static_cast<int>(d));
      ScanHints hints;
      hints.required_literals = c.literals;
      auto it = store->Entries("t", ref, kBase, kBase + 10, d, hints);
      Status st;
      auto got = Drain(it.get(), &st);
      CHECK(st.ok());
      auto want = c.want;
      if (d == Direction::kBackward) std::reverse(want.begin(), want.end());
      CHECK(got == want);
    }
  }
}

}  // namespace
}  // namespace fenrir::storage
