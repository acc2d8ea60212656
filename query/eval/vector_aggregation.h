#pragma once
// Vector aggregations (sum, avg, min, max, count, stddev, stdvar, topk, bottomk, sort,
// sort_desc) with Loki's label rules: `by` keeps only the listed labels, `without` drops the
// listed ones and __name__; topk / bottomk / sort keep each sample's own labels.

#include <cstdint>
#include <memory>

#include "query/syntax/ast.h"
#include "query/eval/memory_budget.h"
#include "query/eval/step_evaluator.h"
#include "query/eval/value_types.h"

namespace fenrir::query {

struct VectorAggregationSpec {
  VectorOp op = VectorOp::kSum;
  Grouping grouping;  // no grouping written = by ()
  int64_t k = 0;      // topk / bottomk
};

// One step. Groups come out in label order; topk / bottomk / sort_desc list a group's samples
// from the largest value, bottomk / sort from the smallest (NaN last in both).
Vector AggregateVector(const VectorAggregationSpec& spec, const Vector& in);

// The labels of the group `metric` belongs to.
storage::Labels GroupLabels(const Grouping& grouping, const storage::Labels& metric);

// `budget` (may be null) is charged each step's groups and output.
std::unique_ptr<StepEvaluator> NewVectorAggregationEvaluator(VectorAggregationSpec spec,
                                                             std::unique_ptr<StepEvaluator> inner,
                                                             MemoryBudget* budget = nullptr);

}  // namespace fenrir::query
