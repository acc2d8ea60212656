#include "query/syntax/ast.h"

namespace fenrir::query {

std::string_view Name(RangeOp op) {
  switch (op) {
    case RangeOp::kCountOverTime: return "count_over_time";
    case RangeOp::kRate: return "rate";
    case RangeOp::kRateCounter: return "rate_counter";
    case RangeOp::kBytesOverTime: return "bytes_over_time";
    case RangeOp::kBytesRate: return "bytes_rate";
    case RangeOp::kAvgOverTime: return "avg_over_time";
    case RangeOp::kSumOverTime: return "sum_over_time";
    case RangeOp::kMinOverTime: return "min_over_time";
    case RangeOp::kMaxOverTime: return "max_over_time";
    case RangeOp::kStddevOverTime: return "stddev_over_time";
    case RangeOp::kStdvarOverTime: return "stdvar_over_time";
    case RangeOp::kQuantileOverTime: return "quantile_over_time";
    case RangeOp::kFirstOverTime: return "first_over_time";
    case RangeOp::kLastOverTime: return "last_over_time";
    case RangeOp::kAbsentOverTime: return "absent_over_time";
  }
  return "";
}

std::string_view Name(VectorOp op) {
  switch (op) {
    case VectorOp::kSum: return "sum";
    case VectorOp::kAvg: return "avg";
    case VectorOp::kMin: return "min";
    case VectorOp::kMax: return "max";
    case VectorOp::kCount: return "count";
    case VectorOp::kStddev: return "stddev";
    case VectorOp::kStdvar: return "stdvar";
    case VectorOp::kTopK: return "topk";
    case VectorOp::kBottomK: return "bottomk";
    case VectorOp::kSort: return "sort";
    case VectorOp::kSortDesc: return "sort_desc";
  }
  return "";
}

std::string_view Name(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr: return "or";
    case BinaryOp::kAnd: return "and";
    case BinaryOp::kUnless: return "unless";
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSub: return "-";
    case BinaryOp::kMul: return "*";
    case BinaryOp::kDiv: return "/";
    case BinaryOp::kMod: return "%";
    case BinaryOp::kPow: return "^";
    case BinaryOp::kEq: return "==";
    case BinaryOp::kNotEq: return "!=";
    case BinaryOp::kGt: return ">";
    case BinaryOp::kGte: return ">=";
    case BinaryOp::kLt: return "<";
    case BinaryOp::kLte: return "<=";
  }
  return "";
}

std::string_view Name(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNotEq: return "!=";
    case CompareOp::kRegex: return "=~";
    case CompareOp::kNotRegex: return "!~";
    case CompareOp::kGt: return ">";
    case CompareOp::kGte: return ">=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLte: return "<=";
    case CompareOp::kEqEq: return "==";
  }
  return "";
}

std::string_view Name(LineFilterOp op) {
  switch (op) {
    case LineFilterOp::kContains: return "|=";
    case LineFilterOp::kNotContains: return "!=";
    case LineFilterOp::kRegex: return "|~";
    case LineFilterOp::kNotRegex: return "!~";
    case LineFilterOp::kPattern: return "|>";
    case LineFilterOp::kNotPattern: return "!>";
  }
  return "";
}

}  // namespace fenrir::query
