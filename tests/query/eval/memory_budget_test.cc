// The query memory budget: the accountant itself, then queries of each kind that fail during
// evaluation past fenrir.max_query_memory_bytes and succeed within it, the process-wide pool,
// and Loki's max_query_bytes_read refusal from index stats.
#include <catch2/catch.hpp>

#include <string>

#include "query/eval/binary_op.h"
#include "query/eval/bytes_read_limit.h"
#include "query/engine.h"
#include "query/engine_fakes.h"
#include "query/eval/memory_budget.h"
#include "query/syntax/parser.h"
#include "query/eval/vector_aggregation.h"

using namespace fenrir;
using namespace fenrir::testing;
using query::MemoryBudget;
using query::MemoryGauge;
using query::QueryMemoryPool;

namespace {

bool IsMemoryError(const Status& st) {
  return st.code() == StatusCode::kInvalidArgument &&
         st.message().find("query would use too much memory") != std::string::npos &&
         st.message().find("fenrir.max_query_memory_bytes") != std::string::npos;
}

// `streams` streams of job="a", one 200-byte line per second for `seconds`.
void Fill(FakeStore* s, int streams, int seconds) {
  for (int i = 0; i < streams; ++i) {
    for (int t = 0; t < seconds; ++t) {
      s->Add(L({{"job", "a"}, {"pod", "pod-" + std::to_string(i)}}), (t + 1) * kSec,
             "pod " + std::to_string(i) + " " + std::string(200, 'x'));
    }
  }
}

query::QueryParams Range(std::string q, int64_t end_s, int64_t step_s, uint32_t limit = 100) {
  query::QueryParams p;
  p.tenant = "t";
  p.query = std::move(q);
  p.start_ns = 0;
  p.end_ns = end_s * kSec;
  p.step_ns = step_s * kSec;
  p.limit = limit;
  return p;
}

Result<query::QueryResult> RunWith(FakeStore* s, const query::QueryParams& p, uint64_t budget,
                                   uint64_t pool = 0) {
  query::EngineLimits limits;
  limits.max_query_series = 100000;
  limits.max_query_memory_bytes = budget;
  limits.max_total_query_memory_bytes = pool;
  return query::Engine(s, limits).Query(p);
}

// A step evaluator that yields the same vector `steps` times.
class FixedEvaluator : public query::StepEvaluator {
 public:
  FixedEvaluator(query::Vector v, int steps) : v_(std::move(v)), steps_(steps) {}
  bool Next(int64_t* ts, query::Vector* out) override {
    if (steps_-- <= 0) return false;
    *ts = 0;
    *out = v_;
    return true;
  }
  Status status() const override { return Status::OK(); }

 private:
  query::Vector v_;
  int steps_;
};

query::Vector Series(int n) {
  query::Vector v;
  for (int i = 0; i < n; ++i) {
    v.push_back({L({{"pod", "pod-" + std::to_string(i)}, {"path", std::string(40, 'p')}}), 1.0});
  }
  return v;
}

}  // namespace

TEST_CASE("memory budget: charges within the limit, fails past it and stays failed") {
  MemoryBudget b(1000, nullptr);
  CHECK(b.Charge(600).ok());
  b.Release(200);
  CHECK(b.used() == 400);
  CHECK(b.Charge(600).ok());  // exactly at the limit
  CHECK_FALSE(b.exceeded());
  Status st = b.Charge(1);
  CHECK(IsMemoryError(st));
  CHECK(b.exceeded());
  CHECK(st.message().find("limit 1000 bytes") != std::string::npos);
  b.Release(900);
  CHECK(IsMemoryError(b.Charge(1)));  // sticky: the query is being aborted
  CHECK(b.peak() >= 1001);
  MemoryBudget unlimited(0, nullptr);
  CHECK(unlimited.Charge(1ULL << 40).ok());
}

TEST_CASE("memory gauge: settles with the budget in chunks and releases when destroyed") {
  MemoryBudget b(0, nullptr);
  {
    MemoryGauge g(&b);
    CHECK(g.Add(1000).ok());
    CHECK(b.used() == 0);  // below a chunk: not yet told
    CHECK(g.Add(query::kMemoryChargeChunk).ok());
    CHECK(b.used() == query::kMemoryChargeChunk + 1000);
    CHECK(g.Set(10).ok());  // shrank by more than a chunk
    CHECK(b.used() == 10);
    CHECK(g.Add(5).ok());
    CHECK(g.Settle().ok());
    CHECK(b.used() == 15);
  }
  CHECK(b.used() == 0);
  MemoryGauge none(nullptr);
  CHECK(none.Add(1ULL << 40).ok());
}

