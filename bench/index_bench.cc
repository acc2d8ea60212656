// The series index: label hashing (the stream fingerprint of every pushed stream), creating
// streams (registry entry plus the day's series and posting keys in the push's batch), and
// postings intersection in SelectSeries over 10,000 streams.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>
#include <string>

#include "storage/store.h"

namespace fs = std::filesystem;
using namespace fenrir::storage;

namespace {

constexpr int64_t kBase = 1'790'812'800'000'000'000;  // 2026-10-01T00:00Z

std::string TempDir() {
  std::random_device rd;
  auto p = fs::temp_directory_path() / ("fenrir_index_bench_" + std::to_string(rd()));
  fs::create_directories(p);
  return p.string();
}

// The label set loadgen gives stream i (tools/loadgen: job, stream, host, source).
Labels StreamLabels(const std::string& job, int i) {
  return Labels({Label{"host", "host-" + std::to_string(i % 10)}, Label{"job", job},
                 Label{"source", "src-" + std::to_string(i % 16)},
                 Label{"stream", "s" + std::to_string(i)}});
}

void BM_LabelsHash(benchmark::State& state) {
  std::vector<Labels> sets;
  for (int i = 0; i < 1024; ++i) sets.push_back(StreamLabels("bench", i));
  uint64_t sink = 0;
  size_t i = 0;
  for (auto _ : state) sink += sets[i++ & 1023].Hash();
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LabelsHash);

// Pushes one entry to each of range(0) new streams per push of 1,000 streams: the cost of
// creating a stream (fingerprint, registry insert, series + 4 posting keys, WAL record).
void BM_CreateStreams(benchmark::State& state) {
  const int total = static_cast<int>(state.range(0));
  int64_t created = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::string dir = TempDir();
    StoreOptions o;
    o.dir = dir;
    o.background_flush = false;
    auto store = Store::Open(o);
    if (!store.ok()) {
      state.SkipWithError(store.status().message().c_str());
      return;
    }
    std::vector<std::vector<PushStream>> pushes;
    for (int b = 0; b < total; b += 1000) {
      std::vector<PushStream> push;
      for (int i = b; i < std::min(total, b + 1000); ++i) {
        push.push_back(PushStream{StreamLabels("bench", i), {PushEntry{kBase + i, "line", {}}}});
      }
      pushes.push_back(std::move(push));
    }
    state.ResumeTiming();
    for (const auto& push : pushes) {
      PushResult r;
      if (!(*store)->Push("bench", push, &r).ok()) state.SkipWithError("push failed");
      created += static_cast<int64_t>(r.streams_created);
    }
    state.PauseTiming();
    store->reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["streams/s"] =
      benchmark::Counter(static_cast<double>(created), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CreateStreams)->Arg(10000)->Unit(benchmark::kMillisecond);

// SelectSeries over 10,000 streams: one matcher (one postings list), two equality matchers
// (intersection), and an equality plus a regex matcher (values scanned, then intersected).
void BM_SelectSeries(benchmark::State& state) {
  static const std::string dir = TempDir();
  static std::unique_ptr<Store> store = [] {
    StoreOptions o;
    o.dir = dir;
    o.background_flush = false;
    auto s = Store::Open(o);
    if (!s.ok()) return std::unique_ptr<Store>();
    for (int b = 0; b < 10000; b += 1000) {
      std::vector<PushStream> push;
      for (int i = b; i < b + 1000; ++i) {
        push.push_back(PushStream{StreamLabels("bench-hc", i), {PushEntry{kBase + i, "x", {}}}});
      }
      if (!(*s)->Push("bench", push, nullptr).ok()) return std::unique_ptr<Store>();
    }
    if (!(*s)->Flush().ok()) return std::unique_ptr<Store>();
    return std::move(*s);
  }();
  if (!store) {
    state.SkipWithError("store setup failed");
    return;
  }
  std::vector<Matcher> matchers;
  auto add = [&matchers](MatchType t, const char* n, const char* v) {
    auto m = Matcher::Make(t, n, v);
    if (m.ok()) matchers.push_back(std::move(*m));
  };
  add(MatchType::kEqual, "job", "bench-hc");
  if (state.range(0) >= 1) add(MatchType::kEqual, "host", "host-3");
  if (state.range(0) >= 2) add(MatchType::kRegex, "source", "src-1.*");
  size_t selected = 0;
  for (auto _ : state) {
    auto r = store->SelectSeries("bench", matchers, kBase, kBase + 86'400'000'000'000);
    if (!r.ok()) state.SkipWithError("select failed");
    selected = r->size();
  }
  state.counters["series"] = static_cast<double>(selected);
}
BENCHMARK(BM_SelectSeries)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
