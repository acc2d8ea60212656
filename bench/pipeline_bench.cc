// Per-line pipeline throughput: line filters (literal, regex, case-insensitive, ip) and the json /
// logfmt parsers on realistic lines. Reports bytes/s over a fixed corpus of lines.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "query/syntax/parser.h"
#include "query/log/pipeline.h"

namespace fenrir::query {
namespace {

std::vector<std::string> Corpus(int kind) {
  std::vector<std::string> lines;
  for (int i = 0; i < 1000; ++i) {
    std::string n = std::to_string(i);
    switch (kind) {
      case 0:  // plain text (sshd-like)
        lines.push_back("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31." +
                        std::to_string(i % 256) + (i % 50 == 0 ? " error: auth failed" : " port 3822" + n));
        break;
      case 1:  // json
        lines.push_back(R"({"level":"info","msg":"request completed","method":"GET","path":"/api/videos/)" +
                        n + R"(","status":200,"duration_ms":21.14,"bytes":9315,"user":{"id":"u)" + n +
                        R"(","plan":"pro"},"trace_id":"bdcd040250bc1192"})");
        break;
      default:  // logfmt
        lines.push_back("level=info api=GetObject bucket=videos object=\"uploads/v" + n +
                        ".mp4\" size=1969888 duration=10.71ms status=200 remote=10.0.2.225");
    }
  }
  return lines;
}

void RunPipeline(benchmark::State& state, const char* query, int kind) {
  auto expr = ParseExpr(query);
  if (!expr.ok()) {
    state.SkipWithError(expr.status().message().c_str());
    return;
  }
  auto p = Pipeline::Build(std::get<LogSelector>(expr->node).stages);
  if (!p.ok()) {
    state.SkipWithError(p.status().message().c_str());
    return;
  }
  auto sp = (*p)->ForStream(storage::Labels(std::vector<storage::Label>{{"app", "bench"}}));
  auto lines = Corpus(kind);
  size_t bytes = 0;
  for (const auto& l : lines) bytes += l.size();
  storage::Labels none;
  for (auto _ : state) {
    size_t kept = 0;
    for (const auto& l : lines) kept += sp->Process(0, l, none);
    benchmark::DoNotOptimize(kept);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * lines.size()));
}

void BM_FilterLiteral(benchmark::State& s) { RunPipeline(s, R"({a="b"} |= "error")", 0); }
void BM_FilterNotLiteral(benchmark::State& s) { RunPipeline(s, R"({a="b"} != "webmaster")", 0); }
void BM_FilterRegexLiteral(benchmark::State& s) { RunPipeline(s, R"({a="b"} |~ "error|fail")", 0); }
void BM_FilterRegex(benchmark::State& s) { RunPipeline(s, R"({a="b"} |~ "port [0-9]+9$")", 0); }
void BM_FilterCaseInsensitive(benchmark::State& s) {
  RunPipeline(s, R"({a="b"} |~ "(?i)AUTH FAILED")", 0);
}
void BM_FilterIp(benchmark::State& s) { RunPipeline(s, R"({a="b"} |= ip("173.234.31.0/28"))", 0); }
void BM_Json(benchmark::State& s) { RunPipeline(s, R"({a="b"} | json)", 1); }
void BM_JsonFilter(benchmark::State& s) { RunPipeline(s, R"({a="b"} | json | status >= 500)", 1); }
void BM_JsonParams(benchmark::State& s) {
  RunPipeline(s, R"({a="b"} | json code="status", uid="user.id")", 1);
}
void BM_Logfmt(benchmark::State& s) { RunPipeline(s, R"({a="b"} | logfmt)", 2); }
void BM_LogfmtDuration(benchmark::State& s) {
  RunPipeline(s, R"({a="b"} | logfmt | duration > 50ms)", 2);
}

BENCHMARK(BM_FilterLiteral);
BENCHMARK(BM_FilterNotLiteral);
BENCHMARK(BM_FilterRegexLiteral);
BENCHMARK(BM_FilterRegex);
BENCHMARK(BM_FilterCaseInsensitive);
BENCHMARK(BM_FilterIp);
BENCHMARK(BM_Json);
BENCHMARK(BM_JsonFilter);
BENCHMARK(BM_JsonParams);
BENCHMARK(BM_Logfmt);
BENCHMARK(BM_LogfmtDuration);

}  // namespace
}  // namespace fenrir::query

BENCHMARK_MAIN();