TEST_CASE("memory pool: budgets share it; an exhausted pool is ResourceExhausted") {
  QueryMemoryPool pool(4 << 20);
  {
    MemoryBudget a(0, &pool), b(0, &pool);
    CHECK(a.Charge(3 << 20).ok());
    CHECK(pool.used() >= (3u << 20));
    Status st = b.Charge(2 << 20);
    CHECK(st.code() == StatusCode::kResourceExhausted);
    CHECK(st.message().rfind("too many outstanding requests", 0) == 0);
  }
  CHECK(pool.used() == 0);  // returned when the queries end
  MemoryBudget c(0, &pool);
  CHECK(c.Charge(3 << 20).ok());
}

TEST_CASE("log query: past the budget it fails while collecting, within it returns entries") {
  FakeStore s;
  Fill(&s, 50, 100);  // 5000 lines of ~210 bytes
  auto p = Range(R"({job="a"})", 200, 0, 5000);
  auto over = RunWith(&s, p, 256 << 10);
  REQUIRE_FALSE(over.ok());
  CHECK(IsMemoryError(over.status()));
  auto within = RunWith(&s, p, 64 << 20);
  REQUIRE(within.ok());
  size_t n = 0;
  for (const auto& st : within->streams) n += st.entries.size();
  CHECK(n == 5000);
  auto unlimited = RunWith(&s, p, 0);
  CHECK(unlimited.ok());
  // A small limit keeps a small result: the same data within a small budget.
  CHECK(RunWith(&s, Range(R"({job="a"})", 200, 0, 10), 256 << 10).ok());
}

TEST_CASE("range metric query: series x steps past the budget fail, fewer steps succeed") {
  FakeStore s;
  Fill(&s, 200, 60);
  // Streamwise (count only, no parser): per series a (steps+1) x 16-byte array.
  // Generic (a stage that is not a line filter): windows, then the matrix being assembled.
  for (const char* q : {R"(count_over_time({job="a"}[1h]))",
                        R"(count_over_time({job="a"} | decolorize [1h]))"}) {
    INFO(q);
    auto over = RunWith(&s, Range(q, 3600, 1), 2 << 20);  // 200 series x 3601 steps
    REQUIRE_FALSE(over.ok());
    CHECK(IsMemoryError(over.status()));
    auto within = RunWith(&s, Range(q, 3600, 60), 2 << 20);  // 61 steps
    REQUIRE(within.ok());
    CHECK(within->series.size() == 200);
  }
}

TEST_CASE("binary op: the matching tables and output are charged each step") {
  const query::Vector lhs = Series(2000), rhs = Series(2000);
  auto expr = query::ParseExpr(
      R"(count_over_time({a="b"}[1m]) / on (pod) count_over_time({a="b"}[1m]))");
  REQUIRE(expr.ok());
  const auto& bin = std::get<query::BinaryExpr>(expr->node);
  {
    MemoryBudget b(512 << 10, nullptr);
    auto ev = query::NewBinaryEvaluator(bin, std::make_unique<FixedEvaluator>(lhs, 3),
                                        std::make_unique<FixedEvaluator>(rhs, 3), &b);
    int64_t ts = 0;
    query::Vector out;
    CHECK_FALSE(ev->Next(&ts, &out));
    CHECK(IsMemoryError(ev->status()));
  }
  MemoryBudget b(64 << 20, nullptr);
  auto ev = query::NewBinaryEvaluator(bin, std::make_unique<FixedEvaluator>(lhs, 3),
                                      std::make_unique<FixedEvaluator>(rhs, 3), &b);
  int64_t ts = 0;
  query::Vector out;
  int steps = 0;
  while (ev->Next(&ts, &out)) {
    ++steps;
    CHECK(out.size() == 2000);
  }
  CHECK(ev->status().ok());
  CHECK(steps == 3);
  CHECK(b.used() > 0);  // the last step's tables are held until the evaluator goes
  ev.reset();
  CHECK(b.used() == 0);
}

TEST_CASE("binary op query through the engine fails past the budget, succeeds within it") {
  FakeStore s;
  Fill(&s, 300, 30);
  auto p = Range(R"(count_over_time({job="a"}[1m]) * on (pod) count_over_time({job="a"}[1m]))",
                 600, 1);
  auto over = RunWith(&s, p, 1 << 20);
  REQUIRE_FALSE(over.ok());
  CHECK(IsMemoryError(over.status()));
  auto within = RunWith(&s, p, 256 << 20);
  REQUIRE(within.ok());
  CHECK(within->series.size() == 300);
}

