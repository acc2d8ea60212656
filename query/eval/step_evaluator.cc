#include "query/eval/step_evaluator.h"

#include <type_traits>

#include "query/eval/binary_op.h"
#include "query/eval/label_replace.h"
#include "query/eval/range_aggregation.h"
#include "query/eval/vector_aggregation.h"

namespace fenrir::query {
namespace {

// vector(x): one unlabelled sample per step, stepping in milliseconds as Loki does.
class VectorLiteralEvaluator : public StepEvaluator {
 public:
  VectorLiteralEvaluator(double value, const EvalContext& ctx)
      : value_(value),
        step_ms_(ctx.step_ns / 1'000'000 > 0 ? ctx.step_ns / 1'000'000 : 1),
        end_ms_(ctx.end_ns / 1'000'000),
        current_ms_(ctx.start_ns / 1'000'000 - step_ms_) {}

  bool Next(int64_t* ts_ms, Vector* out) override {
    out->clear();
    current_ms_ += step_ms_;
    if (current_ms_ > end_ms_) return false;
    *ts_ms = current_ms_;
    out->push_back(Sample{storage::Labels(), value_});
    return true;
  }
  Status status() const override { return Status::OK(); }

 private:
  double value_;
  int64_t step_ms_, end_ms_, current_ms_;
};

// Loki lets a sum push its grouping into the range aggregation it wraps directly, so labels
// are reduced at the source.
bool CanPushGrouping(VectorOp vec, RangeOp range) {
  if (vec != VectorOp::kSum) return false;
  switch (range) {
    case RangeOp::kBytesOverTime: case RangeOp::kBytesRate: case RangeOp::kSumOverTime:
    case RangeOp::kRate: case RangeOp::kCountOverTime:
      return true;
    default:
      return false;
  }
}

Result<std::unique_ptr<StepEvaluator>> Build(Expr& expr, const EvalContext& ctx) {
  using Ptr = std::unique_ptr<StepEvaluator>;
  if (ConstantValue(expr)) {
    return Status::InvalidArgument("unexpected literal: a scalar cannot be evaluated per step");
  }
  return std::visit(
      [&ctx](auto& node) -> Result<Ptr> {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, RangeAggregation>) {
          return NewRangeAggregationEvaluator(ctx, node);
        } else if constexpr (std::is_same_v<T, VectorAggregation>) {
          if (auto* range = std::get_if<RangeAggregation>(&node.inner->node)) {
            if (!range->grouping && CanPushGrouping(node.op, range->op)) {
              range->grouping = node.grouping.value_or(Grouping{});
            }
          }
          auto inner = Build(*node.inner, ctx);
          if (!inner.ok()) return inner.status();
          VectorAggregationSpec spec;
          spec.op = node.op;
          spec.grouping = node.grouping.value_or(Grouping{});
          spec.k = node.param.value_or(0);
          return NewVectorAggregationEvaluator(std::move(spec), std::move(*inner), ctx.memory);
        } else if constexpr (std::is_same_v<T, BinaryExpr>) {
          auto lit_l = ConstantValue(*node.lhs);
          auto lit_r = ConstantValue(*node.rhs);
          if ((lit_l || lit_r) && IsSetOperator(node.op)) {
            return Status::InvalidArgument(
                std::string("parse error : unexpected literal for ") + (lit_l ? "left" : "right") +
                " leg of logical/set binary operation (" + std::string(Name(node.op)) + ")");
          }
          if (lit_l || lit_r) {
            auto other = Build(lit_l ? *node.rhs : *node.lhs, ctx);
            if (!other.ok()) return other.status();
            return NewLiteralBinaryEvaluator(node, lit_l ? *lit_l : *lit_r, lit_l.has_value(),
                                             std::move(*other), ctx.memory);
          }
          auto lhs = Build(*node.lhs, ctx);
          if (!lhs.ok()) return lhs.status();
          auto rhs = Build(*node.rhs, ctx);
          if (!rhs.ok()) return rhs.status();
          return NewBinaryEvaluator(node, std::move(*lhs), std::move(*rhs), ctx.memory);
        } else if constexpr (std::is_same_v<T, VectorExpr>) {
          return Ptr(new VectorLiteralEvaluator(node.value, ctx));
        } else if constexpr (std::is_same_v<T, LabelReplaceExpr>) {
          auto replacer = LabelReplacer::Make(node);
          if (!replacer.ok()) return replacer.status();
          auto inner = Build(*node.inner, ctx);
          if (!inner.ok()) return inner.status();
          return NewLabelReplaceEvaluator(std::move(*replacer), std::move(*inner));
        } else {
          return Status::InvalidArgument("a log query cannot be evaluated as a metric query");
        }
      },
      expr.node);
}

}  // namespace

std::optional<double> ConstantValue(const Expr& expr) {
  if (const auto* lit = std::get_if<LiteralExpr>(&expr.node)) return lit->value;
  if (const auto* bin = std::get_if<BinaryExpr>(&expr.node)) {
    if (IsSetOperator(bin->op)) return std::nullopt;
    auto l = ConstantValue(*bin->lhs);
    if (!l) return std::nullopt;
    auto r = ConstantValue(*bin->rhs);
    if (!r) return std::nullopt;
    return ScalarBinary(bin->op, *l, *r);
  }
  return std::nullopt;
}

Result<std::unique_ptr<StepEvaluator>> BuildStepEvaluator(Expr& expr, const EvalContext& ctx) {
  return Build(expr, ctx);
}

}  // namespace fenrir::query
