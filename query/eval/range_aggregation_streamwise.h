#pragma once
// A faster evaluator for the additive range aggregations (count_over_time, rate, bytes_over_time,
// bytes_rate) whose pipeline holds only line filters: the output series of a stream is then
// fixed, so each stream is read once, on its own, and its samples land in per-step sums through
// a difference array (a sample at ts counts in every step whose window (t - range, t] holds
// it). No merge heap, no per-sample windows; streams are split between two threads.
// Results equal the generic evaluator's (range_aggregation.h).

#include <memory>

#include "query/syntax/ast.h"
#include "query/eval/eval_context.h"
#include "query/eval/step_evaluator.h"
#include "base/status.h"

namespace fenrir::query {

// nullptr (and OK) when `aggregation` does not qualify or would need too much memory; the
// caller then uses the generic evaluator. `aggregation` and `ctx` must outlive the evaluator.
Result<std::unique_ptr<StepEvaluator>> NewStreamwiseRangeEvaluator(
    const EvalContext& ctx, const RangeAggregation& aggregation);

}  // namespace fenrir::query