TEST_CASE("vector aggregation groups are charged each step") {
  query::VectorAggregationSpec spec;
  spec.op = query::VectorOp::kSum;
  spec.grouping.without = true;  // every sample its own group
  MemoryBudget small(64 << 10, nullptr);
  auto ev = query::NewVectorAggregationEvaluator(
      spec, std::make_unique<FixedEvaluator>(Series(2000), 2), &small);
  int64_t ts = 0;
  query::Vector out;
  CHECK_FALSE(ev->Next(&ts, &out));
  CHECK(IsMemoryError(ev->status()));
  MemoryBudget big(64 << 20, nullptr);
  ev = query::NewVectorAggregationEvaluator(
      spec, std::make_unique<FixedEvaluator>(Series(2000), 2), &big);
  CHECK(ev->Next(&ts, &out));
  CHECK(out.size() == 2000);
}

TEST_CASE("process-wide pool exhausted: the query fails with ResourceExhausted") {
  FakeStore s;
  Fill(&s, 200, 60);
  auto p = Range(R"(count_over_time({job="a"}[10m]))", 3600, 1);
  auto r = RunWith(&s, p, 0, 2 << 20);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kResourceExhausted);
  CHECK(r.status().message().find("too many outstanding requests") != std::string::npos);
  CHECK(RunWith(&s, Range(R"(count_over_time({job="a"}[10m]))", 3600, 60), 0, 2 << 20).ok());
}

namespace {

// FakeStore with index stats: every matching stream counts its line bytes in the range.
class StatsStore : public FakeStore {
 public:
  void Put(const storage::Labels& labels, int64_t ts, std::string line) {
    lines_[labels].push_back({ts, line.size()});
    Add(labels, ts, std::move(line));
  }
  Result<std::vector<storage::SeriesStats>> Stats(std::string_view,
                                                  const std::vector<storage::Matcher>& m,
                                                  int64_t from, int64_t through) override {
    std::vector<storage::SeriesStats> out;
    for (const auto& [labels, lines] : lines_) {
      if (!storage::MatchesAll(m, labels)) continue;
      storage::SeriesStats st;
      st.series.labels = labels;
      for (const auto& [ts, n] : lines) {
        if (ts >= from && ts < through) {
          st.bytes += n;
          st.entries++;
        }
      }
      if (st.entries > 0) out.push_back(st);
    }
    ++calls;
    return out;
  }
  int calls = 0;

 private:
  std::map<storage::Labels, std::vector<std::pair<int64_t, size_t>>> lines_;
};

}  // namespace

TEST_CASE("FormatIBytes writes sizes as Go's humanize.IBytes") {
  const std::vector<std::pair<uint64_t, std::string>> cases = {
      {0, "0 B"},          {9, "9 B"},           {10, "10 B"},
      {1000, "1000 B"},    {1023, "1023 B"},     {1024, "1.0 KiB"},
      {1536, "1.5 KiB"},   {10 * 1024, "10 KiB"}, {1048576, "1.0 MiB"},
      {1288490189, "1.2 GiB"}, {1ULL << 30, "1.0 GiB"}, {5ULL << 40, "5.0 TiB"},
  };
  for (const auto& [n, want] : cases) {
    INFO(n);
    CHECK(query::FormatIBytes(n) == want);
  }
}

TEST_CASE("max_query_bytes_read refuses before running, summing every selector's range") {
  StatsStore s;
  for (int t = 0; t < 100; ++t) {
    s.Put(L({{"job", "a"}}), (t + 1) * kSec, std::string(100, 'a'));  // 100 B a second
    s.Put(L({{"job", "b"}}), (t + 1) * kSec, std::string(100, 'b'));
  }
  query::EngineLimits limits;
  limits.max_query_bytes_read = 2500;
  query::Engine engine(&s, limits);
  // {job="a"} over [60s, 80s] (+30s log look-back): 51 lines = 5100 B.
  auto p = Range(R"({job="a"})", 80, 0);
  p.start_ns = 60 * kSec;
  auto r = engine.Query(p);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK(r.status().message() ==
        "the query would read too many bytes (query: 5.0 KiB, limit: 2.4 KiB); consider adding "
        "more specific stream selectors or reduce the time range of the query");
  // Metric: [10s] range before start, both legs of a binary op: 2 x 11 lines = 2200 B.
  auto m = Range(R"(count_over_time({job="a"}[10s]) + count_over_time({job="b"}[10s]))", 20, 10);
  m.start_ns = 20 * kSec;
  auto bytes = query::QueryBytesRead(&s, m, *query::ParseExpr(m.query));
  REQUIRE(bytes.ok());
  CHECK(*bytes == 2200);
  CHECK(engine.Query(m).ok());
  m.end_ns = 30 * kSec;  // 2 x 21 lines
  auto over = engine.Query(m);
  REQUIRE_FALSE(over.ok());
  CHECK(over.status().message().find("(query: 4.1 KiB, limit: 2.4 KiB)") != std::string::npos);
  // Unlimited: no stats asked.
  const int calls = s.calls;
  CHECK(query::Engine(&s, query::EngineLimits{}).Query(p).ok());
  CHECK(s.calls == calls);
}
