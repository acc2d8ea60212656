// The head memory budget: soft watermark cuts (largest first), hard limit rejections.

#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "storage/test_util.h"

namespace fenrir::storage {
namespace {

using testing::L;
using testing::MakeStream;
using testing::TempDir;
using testing::TestOptions;

constexpr int64_t kBase = 1'700'000'000'000'000'000;

std::unique_ptr<Store> OpenStore(const StoreOptions& o) {
  auto s = Store::Open(o);
  REQUIRE(s.ok());
  return std::move(*s);
}

// Entries of `n` lines of `len` bytes for one stream, timestamps from `ts`.
PushStream Lines(const Labels& labels, int64_t ts, int n, size_t len) {
  PushStream s;
  s.labels = labels;
  for (int i = 0; i < n; ++i) {
    std::string line = std::to_string(ts + i) + " ";
    line.resize(len, 'x');
    s.entries.push_back(PushEntry{ts + i, std::move(line), {}});
  }
  return s;
}

TEST_CASE("the head stays within its budget under concurrent pushes", "[budget]") {
  TempDir dir;
  StoreOptions o = TestOptions(dir.path());
  o.background_flush = true;
  o.head_max_age_ns = 3600LL * 1'000'000'000;  // only the budget cuts
  o.head_max_bytes = 4 << 20;
  o.block_target_bytes = 64 << 20;  // no inline cut by size
  auto store = OpenStore(o);

  std::atomic<uint64_t> accepted{0}, rejected{0}, peak{0}, other_errors{0};
  auto pusher = [&](int worker) {
    for (int round = 0; round < 150; ++round) {
      std::vector<PushStream> push;
      for (int s = 0; s < 5; ++s) {
        push.push_back(Lines(L({{"w", std::to_string(worker)}, {"s", std::to_string(s)}}),
                             kBase + round * 1000, 40, 200));
      }
      PushResult r;
      Status st = store->Push("t", push, &r);
      if (st.ok()) {
        accepted += r.accepted;
      } else if (st.code() == StatusCode::kResourceExhausted) {
        ++rejected;
        CHECK(st.message().find("head_max_bytes") != std::string::npos);
      } else {
        ++other_errors;
      }
      uint64_t h = store->Metrics().head_bytes;
      uint64_t p = peak.load();
      while (h > p && !peak.compare_exchange_weak(p, h)) {
      }
    }
  };
  std::thread a(pusher, 0), b(pusher, 1);
  a.join();
  b.join();

  CHECK(other_errors == 0);
  // 2 workers x 150 rounds x 200 lines x ~230 bytes = 14 MB pushed through a 4 MiB head.
  CHECK(accepted + rejected * 200 == 2 * 150 * 200);
  CHECK(accepted > 0);  // how many get through depends on the cutter's share of the CPU
  // Admission checks before appending, so concurrent pushes may pass the limit by what they
  // add (at most a line chunk per stream each).
  CHECK(peak <= o.head_max_bytes + (1 << 20));
  CHECK(store->Metrics().blocks > 0);
  // Everything acknowledged is readable.
  auto stats = store->Stats("t", {}, kBase, kBase + 1'000'000);
  REQUIRE(stats.ok());
  uint64_t entries = 0;
  for (const auto& s : *stats) entries += s.entries;
  CHECK(entries == accepted);
}

TEST_CASE("a push past the head budget is rejected whole", "[budget]") {
  TempDir dir;
  StoreOptions o = TestOptions(dir.path());
  o.background_flush = true;
  o.head_max_bytes = 1 << 20;
  auto store = OpenStore(o);
  Labels labels = L({{"app", "big"}});
  Status st = store->Push("t", {Lines(labels, kBase, 3000, 500)}, nullptr);  // 1.5 MB
  REQUIRE(st.code() == StatusCode::kResourceExhausted);
  CHECK(store->Metrics().head_bytes == 0);
  auto series = store->SelectSeries("t", {}, kBase, kBase + 10'000);
  REQUIRE(series.ok());
  CHECK(series->empty());
  // A push within the budget passes.
  CHECK(store->Push("t", {Lines(labels, kBase, 100, 500)}, nullptr).ok());
}

TEST_CASE("crossing the soft watermark cuts the largest heads first", "[budget]") {
  TempDir dir;
  StoreOptions o = TestOptions(dir.path());  // no cutter thread: pushes cut inline
  o.head_max_bytes = 4 << 20;
  o.head_cut_bytes = 1 << 20;
  auto store = OpenStore(o);
  for (int s = 0; s < 8; ++s) {
    REQUIRE(store->Push("t", {Lines(L({{"small", std::to_string(s)}}), kBase, 10, 100)}, nullptr)
                .ok());
  }
  CHECK(store->Metrics().head_streams == 8);
  // One large stream crosses the watermark: it alone is cut, the small heads stay.
  for (int i = 0; i < 12 && store->Metrics().blocks == 0; ++i) {
    REQUIRE(store->Push("t", {Lines(L({{"big", "1"}}), kBase + i * 1000, 1000, 100)}, nullptr)
                .ok());
  }
  StoreMetrics m = store->Metrics();
  CHECK(m.blocks == 1);
  CHECK(m.head_streams == 8);
  CHECK(m.head_bytes <= o.head_cut_bytes);
}

}  // namespace
}  // namespace fenrir::storage
