// Several threads push and read at once; every acknowledged entry is read back exactly once
// and every read is sorted.

#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "storage/store.h"
#include "test_util.h"

namespace fenrir::storage {
namespace {

using testing::Drain;
using testing::L;
using testing::TempDir;
using testing::TestOptions;

constexpr int64_t kBase = 1'700'000'000'000'000'000;

TEST_CASE("concurrent pushes and reads", "[concurrency]") {
  TempDir dir;
  StoreOptions o = TestOptions(dir.path());
  o.block_target_bytes = 2048;  // many cuts while readers read
  o.background_flush = true;
  o.head_max_age_ns = 0;  // the cutter cuts on every pass as well
  auto opened = Store::Open(o);
  REQUIRE(opened.ok());
  Store* store = opened->get();

  constexpr int kWriters = 4;
  constexpr int kPushes = 300;
  constexpr int kStreams = 3;  // shared by all writers, so pushes contend per stream
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0};
  std::atomic<int> reads{0};

  auto labels_of = [](int s) { return L({{"app", "c"}, {"s", std::to_string(s)}}); };
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPushes; ++i) {
        std::vector<PushStream> streams;
        for (int s = 0; s < kStreams; ++s) {
          PushStream ps;
          ps.labels = labels_of((s + w) % kStreams);  // different lock orders per writer
          // Timestamps interleave across writers and go backwards sometimes.
          int64_t ts = kBase + (i * kWriters + w) * 10 - (i % 7 == 0 ? 500 : 0);
          ps.entries.push_back({ts, "w" + std::to_string(w) + " i" + std::to_string(i), {}});
          streams.push_back(std::move(ps));
        }
        PushResult r;
        if (!store->Push("t", streams, &r).ok() || r.accepted != kStreams) bad_reads++;
      }
    });
  }
  for (int rd = 0; rd < 2; ++rd) {
    threads.emplace_back([&, rd] {
      // At least one pass even when the writers finish first (a loaded machine).
      bool last = false;
      while (!last) {
        last = done.load();
        auto series = store->SelectSeries("t", {}, kBase - 1000, kBase + 1'000'000);
        if (!series.ok()) {
          bad_reads++;
          continue;
        }
        for (const auto& ref : *series) {
          Direction d = rd == 0 ? Direction::kForward : Direction::kBackward;
          auto it = store->Entries("t", ref, kBase - 1000, kBase + 1'000'000, d, {});
          Status st;
          auto got = Drain(it.get(), &st);
          if (!st.ok()) bad_reads++;
          for (size_t i = 1; i < got.size(); ++i) {
            bool ordered = d == Direction::kForward ? got[i - 1].ts <= got[i].ts
                                                    : got[i - 1].ts >= got[i].ts;
            if (!ordered) bad_reads++;
          }
          reads++;
        }
      }
    });
  }
  for (int w = 0; w < kWriters; ++w) threads[w].join();
  done = true;
  for (size_t i = kWriters; i < threads.size(); ++i) threads[i].join();
  CHECK(bad_reads == 0);
  CHECK(reads > 0);

  REQUIRE(store->Flush().ok());
  for (int s = 0; s < kStreams; ++s) {
    Labels labels = labels_of(s);
    auto it = store->Entries("t", {labels.Hash(), labels}, kBase - 1000, kBase + 1'000'000,
                             Direction::kForward, {});
    Status st;
    auto got = Drain(it.get(), &st);
    CHECK(st.ok());
    CHECK(got.size() == size_t{kWriters} * kPushes);
    std::set<std::string> unique;
    for (auto& g : got) unique.insert(g.line);
    CHECK(unique.size() == got.size());
  }
  StoreMetrics m = store->Metrics();
  CHECK(m.streams == kStreams);
  CHECK(m.head_streams == 0);
  CHECK(m.head_bytes == 0);
}

}  // namespace
}  // namespace fenrir::storage
