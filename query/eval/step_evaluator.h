#pragma once
// Metric evaluation as a tree of step evaluators, one per expression node, each producing the
// instant vector of the next step on demand (Loki's StepEvaluator). Memory stays proportional
// to series x window: only range aggregations hold samples, and only those of their window.

#include <cstdint>
#include <memory>
#include <optional>

#include "query/syntax/ast.h"
#include "query/eval/eval_context.h"
#include "query/eval/value_types.h"
#include "base/status.h"

namespace fenrir::query {

// Not thread-safe.
class StepEvaluator {
 public:
  virtual ~StepEvaluator() = default;
  // Computes the next step into *out (replacing its contents) and its timestamp in ms.
  // Returns false after the last step or on an error; then status() tells which.
  virtual bool Next(int64_t* ts_ms, Vector* out) = 0;
  virtual Status status() const = 0;
};

// Compiles a metric expression. `expr` may be adjusted in place (Loki pushes a sum's grouping
// down into the range aggregation it wraps); it must outlive the evaluator, as must ctx.
// Steps run from ctx.start_ns to ctx.end_ns by ctx.step_ns (one step when step is 0).
Result<std::unique_ptr<StepEvaluator>> BuildStepEvaluator(Expr& expr, const EvalContext& ctx);

// The value of an expression made only of literals (1 + 2 * 3), folded as Loki's parser does;
// nullopt when the expression reads data.
std::optional<double> ConstantValue(const Expr& expr);

}  // namespace fenrir::query
