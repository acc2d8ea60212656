// The evaluators on trees the real parser builds (store and pipelines still faked).
#include <catch2/catch.hpp>

#include "query/engine_fakes.h"
#include "query/eval/metric_query.h"
#include "query/syntax/parser.h"

using namespace fenrir;
using namespace fenrir::testing;
using query::QueryResult;

namespace {

FakeStore Data() {
  FakeStore s;
  for (int pod = 0; pod < 3; ++pod) {
    for (int t = 1; t <= pod + 1; ++t) {
      s.Add(L({{"job", "a"}, {"ns", pod == 0 ? "x" : "y"}, {"pod", std::to_string(pod)}}),
            t * kSec, std::to_string(t * 10));
    }
  }
  return s;
}

Result<QueryResult> Run(FakeStore* s, const std::string& q, int64_t start, int64_t end,
                        int64_t step) {
  auto e = query::ParseExpr(q);
  if (!e.ok()) return e.status();
  auto ctx = MakeContext(s, start, end, step);
  return query::RunMetricQuery(ctx, *e, {});
}

double Only(const Result<QueryResult>& r) {
  REQUIRE(r.ok());
  if (r->type == QueryResult::Type::kScalar) return r->scalar.value;
  REQUIRE(r->series.size() == 1);
  return r->series[0].points[0].value;
}

}  // namespace

TEST_CASE("parsed metric queries evaluate") {
  FakeStore s = Data();
  const int64_t t = 5 * kSec;
  CHECK(Only(Run(&s, "1 + 2 * 3", t, t, 0)) == 7);
  CHECK(Only(Run(&s, "2 ^ 3 % 5", t, t, 0)) == 3);
  CHECK(Only(Run(&s, R"(sum(count_over_time({job="a"}[10s])))", t, t, 0)) == 6);
  CHECK(Only(Run(&s, R"(sum(count_over_time({job="a"}[10s])) * 2)", t, t, 0)) == 12);
  CHECK(Only(Run(&s, R"(count(count_over_time({job="a"}[10s])))", t, t, 0)) == 3);
  CHECK(Only(Run(&s, R"(max(sum_over_time({job="a"} | unwrap value [10s])))", t, t, 0)) == 60);
  CHECK(Only(Run(&s, R"(sum(count_over_time({job="a"}[10s])) > bool 100)", t, t, 0)) == 0);
  CHECK(Only(Run(&s, R"(vector(1) + vector(1))", t, t, 0)) == 2);
  auto by = Run(&s, R"(sum by (ns) (count_over_time({job="a"}[10s])))", t, t, 0);
  REQUIRE(by.ok());
  REQUIRE(by->series.size() == 2);
  CHECK(by->series[1].metric == L({{"ns", "y"}}));
  CHECK(by->series[1].points[0].value == 5);
  auto top = Run(&s, R"(topk(1, count_over_time({job="a"}[10s])))", t, t, 0);
  REQUIRE(top.ok());
  REQUIRE(top->series.size() == 1);
  CHECK(*top->series[0].metric.Get("pod") == "2");
  auto on = Run(&s,
                R"(sum by (ns, pod) (count_over_time({job="a"}[10s])) / on (ns) group_left sum by (ns) (count_over_time({job="a"}[10s])))",
                t, t, 0);
  REQUIRE(on.ok());
  REQUIRE(on->series.size() == 3);
  CHECK(on->series[2].points[0].value == Approx(0.6));
  auto lr = Run(&s,
                R"q(label_replace(sum by (pod) (count_over_time({job="a"}[10s])), "p", "pod-$1", "pod", "(.*)"))q",
                t, t, 0);
  REQUIRE(lr.ok());
  CHECK(*lr->series[0].metric.Get("p") == "pod-0");
  auto range = Run(&s, R"(sum(count_over_time({job="a"}[1s])))", kSec, 3 * kSec, kSec);
  REQUIRE(range.ok());
  REQUIRE(range->series.size() == 1);
  // t=3 would hold the entry at 3s, but the store is read up to the end exclusive (as Loki).
  REQUIRE(range->series[0].points.size() == 2);
  CHECK(range->series[0].points[0].value == 3);
  CHECK(range->series[0].points[1].value == 2);
}
