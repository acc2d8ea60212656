// Metric evaluation throughput over the conformance dataset (94,590 lines in 59 streams):
// count_over_time and sum by (system) (rate(...)), plus a log query merge.
// The argument: 0 = no memory accounting, 1 = a 512 MiB query memory budget charged as the
// engine does (query/eval/memory_budget.h), to measure what the accounting costs.
//
// The store is in memory and pipelines are minimal (count / bytes extractors), so this
// measures the engine itself: the k-way merge of streams, the per-series windows and the step
// loop, not decompression or parsing.
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "../tests/query/engine_fakes.h"
#include "query/eval/log_query.h"
#include "query/eval/memory_budget.h"
#include "query/eval/metric_query.h"
#include "query/syntax/parser.h"

using namespace fenrir;

namespace {

constexpr int64_t kStart = 1793491200LL * 1'000'000'000;  // 2026-11-01T00:00:00Z
constexpr int64_t kEnd = kStart + 7200LL * 1'000'000'000;
constexpr int64_t kMinute = 60'000'000'000;

struct Dataset {
  testing::FakeStore store;
  size_t lines = 0;
  Dataset() {
    gzFile f = gzopen("/work/shared/conformance/dataset.jsonl.gz", "rb");
    if (f == nullptr) return;
    std::string buf;
    char chunk[1 << 16];
    int n;
    while ((n = gzread(f, chunk, sizeof(chunk))) > 0) buf.append(chunk, n);
    gzclose(f);
    std::istringstream in(buf);
    std::string line;
    std::vector<storage::PushStream> streams;
    while (std::getline(in, line)) {
      auto body = nlohmann::json::parse(line);
      for (const auto& s : body["streams"]) {
        storage::PushStream ps;
        std::vector<storage::Label> lbs;
        for (auto& [k, v] : s["stream"].items()) lbs.push_back({k, v.get<std::string>()});
        ps.labels = storage::Labels(std::move(lbs));
        for (const auto& v : s["values"]) {
          ps.entries.push_back({std::stoll(v[0].get<std::string>()), v[1].get<std::string>(), {}});
          ++lines;
        }
        streams.push_back(std::move(ps));
      }
    }
    storage::PushResult r;
    (void)store.Push("bench", streams, &r);
  }
};

Dataset& Data() {
  static Dataset d;
  return d;
}

void RunMetric(benchmark::State& state, const std::string& q) {
  Dataset& d = Data();
  uint64_t lines = 0;
  for (auto _ : state) {
    auto expr = query::ParseExpr(q);
    query::QueryStats stats;
    auto ctx = testing::MakeContext(&d.store, kStart, kEnd, kMinute, &stats);
    query::MemoryBudget budget(512ULL << 20, nullptr);
    if (state.range(0) == 1) ctx.memory = &budget;
    auto r = query::RunMetricQuery(ctx, *expr, query::EngineLimits{});
    if (!r.ok()) {
      state.SkipWithError(r.status().message().c_str());
      return;
    }
    lines += stats.lines_processed;
    benchmark::DoNotOptimize(r->series.size());
  }
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(lines), benchmark::Counter::kIsRate);
}

void BM_CountOverTime(benchmark::State& s) {
  RunMetric(s, R"(count_over_time({job="loghub"}[5m]))");
}
void BM_SumByRate(benchmark::State& s) {
  RunMetric(s, R"(sum by (system) (rate({job="loghub"}[1m])))");
}
void BM_SumByRateLongWindow(benchmark::State& s) {
  RunMetric(s, R"(sum by (system) (rate({job="loghub"}[1h])))");
}
// Not additive-only: the generic evaluator (merge heap and per-series windows).
void BM_CountOverTimeGeneric(benchmark::State& s) {
  RunMetric(s, R"(count_over_time({job="loghub"} | decolorize [5m]))");
}
void BM_BytesOverTimeAllStreams(benchmark::State& s) {
  RunMetric(s, R"(sum(bytes_over_time({job=~".+"}[5m])))");
}

void BM_LogMergeBackward(benchmark::State& state) {
  Dataset& d = Data();
  query::LogSelector sel;
  sel.matchers = {testing::Re("job", ".+")};
  for (auto _ : state) {
    auto ctx = testing::MakeContext(&d.store, kStart, kEnd, 0);
    query::MemoryBudget budget(512ULL << 20, nullptr);
    if (state.range(0) == 1) ctx.memory = &budget;
    auto pipeline = ctx.build_pipeline(sel.stages);
    query::LogQueryOptions o;
    o.from_ns = kStart;
    o.through_ns = kEnd;
    o.limit = 5000;
    auto r = query::RunLogQuery(ctx, sel, **pipeline, o);
    benchmark::DoNotOptimize(r->size());
  }
}

BENCHMARK(BM_CountOverTime)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SumByRate)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SumByRateLongWindow)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CountOverTimeGeneric)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BytesOverTimeAllStreams)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LogMergeBackward)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
