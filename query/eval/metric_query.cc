#include "query/eval/metric_query.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "query/eval/step_evaluator.h"

namespace fenrir::query {
namespace {

Status SeriesLimitError(uint32_t max) {
  return Status::InvalidArgument("maximum of series (" + std::to_string(max) +
                                 ") reached for a single query");
}

// True when sort or sort_desc appears anywhere: then an instant vector keeps their order.
bool Sortable(const Expr& expr) {
  if (const auto* v = std::get_if<VectorAggregation>(&expr.node)) {
    return v->op == VectorOp::kSort || v->op == VectorOp::kSortDesc || Sortable(*v->inner);
  }
  if (const auto* b = std::get_if<BinaryExpr>(&expr.node)) {
    return Sortable(*b->lhs) || Sortable(*b->rhs);
  }
  if (const auto* l = std::get_if<LabelReplaceExpr>(&expr.node)) return Sortable(*l->inner);
  return false;
}

// A literal or vector(x) over a range: one unlabelled series with a point per step.
QueryResult ConstantMatrix(const EvalContext& ctx, double value) {
  QueryResult r;
  r.type = QueryResult::Type::kMatrix;
  OutSeries& s = r.series.emplace_back();
  for (int64_t t = ctx.start_ns; t <= ctx.end_ns; t += ctx.step_ns) {
    s.points.push_back(Point{t / 1'000'000, value});
  }
  return r;
}

}  // namespace

Result<QueryResult> RunMetricQuery(const EvalContext& ctx, Expr& expr,
                                   const EngineLimits& limits) {
  const bool instant = ctx.step_ns == 0;
  if (auto constant = ConstantValue(expr)) {
    if (!instant) return ConstantMatrix(ctx, *constant);
    QueryResult r;
    r.type = QueryResult::Type::kScalar;
    r.scalar = Point{ctx.start_ns / 1'000'000, *constant};
    return r;
  }
  if (const auto* vec = std::get_if<VectorExpr>(&expr.node)) {
    if (!instant) return ConstantMatrix(ctx, vec->value);
    QueryResult r;
    r.type = QueryResult::Type::kVector;
    r.series.push_back(OutSeries{storage::Labels(), {Point{ctx.start_ns / 1'000'000, vec->value}}});
    return r;
  }

  auto evaluator = BuildStepEvaluator(expr, ctx);
  if (!evaluator.ok()) return evaluator.status();
  StepEvaluator& ev = **evaluator;

  QueryResult result;
  Vector vec;
  int64_t ts = 0;
  bool more = ev.Next(&ts, &vec);
  FENRIR_RETURN_IF_ERROR(ev.status());
  if (vec.size() > limits.max_query_series) return SeriesLimitError(limits.max_query_series);

  if (instant) {
    result.type = QueryResult::Type::kVector;
    if (!Sortable(expr)) {
      std::sort(vec.begin(), vec.end(),
                [](const Sample& a, const Sample& b) { return a.metric < b.metric; });
    }
    for (auto& s : vec) {
      result.series.push_back(OutSeries{std::move(s.metric), {Point{ts, s.value}}});
    }
    return result;
  }

  result.type = QueryResult::Type::kMatrix;
  std::map<storage::Labels, std::vector<Point>> series;
  // The matrix being assembled: points, and each series' labels (map key, then result copy).
  MemoryGauge matrix(ctx.memory);
  uint64_t matrix_bytes = 0;
  while (more) {
    for (auto& s : vec) {
      auto [it, inserted] = series.try_emplace(s.metric);
      if (inserted) matrix_bytes += 2 * LabelsBytes(s.metric) + kMapNodeBytes + sizeof(OutSeries);
      // A vector doubles as it grows: count its capacity.
      if (it->second.size() == it->second.capacity()) {
        matrix_bytes += (it->second.capacity() > 0 ? it->second.capacity() : 1) * sizeof(Point);
      }
      it->second.push_back(Point{ts, s.value});
    }
    FENRIR_RETURN_IF_ERROR(matrix.Set(matrix_bytes));
    if (series.size() > limits.max_query_series) return SeriesLimitError(limits.max_query_series);
    FENRIR_RETURN_IF_ERROR(ctx.CheckDeadline());
    more = ev.Next(&ts, &vec);
  }
  FENRIR_RETURN_IF_ERROR(ev.status());
  result.series.reserve(series.size());
  for (auto& [labels, points] : series) {
    result.series.push_back(OutSeries{labels, std::move(points)});
  }
  return result;
}

}  // namespace fenrir::query
