// Store throughput on real log lines (Loghub): push (lines/s, MB/s) and scan back.
// Lines come from $FENRIR_LOGHUB_DIR, else <source>/../shared/data/loghub or
// /work/shared/data/loghub; the benchmarks skip when none exists.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "storage/store.h"

namespace fs = std::filesystem;
using namespace fenrir::storage;

namespace {

struct Corpus {
  std::vector<std::string> names;               // one stream per file
  std::vector<std::vector<std::string>> lines;  // lines per file
  size_t total_lines = 0;
  size_t total_bytes = 0;
};

const Corpus& LoadCorpus() {
  static const Corpus corpus = [] {
    Corpus c;
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("FENRIR_LOGHUB_DIR")) candidates.emplace_back(env);
    candidates.emplace_back(fs::path(FENRIR_SOURCE_DIR) / ".." / "shared/data/loghub");
    candidates.emplace_back(fs::path(FENRIR_SOURCE_DIR) / "../.." / "shared/data/loghub");
    candidates.emplace_back("/work/shared/data/loghub");
    for (const auto& dir : candidates) {
      std::error_code ec;
      if (!fs::is_directory(dir, ec)) continue;
      std::vector<fs::path> files;
      for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() == ".log") files.push_back(e.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& f : files) {
        std::ifstream in(f);
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) {
          c.total_bytes += line.size();
          lines.push_back(std::move(line));
        }
        c.total_lines += lines.size();
        c.names.push_back(f.stem().string());
        c.lines.push_back(std::move(lines));
      }
      if (c.total_lines > 0) break;
    }
    return c;
  }();
  return corpus;
}

std::string TempDir() {
  std::random_device rd;
  auto p = fs::temp_directory_path() / ("fenrir_store_bench_" + std::to_string(rd()));
  fs::create_directories(p);
  return p.string();
}

constexpr int64_t kBase = 1'700'000'000'000'000'000;

// Pushes the corpus `rounds` times in batches of `batch` lines per stream.
void PushCorpus(Store* store, const Corpus& c, int rounds, size_t batch, int64_t* ts_counter,
                benchmark::State* state) {
  for (int r = 0; r < rounds; ++r) {
    for (size_t f = 0; f < c.lines.size(); ++f) {
      const auto& lines = c.lines[f];
      for (size_t begin = 0; begin < lines.size(); begin += batch) {
        PushStream s;
        s.labels = Labels({Label{"job", c.names[f]}, Label{"env", "bench"}});
        size_t end = std::min(lines.size(), begin + batch);
        s.entries.reserve(end - begin);
        for (size_t i = begin; i < end; ++i) {
          s.entries.push_back(PushEntry{kBase + (*ts_counter)++ * 1000, lines[i], {}});
        }
        PushResult res;
        if (!store->Push("bench", {s}, &res).ok()) state->SkipWithError("push failed");
      }
    }
  }
}

void BM_Push(benchmark::State& state) {
  const Corpus& c = LoadCorpus();
  if (c.total_lines == 0) {
    state.SkipWithError("loghub corpus not found (set FENRIR_LOGHUB_DIR)");
    return;
  }
  const size_t batch = static_cast<size_t>(state.range(0));
  const bool sync = state.range(1) != 0;
  std::string dir = TempDir();
  StoreOptions o;
  o.dir = dir;
  o.sync_writes = sync;
  auto store = Store::Open(o);
  if (!store.ok()) {
    state.SkipWithError(store.status().message().c_str());
    return;
  }
  int64_t ts = 0;
  size_t lines = 0, bytes = 0;
  for (auto _ : state) {
    PushCorpus(store->get(), c, 1, batch, &ts, &state);
    lines += c.total_lines;
    bytes += c.total_bytes;
  }
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  StoreMetrics m = (*store)->Metrics();
  state.counters["blocks"] = static_cast<double>(m.blocks);
  store->reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_Push)->Args({100, 0})->Args({1000, 0})->Args({1000, 1})->Unit(benchmark::kMillisecond);

void BM_Scan(benchmark::State& state) {
  const Corpus& c = LoadCorpus();
  if (c.total_lines == 0) {
    state.SkipWithError("loghub corpus not found (set FENRIR_LOGHUB_DIR)");
    return;
  }
  const bool flushed = state.range(0) != 0;
  const Direction dir_kind = state.range(1) ? Direction::kBackward : Direction::kForward;
  // range(2): 0 = no hint, 1 = a literal found in no line (every block skipped by its filter).
  ScanHints hints;
  if (state.range(2)) hints.required_literals = {"needle-not-in-loghub"};
  std::string dir = TempDir();
  StoreOptions o;
  o.dir = dir;
  o.background_flush = false;
  o.block_target_bytes = 256 << 10;
  auto store = Store::Open(o);
  if (!store.ok()) {
    state.SkipWithError(store.status().message().c_str());
    return;
  }
  int64_t ts = 0;
  const int rounds = 8;
  PushCorpus(store->get(), c, rounds, 1000, &ts, &state);
  if (flushed && !(*store)->Flush().ok()) state.SkipWithError("flush failed");
  size_t lines = 0, bytes = 0, scanned = 0;
  for (auto _ : state) {
    scanned += c.total_bytes * rounds;
    auto series = (*store)->SelectSeries("bench", {}, kBase, kBase + ts * 1000 + 1);
    if (!series.ok()) state.SkipWithError("select failed");
    for (const auto& ref : *series) {
      auto it = (*store)->Entries("bench", ref, kBase, kBase + ts * 1000 + 1, dir_kind, hints);
      for (; it->Valid(); it->Next()) {
        bytes += it->Line().size();
        ++lines;
      }
      if (!it->status().ok()) state.SkipWithError("scan failed");
    }
  }
  state.counters["lines/s"] = benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
  // Bytes of the range scanned per second (lines returned may be fewer with a hint).
  state.SetBytesProcessed(static_cast<int64_t>(scanned));
  state.counters["returned_MB"] = static_cast<double>(bytes) / 1e6;
  StoreMetrics m = (*store)->Metrics();
  state.counters["disk_B_per_line"] =
      static_cast<double>(m.disk_bytes) / static_cast<double>(c.total_lines * rounds);
  store->reset();
  fs::remove_all(dir);
}
BENCHMARK(BM_Scan)
    ->Args({1, 0, 0})
    ->Args({1, 1, 0})
    ->Args({0, 0, 0})
    ->Args({1, 0, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
