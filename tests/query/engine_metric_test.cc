// Metric query assembly: result types, literals, vector(), series limit, label_replace, deadline.
#include <catch2/catch.hpp>

#include <re2/re2.h>

#include "query/engine_fakes.h"
#include "query/eval/label_replace.h"
#include "query/eval/metric_query.h"

using namespace fenrir;
using namespace fenrir::testing;
using query::QueryResult;
using query::RangeOp;

namespace {

FakeStore ThreePods() {
  FakeStore s;
  for (int pod = 0; pod < 3; ++pod) {
    for (int t = 1; t <= pod + 1; ++t) {
      s.Add(L({{"job", "a"}, {"pod", std::to_string(pod)}}), t * kSec, "line");
    }
  }
  return s;
}

Result<QueryResult> Run(FakeStore* store, query::Expr& e, int64_t start, int64_t end, int64_t step,
                        query::EngineLimits limits = {}) {
  auto ctx = MakeContext(store, start, end, step);
  return query::RunMetricQuery(ctx, e, limits);
}

}  // namespace

TEST_CASE("a literal is a scalar when instant and a matrix over a range") {
  FakeStore s;
  auto e = query::Expr();
  e = Bin(query::BinaryOp::kAdd, Lit(1), Bin(query::BinaryOp::kMul, Lit(2), Lit(3)));
  auto instant = Run(&s, e, 60 * kSec, 60 * kSec, 0);
  REQUIRE(instant.ok());
  CHECK(instant->type == QueryResult::Type::kScalar);
  CHECK(instant->scalar.value == 7);
  CHECK(instant->scalar.timestamp_ms == 60000);
  auto range = Run(&s, e, 0, 60 * kSec, 30 * kSec);
  REQUIRE(range.ok());
  CHECK(range->type == QueryResult::Type::kMatrix);
  REQUIRE(range->series.size() == 1);
  CHECK(range->series[0].metric.empty());
  CHECK(range->series[0].points.size() == 3);
  CHECK(range->series[0].points[2].timestamp_ms == 60000);
}

TEST_CASE("vector(x) is an unlabelled vector, and combines with other vectors") {
  FakeStore s;
  query::Expr v;
  v.node = query::VectorExpr{2};
  auto instant = Run(&s, v, 10 * kSec, 10 * kSec, 0);
  REQUIRE(instant.ok());
  CHECK(instant->type == QueryResult::Type::kVector);
  CHECK(instant->series[0].points[0].value == 2);
  query::Expr v1, v2;
  v1.node = query::VectorExpr{1};
  v2.node = query::VectorExpr{1};
  auto sum = Bin(query::BinaryOp::kAdd, std::move(v1), std::move(v2));
  auto r = Run(&s, sum, 0, 20 * kSec, 10 * kSec);
  REQUIRE(r.ok());
  REQUIRE(r->series.size() == 1);
  CHECK(r->series[0].points.size() == 3);
  CHECK(r->series[0].points[0].value == 2);
}

TEST_CASE("matrix series are sorted by labels and vectors too unless sort is used") {
  FakeStore s = ThreePods();
  auto e = RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec);
  auto r = Run(&s, e, 5 * kSec, 6 * kSec, kSec);
  REQUIRE(r.ok());
  REQUIRE(r->series.size() == 3);
  CHECK(*r->series[0].metric.Get("pod") == "0");
  CHECK(*r->series[2].metric.Get("pod") == "2");
  CHECK(r->series[2].points.size() == 2);
  auto sorted = VecAgg(query::VectorOp::kSortDesc,
                       RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec));
  auto v = Run(&s, sorted, 5 * kSec, 5 * kSec, 0);
  REQUIRE(v.ok());
  REQUIRE(v->series.size() == 3);
  CHECK(v->series[0].points[0].value == 3);
  CHECK(v->series[2].points[0].value == 1);
}

TEST_CASE("sum pushes its grouping into the range aggregation") {
  FakeStore s = ThreePods();
  auto e = VecAgg(query::VectorOp::kSum,
                  RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec),
                  query::Grouping{false, {"job"}});
  auto r = Run(&s, e, 5 * kSec, 5 * kSec, 0);
  REQUIRE(r.ok());
  REQUIRE(r->series.size() == 1);
  CHECK(r->series[0].metric == L({{"job", "a"}}));
  CHECK(r->series[0].points[0].value == 6);
  auto& inner = std::get<query::RangeAggregation>(
      std::get<query::VectorAggregation>(e.node).inner->node);
  REQUIRE(inner.grouping.has_value());
  CHECK(inner.grouping->labels == std::vector<std::string>{"job"});
}

