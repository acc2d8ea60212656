// Store throughput on real log lines (Loghub): push (lines/s, MB/s) and scan back.
// Lines come from $FENRIR_LOGHUB_DIR, else <source>/../shared/data/loghub or
// /work/shared/data/loghub; the benchmarks skip when none exists.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "storage/block_codec.h"
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

// Block codec alone on Loghub, shaped like the end-to-end set: each stream cycles through one
// system's lines in file order, ~1.08 s apart, cut at 1 MiB raw (range(4) != 0: ~13 KB blocks,
// the 10,000-stream set). Args: format version (1, 2), zstd level, page KiB, filter bits per
// trigram, small blocks, first/last page KiB. Reports encoded bytes per line, and encode / decode CPU per line.
void BM_BlockCodec(benchmark::State& state) {
  const Corpus& c = LoadCorpus();
  if (c.total_lines == 0) {
    state.SkipWithError("loghub corpus not found (set FENRIR_LOGHUB_DIR)");
    return;
  }
  const bool v1 = state.range(0) == 1;
  BlockEncodeOptions o;
  o.zstd_level = static_cast<int>(state.range(1));
  o.page_bytes = static_cast<size_t>(state.range(2)) << 10;
  o.filter_bits_per_trigram = static_cast<int>(state.range(3));
  o.edge_page_bytes = static_cast<size_t>(state.range(5)) << 10;
  const size_t target = state.range(4) ? 13 << 10 : 1 << 20;
  // Blocks: per system, lines from offset 0 cycling until the target size (several blocks).
  std::vector<std::vector<BlockEntryRef>> blocks;
  for (size_t f = 0; f < c.lines.size(); ++f) {
    const auto& lines = c.lines[f];
    if (lines.empty()) continue;
    size_t k = 0;
    for (int b = 0; b < (state.range(4) ? 20 : 2); ++b) {
      std::vector<BlockEntryRef> refs;
      size_t bytes = 0;
      while (bytes < target) {
        const std::string& l = lines[k % lines.size()];
        refs.push_back({kBase + static_cast<int64_t>(k) * 1'080'000'000LL, l, nullptr});
        bytes += l.size();
        ++k;
      }
      blocks.push_back(std::move(refs));
    }
  }
  size_t lines = 0, encoded = 0;
  std::vector<std::string> out(blocks.size());
  for (auto _ : state) {
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (v1) {
        EncodeBlockV1(blocks[i], o.zstd_level, &out[i], nullptr);
      } else {
        EncodeBlock(blocks[i], o, &out[i], nullptr);
      }
      lines += blocks[i].size();
      encoded += out[i].size();
    }
  }
  state.counters["B_per_line"] = static_cast<double>(encoded) / static_cast<double>(lines);
  state.counters["encode_ns_per_line"] = benchmark::Counter(
      static_cast<double>(lines), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  // Decode cost, timed outside the benchmark loop (CPU clock of this thread).
  auto cpu = [] {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
  };
  size_t decoded = 0;
  double t0 = cpu();
  for (int r = 0; r < 3; ++r) {
    for (const std::string& b : out) {
      DecodedBlock d;
      if (!DecodeBlock(b, &d).ok()) state.SkipWithError("decode failed");
      decoded += d.size();
    }
  }
  double t1 = cpu();
  for (int r = 0; r < 3; ++r) {
    for (const std::string& b : out) {
      DecodedBlock d;
      if (!DecodeBlock(b, &d, true).ok()) state.SkipWithError("decode failed");
    }
  }
  double t2 = cpu();
  state.counters["decode_ns_per_line"] = (t1 - t0) / static_cast<double>(decoded);
  state.counters["columns_ns_per_line"] = (t2 - t1) / static_cast<double>(decoded);
}
BENCHMARK(BM_BlockCodec)
    ->Args({1, 1, 0, 10, 0, 0})
    ->Args({2, 1, 64, 10, 0, 0})
    ->Args({2, 1, 128, 10, 0, 0})
    ->Args({2, 1, 256, 10, 0, 0})
    ->Args({2, 3, 64, 10, 0, 0})
    ->Args({2, 3, 128, 10, 0, 0})
    ->Args({2, 3, 256, 10, 0, 0})
    ->Args({2, 1, 128, 5, 0, 0})
    ->Args({2, 3, 128, 5, 0, 0})
    ->Args({1, 1, 0, 10, 1, 0})
    ->Args({2, 1, 128, 10, 1, 0})
    ->Args({2, 1, 128, 5, 1, 0})
    ->Args({2, 3, 128, 5, 1, 0})
    ->Args({2, 1, 128, 0, 1, 0})
    ->Args({2, 3, 128, 0, 1, 0})
    ->Args({2, 6, 128, 0, 1, 0})
    ->Args({2, 1, 128, 0, 0, 0})
    ->Args({2, 1, 1024, 10, 0, 128})
    ->Args({2, 1, 1024, 10, 0, 64})
    ->Args({2, 1, 512, 10, 0, 64})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
