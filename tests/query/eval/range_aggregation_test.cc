// Range aggregations: the window functions, and which samples a [range] window at step t holds.
#include <catch2/catch.hpp>

#include <cmath>

#include "query/engine_fakes.h"
#include "query/eval/metric_query.h"
#include "query/eval/range_aggregation.h"
#include "query/eval/range_function.h"

using namespace fenrir;
using namespace fenrir::testing;
using query::RangeOp;

namespace {

query::Window W(std::vector<std::pair<int64_t, double>> pts) {
  query::Window w;
  for (auto [t, v] : pts) w.push_back({t * kSec, v});
  return w;
}

double Apply(RangeOp op, const query::Window& w, int64_t range = 10 * kSec, bool unwrap = false,
             double param = 0) {
  query::RangeFunctionSpec spec{op, range, unwrap, param};
  return query::ApplyRangeFunction(spec, w);
}

}  // namespace

TEST_CASE("range functions over one window") {
  auto w = W({{1, 2}, {2, 4}, {3, 4}, {4, 4}, {5, 5}, {6, 5}, {7, 7}, {8, 9}});
  struct Case {
    RangeOp op;
    bool unwrap;
    double param;
    double want;
  };
  std::vector<Case> cases = {
      {RangeOp::kCountOverTime, false, 0, 8},
      {RangeOp::kRate, false, 0, 0.8},
      {RangeOp::kRate, true, 0, 4.0},
      {RangeOp::kBytesOverTime, false, 0, 40},
      {RangeOp::kBytesRate, false, 0, 4},
      {RangeOp::kSumOverTime, true, 0, 40},
      {RangeOp::kAvgOverTime, true, 0, 5},
      {RangeOp::kMinOverTime, true, 0, 2},
      {RangeOp::kMaxOverTime, true, 0, 9},
      {RangeOp::kStdvarOverTime, true, 0, 4},
      {RangeOp::kStddevOverTime, true, 0, 2},
      {RangeOp::kQuantileOverTime, true, 0.5, 4.5},
      {RangeOp::kQuantileOverTime, true, 0.9, 7.6},
      {RangeOp::kQuantileOverTime, true, -1, -INFINITY},
      {RangeOp::kQuantileOverTime, true, 2, INFINITY},
      {RangeOp::kFirstOverTime, true, 0, 2},
      {RangeOp::kLastOverTime, true, 0, 9},
      {RangeOp::kAbsentOverTime, false, 0, 1},
  };
  for (const auto& c : cases) {
    INFO(query::Name(c.op) << " param " << c.param);
    CHECK(Apply(c.op, w, 10 * kSec, c.unwrap, c.param) == Approx(c.want));
  }
}

TEST_CASE("range functions handle NaN and Inf as Loki does") {
  CHECK(std::isnan(Apply(RangeOp::kMaxOverTime, W({{1, NAN}}))));
  CHECK(Apply(RangeOp::kMaxOverTime, W({{1, NAN}, {2, 3}})) == 3);
  CHECK(Apply(RangeOp::kMinOverTime, W({{1, NAN}, {2, 3}, {3, 1}})) == 1);
  CHECK(Apply(RangeOp::kAvgOverTime, W({{1, INFINITY}, {2, 3}})) == INFINITY);
  CHECK(std::isnan(Apply(RangeOp::kAvgOverTime, W({{1, INFINITY}, {2, -INFINITY}}))));
  CHECK(Apply(RangeOp::kSumOverTime, W({{1, INFINITY}, {2, 1}})) == INFINITY);
  CHECK(std::isnan(Apply(RangeOp::kQuantileOverTime, W({{1, NAN}, {2, NAN}}), 10, true, 0.5)));
  CHECK(Apply(RangeOp::kQuantileOverTime, W({{1, NAN}, {2, 1}, {3, 2}}), 10, true, 1) == 2);
}

TEST_CASE("rate_counter extrapolates as Loki 2.9 does") {
  // A counter rising 10 per second, sampled every second, with a reset in the middle.
  CHECK(Apply(RangeOp::kRateCounter, W({{1, 5}})) == 0);
  double v = Apply(RangeOp::kRateCounter, W({{1, 10}, {2, 20}, {3, 30}}), 10 * kSec);
  // Loki mixes ns timestamps with the ms range: durations are in µs, so the start gap (10 s as
  // "10000 ms / 1000") is tiny next to the sample spacing and is fully extrapolated.
  double sampled = 2e9 / 1000, avg = sampled / 2, to_start = 10000.0 / 1000;
  double to_zero = sampled * (10.0 / 20.0);
  to_start = std::min(to_start, to_zero);
  double want = 20 * ((sampled + to_start + 0) / sampled) / 10;
  (void)avg;
  CHECK(v == Approx(want));
  double reset = Apply(RangeOp::kRateCounter, W({{1, 10}, {2, 20}, {3, 5}}), 10 * kSec);
  CHECK(reset > 0);
}

namespace {

struct Store3 {
  FakeStore store;
  Store3() {
    // Entries at exactly 10s, 20s, 30s boundaries plus some in between.
    for (int64_t t : {5, 10, 15, 20, 30}) store.Add(L({{"job", "a"}}), t * kSec, "x");
    store.Add(L({{"job", "b"}}), 12 * kSec, "yy");
  }
};

std::map<int64_t, double> Points(const query::QueryResult& r, const storage::Labels& l) {
  std::map<int64_t, double> out;
  for (const auto& s : r.series) {
    if (s.metric == l) {
      for (const auto& p : s.points) out[p.timestamp_ms / 1000] = p.value;
    }
  }
  return out;
}

query::QueryResult Run(FakeStore* store, query::Expr e, int64_t start, int64_t end, int64_t step) {
  auto ctx = MakeContext(store, start, end, step);
  auto r = query::RunMetricQuery(ctx, e, query::EngineLimits{});
  REQUIRE(r.ok());
  return std::move(*r);
}

}  // namespace