TEST_CASE("max_query_series limits the series of the answer") {
  FakeStore s = ThreePods();
  query::EngineLimits limits;
  limits.max_query_series = 2;
  auto e = RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec);
  auto r = Run(&s, e, 5 * kSec, 5 * kSec, 0, limits);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() == "maximum of series (2) reached for a single query");
  auto grown = RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, kSec);
  // Step 1s sees pods 0,1,2 at t=1; a window of 1s at t=2 sees pods 1,2, etc.
  auto r2 = Run(&s, grown, 1 * kSec, 3 * kSec, kSec, limits);
  REQUIRE_FALSE(r2.ok());
  auto e2 = VecAgg(query::VectorOp::kSum,
                   RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec));
  CHECK(Run(&s, e2, 5 * kSec, 5 * kSec, 0, limits).ok());
}

TEST_CASE("binary operation between two range aggregations over steps") {
  FakeStore s = ThreePods();
  auto e = Bin(query::BinaryOp::kDiv,
               VecAgg(query::VectorOp::kSum,
                      RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec),
                      query::Grouping{false, {"pod"}}),
               VecAgg(query::VectorOp::kSum,
                      RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec)),
               false);
  auto& m = std::get<query::BinaryExpr>(e.node).matching;
  m.specified = true;
  m.on = true;
  m.card = query::VectorMatching::Card::kManyToOne;
  auto r = Run(&s, e, 5 * kSec, 5 * kSec, 0);
  REQUIRE(r.ok());
  REQUIRE(r->series.size() == 3);
  CHECK(r->series[0].points[0].value == Approx(1.0 / 6));
  CHECK(r->series[2].points[0].value == Approx(0.5));
}

TEST_CASE("an expired deadline stops a metric query") {
  FakeStore s = ThreePods();
  auto e = RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec);
  auto ctx = MakeContext(&s, 0, 10 * kSec, kSec);
  ctx.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  auto r = query::RunMetricQuery(ctx, e, {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kDeadlineExceeded);
}

TEST_CASE("label_replace expands groups with an anchored regex") {
  struct Case {
    std::string dst, replacement, src, regex;
    storage::Labels in, want;
  };
  std::vector<Case> cases = {
      {"endpoint", "$1", "path", "/api/([a-z]+).*", L({{"path", "/api/videos/1"}}),
       L({{"endpoint", "videos"}, {"path", "/api/videos/1"}})},
      {"endpoint", "$1", "path", "api/([a-z]+)", L({{"path", "/api/videos"}}),
       L({{"path", "/api/videos"}})},  // anchored: no match, unchanged
      {"x", "${1}-$2", "v", "(a)(b)", L({{"v", "ab"}}), L({{"v", "ab"}, {"x", "a-b"}})},
      {"x", "$1x", "v", "(a)", L({{"v", "a"}}), L({{"v", "a"}})},  // $1x is group "1x": empty
      {"x", "$name!", "v", "(?P<name>a+)", L({{"v", "aa"}}), L({{"v", "aa"}, {"x", "aa!"}})},
      {"v", "", "v", "a", L({{"v", "a"}}), L({})},  // empty result deletes dst
      {"new", "c", "missing", "", L({{"v", "a"}}), L({{"new", "c"}, {"v", "a"}})},
      {"x", "$$1", "v", "(a)", L({{"v", "a"}}), L({{"v", "a"}, {"x", "$1"}})},
  };
  for (const auto& c : cases) {
    INFO(c.replacement << " " << c.regex);
    query::LabelReplaceExpr e;
    e.dst = c.dst;
    e.replacement = c.replacement;
    e.src = c.src;
    e.regex = c.regex;
    auto r = query::LabelReplacer::Make(e);
    REQUIRE(r.ok());
    CHECK((*r)->Apply(c.in) == c.want);
  }
  query::LabelReplaceExpr bad;
  bad.regex = "(";
  CHECK_FALSE(query::LabelReplacer::Make(bad).ok());
}
