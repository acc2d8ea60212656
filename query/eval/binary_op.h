#pragma once
// Binary operators between vectors and scalars: arithmetic, comparisons (filtering, or 0/1 with
// `bool`), and / or / unless, with on / ignoring matching and group_left / group_right, as Loki
// 2.9 evaluates them (its error texts for ambiguous matches included).

#include <memory>
#include <optional>

#include "query/syntax/ast.h"
#include "query/eval/memory_budget.h"
#include "query/eval/step_evaluator.h"
#include "query/eval/value_types.h"
#include "base/status.h"

namespace fenrir::query {

bool IsComparison(BinaryOp op);
bool IsSetOperator(BinaryOp op);  // and, or, unless

// Loki's MergeBinOp on two values: nullopt when a filtering comparison is false. A true
// filtering comparison yields `left`. Division and modulo by zero give NaN.
std::optional<double> MergeValues(BinaryOp op, double left, double right, bool filter);

// Both operands literals (folded at parse time in Loki): comparisons give 1 or 0.
double ScalarBinary(BinaryOp op, double left, double right);

// A literal against every sample of a vector; `literal_left` when the literal is written first.
// Samples keep their labels.
Vector LiteralBinary(BinaryOp op, bool return_bool, double literal, bool literal_left,
                     const Vector& v);

// Two vectors matched by labels (VectorMatching). Errors are InvalidArgument with Loki's text.
Result<Vector> VectorBinary(const BinaryExpr& expr, const Vector& lhs, const Vector& rhs);

// `budget` (may be null) is charged each step's matching tables and output.
std::unique_ptr<StepEvaluator> NewBinaryEvaluator(const BinaryExpr& expr,
                                                  std::unique_ptr<StepEvaluator> lhs,
                                                  std::unique_ptr<StepEvaluator> rhs,
                                                  MemoryBudget* budget = nullptr);
std::unique_ptr<StepEvaluator> NewLiteralBinaryEvaluator(const BinaryExpr& expr, double literal,
                                                         bool literal_left,
                                                         std::unique_ptr<StepEvaluator> other,
                                                         MemoryBudget* budget = nullptr);

}  // namespace fenrir::query
