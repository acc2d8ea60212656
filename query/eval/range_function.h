#pragma once
// The per-window functions of range aggregations (count_over_time, rate, quantile_over_time...),
// computed exactly as Loki 2.9 does, quirks included (rate_counter's extrapolation mixes
// nanosecond timestamps with millisecond ranges, as Loki's does).

#include <cstdint>
#include <deque>

#include "query/syntax/ast.h"

namespace fenrir::query {

struct TimedValue {
  int64_t timestamp_ns = 0;
  double value = 0;
};

using Window = std::deque<TimedValue>;

struct RangeFunctionSpec {
  RangeOp op = RangeOp::kCountOverTime;
  int64_t range_ns = 0;
  bool unwrap = false;  // rate over an unwrapped label sums values instead of counting lines
  double param = 0;     // quantile_over_time's φ
};

// REQUIRES: !window.empty()
double ApplyRangeFunction(const RangeFunctionSpec& spec, const Window& window);

// Loki's quantile: NaN for no values, -Inf / +Inf for φ < 0 / φ > 1, else linear interpolation.
// Sorts *values.
double Quantile(double q, std::vector<double>* values);

}  // namespace fenrir::query
