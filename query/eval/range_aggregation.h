#pragma once
// The step evaluator of a range aggregation (count_over_time({..}[5m]) ...): reads the merged
// samples once, forward, keeping per series only the samples of the current window.
//
// Window at step t (Loki): samples with t - offset - range < ts <= t - offset, read from the
// store over [start - range - offset, end - offset); the point is stamped t.

#include <memory>

#include "query/syntax/ast.h"
#include "query/eval/eval_context.h"
#include "query/eval/step_evaluator.h"
#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::query {

// `aggregation` and `ctx` must outlive the evaluator.
Result<std::unique_ptr<StepEvaluator>> NewRangeAggregationEvaluator(
    const EvalContext& ctx, const RangeAggregation& aggregation);

// The labels absent_over_time reports: the selector's equality matchers, minus every name that
// also has another matcher.
storage::Labels AbsentLabels(const std::vector<Matcher>& matchers);

// Loki's error for a sample whose series carries __error__ in a metric query.
Status PipelineError(const storage::Labels& metric);

}  // namespace fenrir::query
