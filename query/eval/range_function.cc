#include "query/eval/range_function.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace fenrir::query {
namespace {

double Seconds(int64_t ns) { return static_cast<double>(ns) / 1e9; }

double Sum(const Window& w) {
  double sum = 0;
  for (const auto& p : w) sum += p.value;
  return sum;
}

double Avg(const Window& w) {
  double mean = 0, count = 0;
  for (const auto& p : w) {
    count++;
    if (std::isinf(mean)) {
      if (std::isinf(p.value) && (mean > 0) == (p.value > 0)) continue;
      if (!std::isinf(p.value) && !std::isnan(p.value)) continue;
    }
    mean += p.value / count - mean / count;
  }
  return mean;
}

double Stdvar(const Window& w) {
  double aux = 0, count = 0, mean = 0;
  for (const auto& p : w) {
    count++;
    double delta = p.value - mean;
    mean += delta / count;
    aux += delta * (p.value - mean);
  }
  return aux / count;
}

// Prometheus' extrapolatedRate as Loki 2.9 calls it: sample times in ns, range start in ms.
double ExtrapolatedCounterRate(const Window& w, int64_t range_ns) {
  if (w.size() < 2) return 0;
  const TimedValue& first = w.front();
  const TimedValue& last = w.back();
  const int64_t range_ms = range_ns / 1'000'000;
  const int64_t range_start = first.timestamp_ns - range_ms;
  const int64_t range_end = last.timestamp_ns;
  double result = last.value - first.value;
  double last_value = 0;
  for (const auto& p : w) {
    if (p.value < last_value) result += last_value;
    last_value = p.value;
  }
  double to_start = static_cast<double>(first.timestamp_ns - range_start) / 1000;
  double to_end = static_cast<double>(range_end - last.timestamp_ns) / 1000;
  double sampled = static_cast<double>(last.timestamp_ns - first.timestamp_ns) / 1000;
  double avg_between = sampled / static_cast<double>(w.size() - 1);
  if (result > 0 && first.value >= 0) {
    double to_zero = sampled * (first.value / result);
    if (to_zero < to_start) to_start = to_zero;
  }
  double threshold = avg_between * 1.1;
  double extrapolate_to = sampled;
  extrapolate_to += to_start < threshold ? to_start : avg_between / 2;
  extrapolate_to += to_end < threshold ? to_end : avg_between / 2;
  result = result * (extrapolate_to / sampled);
  return result / Seconds(range_ns);
}

}  // namespace

double Quantile(double q, std::vector<double>* values) {
  if (values->empty()) return NAN;
  if (q < 0) return -INFINITY;
  if (q > 1) return INFINITY;
  std::sort(values->begin(), values->end(), [](double a, double b) {
    if (std::isnan(a)) return !std::isnan(b);
    return a < b;
  });
  const double n = static_cast<double>(values->size());
  const double rank = q * (n - 1);
  const double lower = std::max(0.0, std::floor(rank));
  const double upper = std::min(n - 1, lower + 1);
  const double weight = rank - std::floor(rank);
  return (*values)[static_cast<size_t>(lower)] * (1 - weight) +
         (*values)[static_cast<size_t>(upper)] * weight;
}

double ApplyRangeFunction(const RangeFunctionSpec& spec, const Window& w) {
  switch (spec.op) {
    case RangeOp::kCountOverTime:
      return static_cast<double>(w.size());
    case RangeOp::kRate:
      if (!spec.unwrap) return static_cast<double>(w.size()) / Seconds(spec.range_ns);
      return Sum(w) / Seconds(spec.range_ns);
    case RangeOp::kRateCounter:
      return ExtrapolatedCounterRate(w, spec.range_ns);
    case RangeOp::kBytesRate:
      return Sum(w) / Seconds(spec.range_ns);
    case RangeOp::kBytesOverTime:
    case RangeOp::kSumOverTime:
      return Sum(w);
    case RangeOp::kAvgOverTime:
      return Avg(w);
    case RangeOp::kMaxOverTime: {
      double m = w.front().value;
      for (const auto& p : w) {
        if (p.value > m || std::isnan(m)) m = p.value;
      }
      return m;
    }
    case RangeOp::kMinOverTime: {
      double m = w.front().value;
      for (const auto& p : w) {
        if (p.value < m || std::isnan(m)) m = p.value;
      }
      return m;
    }
    case RangeOp::kStdvarOverTime:
      return Stdvar(w);
    case RangeOp::kStddevOverTime:
      return std::sqrt(Stdvar(w));
    case RangeOp::kQuantileOverTime: {
      std::vector<double> values;
      values.reserve(w.size());
      for (const auto& p : w) values.push_back(p.value);
      return Quantile(spec.param, &values);
    }
    case RangeOp::kFirstOverTime:
      return w.front().value;
    case RangeOp::kLastOverTime:
      return w.back().value;
    case RangeOp::kAbsentOverTime:
      return 1;
  }
  return NAN;
}

}  // namespace fenrir::query
