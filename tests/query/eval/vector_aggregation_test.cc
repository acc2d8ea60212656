// Vector aggregations: values, grouping label rules, topk/bottomk/sort ordering, NaN, empty input.
#include <catch2/catch.hpp>

#include <cmath>

#include "query/engine_fakes.h"
#include "query/eval/vector_aggregation.h"

using namespace fenrir;
using namespace fenrir::testing;
using query::Sample;
using query::Vector;
using query::VectorOp;

namespace {

Vector Input() {
  return {
      {L({{"app", "x"}, {"ns", "prod"}, {"pod", "1"}}), 1},
      {L({{"app", "x"}, {"ns", "prod"}, {"pod", "2"}}), 3},
      {L({{"app", "x"}, {"ns", "dev"}, {"pod", "3"}}), 10},
      {L({{"__name__", "m"}, {"app", "y"}, {"ns", "dev"}}), 6},
  };
}

query::VectorAggregationSpec Spec(VectorOp op, std::vector<std::string> by, bool without = false,
                                  int64_t k = 0) {
  query::VectorAggregationSpec s;
  s.op = op;
  s.grouping.without = without;
  s.grouping.labels = std::move(by);
  s.k = k;
  return s;
}

double ValueOf(const Vector& v, const storage::Labels& l) {
  for (const auto& s : v) {
    if (s.metric == l) return s.value;
  }
  return -12345;
}

}  // namespace

TEST_CASE("vector aggregations by ns") {
  struct Case {
    VectorOp op;
    double prod, dev;
  };
  std::vector<Case> cases = {
      {VectorOp::kSum, 4, 16},    {VectorOp::kAvg, 2, 8},     {VectorOp::kMin, 1, 6},
      {VectorOp::kMax, 3, 10},    {VectorOp::kCount, 2, 2},   {VectorOp::kStdvar, 1, 4},
      {VectorOp::kStddev, 1, 2},
  };
  for (const auto& c : cases) {
    INFO(query::Name(c.op));
    auto out = query::AggregateVector(Spec(c.op, {"ns"}), Input());
    REQUIRE(out.size() == 2);
    CHECK(ValueOf(out, L({{"ns", "prod"}})) == Approx(c.prod));
    CHECK(ValueOf(out, L({{"ns", "dev"}})) == Approx(c.dev));
  }
}

TEST_CASE("grouping label rules") {
  auto none = query::AggregateVector(Spec(VectorOp::kSum, {}), Input());
  REQUIRE(none.size() == 1);
  CHECK(none[0].metric.empty());
  CHECK(none[0].value == 20);
  // by keeps only listed labels that exist.
  auto by = query::AggregateVector(Spec(VectorOp::kSum, {"app", "missing"}), Input());
  CHECK(ValueOf(by, L({{"app", "x"}})) == 14);
  // without drops the listed labels and __name__.
  auto without = query::AggregateVector(Spec(VectorOp::kSum, {"pod"}, true), Input());
  REQUIRE(without.size() == 3);
  CHECK(ValueOf(without, L({{"app", "x"}, {"ns", "prod"}})) == 4);
  CHECK(ValueOf(without, L({{"app", "y"}, {"ns", "dev"}})) == 6);
}

TEST_CASE("empty input gives empty output") {
  for (auto op : {VectorOp::kSum, VectorOp::kCount, VectorOp::kTopK, VectorOp::kSort}) {
    CHECK(query::AggregateVector(Spec(op, {}, false, 2), {}).empty());
  }
}

TEST_CASE("topk and bottomk keep sample labels, per group, NaN last") {
  auto top = query::AggregateVector(Spec(VectorOp::kTopK, {}, false, 2), Input());
  REQUIRE(top.size() == 2);
  CHECK(top[0].value == 10);
  CHECK(top[1].value == 6);
  CHECK(top[1].metric.Has("__name__"));
  auto bottom = query::AggregateVector(Spec(VectorOp::kBottomK, {"ns"}, false, 1), Input());
  REQUIRE(bottom.size() == 2);
  CHECK(ValueOf(bottom, L({{"app", "x"}, {"ns", "prod"}, {"pod", "1"}})) == 1);
  CHECK(ValueOf(bottom, L({{"__name__", "m"}, {"app", "y"}, {"ns", "dev"}})) == 6);
  CHECK(query::AggregateVector(Spec(VectorOp::kTopK, {}, false, 0), Input()).empty());
  Vector nan = {{L({{"a", "1"}}), NAN}, {L({{"a", "2"}}), 1}, {L({{"a", "3"}}), 2}};
  auto t = query::AggregateVector(Spec(VectorOp::kTopK, {}, false, 2), nan);
  REQUIRE(t.size() == 2);
  CHECK(t[0].value == 2);
  CHECK(t[1].value == 1);
  auto b = query::AggregateVector(Spec(VectorOp::kBottomK, {}, false, 5), nan);
  REQUIRE(b.size() == 3);
  CHECK(b[0].value == 1);
  CHECK(std::isnan(b[2].value));
}

TEST_CASE("sort and sort_desc order by value") {
  auto asc = query::AggregateVector(Spec(VectorOp::kSort, {}), Input());
  auto desc = query::AggregateVector(Spec(VectorOp::kSortDesc, {}), Input());
  std::vector<double> a, d;
  for (const auto& s : asc) a.push_back(s.value);
  for (const auto& s : desc) d.push_back(s.value);
  CHECK(a == std::vector<double>{1, 3, 6, 10});
  CHECK(d == std::vector<double>{10, 6, 3, 1});
}

TEST_CASE("max and min skip a leading NaN") {
  Vector v = {{L({{"a", "1"}}), NAN}, {L({{"a", "2"}}), 4}, {L({{"a", "3"}}), 2}};
  CHECK(query::AggregateVector(Spec(VectorOp::kMax, {}), v)[0].value == 4);
  CHECK(query::AggregateVector(Spec(VectorOp::kMin, {}), v)[0].value == 2);
  CHECK(std::isnan(query::AggregateVector(Spec(VectorOp::kSum, {}), v)[0].value));
}
