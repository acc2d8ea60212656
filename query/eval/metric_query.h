#pragma once
// Metric queries: runs the step evaluator tree over every step and assembles Loki's result
// types (matrix for range queries, vector or scalar for instant ones), enforcing the series limit.

#include "query/syntax/ast.h"
#include "query/engine.h"
#include "query/eval/eval_context.h"
#include "base/status.h"

namespace fenrir::query {

// REQUIRES: !expr.IsLogQuery(). ctx.step_ns == 0 means an instant query at ctx.start_ns.
Result<QueryResult> RunMetricQuery(const EvalContext& ctx, Expr& expr, const EngineLimits& limits);

}  // namespace fenrir::query