TEST_CASE("window at step t holds samples in (t - range, t], store end exclusive") {
  Store3 s;
  auto r = Run(&s.store, RangeExpr(RangeOp::kCountOverTime, {Re("job", ".+")}, 10 * kSec),
               10 * kSec, 30 * kSec, 10 * kSec);
  CHECK(r.type == query::QueryResult::Type::kMatrix);
  // t=10: (0,10] = {5,10}; t=20: (10,20] = {15,20}; t=30: (20,30] but the store is read up to
  // end exclusive, so 30 is not seen (Loki reads [start-range, end)).
  CHECK(Points(r, L({{"job", "a"}})) == std::map<int64_t, double>{{10, 2}, {20, 2}});
  // Points without data are omitted.
  CHECK(Points(r, L({{"job", "b"}})) == std::map<int64_t, double>{{20, 1}});
}

TEST_CASE("window with offset reads earlier data and stamps the step time") {
  Store3 s;
  auto r = Run(&s.store, RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 10 * kSec,
                                   10 * kSec),
               20 * kSec, 40 * kSec, 10 * kSec);
  // t=20 -> (0,10]; t=30 -> (10,20]; t=40 -> (20,30) as 30 is the exclusive end.
  CHECK(Points(r, L({{"job", "a"}})) == std::map<int64_t, double>{{20, 2}, {30, 2}});
}

TEST_CASE("overlapping and sparse windows") {
  Store3 s;
  auto overlap = Run(&s.store, RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 20 * kSec),
                     10 * kSec, 31 * kSec, 5 * kSec);
  CHECK(Points(overlap, L({{"job", "a"}})) ==
        std::map<int64_t, double>{{10, 2}, {15, 3}, {20, 4}, {25, 3}, {30, 3}});
  auto sparse = Run(&s.store, RangeExpr(RangeOp::kCountOverTime, {Eq("job", "a")}, 2 * kSec),
                    10 * kSec, 31 * kSec, 5 * kSec);
  CHECK(Points(sparse, L({{"job", "a"}})) ==
        std::map<int64_t, double>{{10, 1}, {15, 1}, {20, 1}, {30, 1}});
}

TEST_CASE("instant metric query evaluates one window ending at the time") {
  Store3 s;
  auto r = Run(&s.store, RangeExpr(RangeOp::kBytesOverTime, {Re("job", ".+")}, 20 * kSec),
               21 * kSec, 21 * kSec, 0);
  CHECK(r.type == query::QueryResult::Type::kVector);
  REQUIRE(r.series.size() == 2);
  CHECK(r.series[0].metric == L({{"job", "a"}}));
  CHECK(r.series[0].points[0].value == 4);  // (1, 21] holds 5, 10, 15 and 20
  CHECK(r.series[0].points[0].timestamp_ms == 21000);
  CHECK(r.series[1].points[0].value == 2);
}

TEST_CASE("absent_over_time reports the equality matchers where nothing is found") {
  Store3 s;
  auto e = RangeExpr(RangeOp::kAbsentOverTime, {Eq("job", "a"), Eq("x", "1")}, 5 * kSec);
  auto r = Run(&s.store, std::move(e), 10 * kSec, 30 * kSec, 10 * kSec);
  REQUIRE(r.series.size() == 1);
  CHECK(r.series[0].metric == L({{"job", "a"}, {"x", "1"}}));
  CHECK(r.series[0].points.size() == 3);
  FakeStore one;
  one.Add(L({{"job", "a"}}), 20 * kSec, "x");
  auto r2 = Run(&one, RangeExpr(RangeOp::kAbsentOverTime, {Eq("job", "a")}, 5 * kSec), 10 * kSec,
                30 * kSec, 10 * kSec);
  REQUIRE(r2.series.size() == 1);
  CHECK(Points(r2, L({{"job", "a"}})) == std::map<int64_t, double>{{10, 1}, {30, 1}});
  CHECK(query::AbsentLabels({Eq("a", "1"), Re("a", "x"), Eq("b", "2")}) == L({{"b", "2"}}));
}

TEST_CASE("unwrap conversion errors fail a metric query unless filtered or grouped by") {
  FakeStore store;
  store.Add(L({{"job", "a"}}), 1 * kSec, "12");
  store.Add(L({{"job", "a"}}), 2 * kSec, "oops");
  auto ctx = MakeContext(&store, 5 * kSec, 5 * kSec, 0);
  auto e = RangeExpr(RangeOp::kSumOverTime, {Eq("job", "a")}, 10 * kSec, 0, true);
  auto r = query::RunMetricQuery(ctx, e, query::EngineLimits{});
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status().message(),
             Catch::StartsWith("pipeline error: 'SampleExtractionErr' for series: "
                               "'{__error__=\"SampleExtractionErr\", job=\"a\"}'."));
  auto grouped = VecAgg(query::VectorOp::kSum,
                        RangeExpr(RangeOp::kSumOverTime, {Eq("job", "a")}, 10 * kSec, 0, true),
                        query::Grouping{false, {"__error__"}});
  // The sum's grouping is pushed into the range aggregation, which then keeps the error.
  auto ok = query::RunMetricQuery(ctx, grouped, query::EngineLimits{});
  REQUIRE(ok.ok());
  REQUIRE(ok->series.size() == 2);
  CHECK(ok->series[0].metric.empty());
  CHECK(ok->series[0].points[0].value == 12);
  CHECK(ok->series[1].metric == L({{"__error__", "SampleExtractionErr"}}));
}
