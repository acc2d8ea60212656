#include "query/eval/range_aggregation_streamwise.h"

#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <thread>
#include <variant>
#include <vector>

#include "query/eval/sample_source.h"

namespace fenrir::query {
namespace {

// Steps x output series the evaluator may hold (two 8-byte cells each).
constexpr int64_t kMaxCells = 8'000'000;

bool Qualifies(const RangeAggregation& agg) {
  switch (agg.op) {
    case RangeOp::kCountOverTime:
    case RangeOp::kRate:
    case RangeOp::kBytesOverTime:
    case RangeOp::kBytesRate:
      break;
    default:
      return false;
  }
  if (agg.range.unwrap) return false;
  for (const Stage& s : agg.range.selector.stages) {
    if (!std::holds_alternative<LineFilter>(s)) return false;
  }
  return true;
}

// Per output series: difference arrays over the steps of sample counts and value sums.
struct Series {
  std::vector<int64_t> count;
  std::vector<double> sum;
};
using SeriesMap = std::map<storage::Labels, Series>;

class StreamwiseEvaluator : public StepEvaluator {
 public:
  StreamwiseEvaluator(SeriesMap series, int64_t steps, int64_t first_ns, int64_t step_ns,
                      int64_t offset_ns, double divisor, std::unique_ptr<MemoryGauge> gauge)
      : steps_(steps), first_ns_(first_ns), step_ns_(step_ns), offset_ns_(offset_ns),
        divisor_(divisor), gauge_(std::move(gauge)) {
    for (auto& [labels, s] : series) {
      Out o{labels, std::move(s), 0, 0};
      out_.push_back(std::move(o));
    }
  }

  bool Next(int64_t* ts_ms, Vector* out) override {
    out->clear();
    if (k_ >= steps_) return false;
    const int64_t t = first_ns_ + k_ * step_ns_;
    *ts_ms = t / 1'000'000 + offset_ns_ / 1'000'000;
    for (Out& o : out_) {  // running sums of the difference arrays
      o.count += o.series.count[k_];
      o.sum += o.series.sum[k_];
      if (o.count > 0) out->push_back(Sample{o.labels, o.sum / divisor_});
    }
    ++k_;
    return true;
  }
  Status status() const override { return Status::OK(); }

 private:
  struct Out {
    storage::Labels labels;
    Series series;
    int64_t count;
    double sum;
  };
  const int64_t steps_, first_ns_, step_ns_, offset_ns_;
  const double divisor_;
  std::unique_ptr<MemoryGauge> gauge_;  // the arrays and labels held, and a step's vector
  std::vector<Out> out_;
  int64_t k_ = 0;
};

}  // namespace

Result<std::unique_ptr<StepEvaluator>> NewStreamwiseRangeEvaluator(const EvalContext& ctx,
                                                                   const RangeAggregation& agg) {
  if (!Qualifies(agg)) return std::unique_ptr<StepEvaluator>();
  const int64_t range = agg.range.range_ns;
  const int64_t offset = agg.range.offset_ns;
  const int64_t step = ctx.step_ns > 0 ? ctx.step_ns : 1;
  if (ctx.end_ns < ctx.start_ns || range <= 0) return std::unique_ptr<StepEvaluator>();
  const int64_t steps = (ctx.end_ns - ctx.start_ns) / step + 1;
  const int64_t first = ctx.start_ns - offset;  // window end of step 0 (before offset)
  const int64_t from = ctx.start_ns - range - offset, through = ctx.end_ns - offset;

  auto extractor = ctx.build_extractor(agg);
  if (!extractor.ok()) return extractor.status();
  auto series = ctx.store->SelectSeries(ctx.tenant, agg.range.selector.matchers, from, through);
  if (!series.ok()) return series.status();
  if (static_cast<int64_t>(series->size()) * (steps + 1) > kMaxCells) {
    return std::unique_ptr<StepEvaluator>();
  }
  const bool rate = agg.op == RangeOp::kRate || agg.op == RangeOp::kBytesRate;
  storage::ScanHints hints;
  hints.required_literals = (*extractor)->RequiredLiterals();
  // Without stages the samples are 1 or the line's size: no line is decompressed.
  const bool line_free = SamplesNeedNoLines(agg);
  hints.need_lines = !line_free;

  // Workers take streams from a shared cursor; each fills its own series map and stats.
  struct Worker {
    SeriesMap series;
    QueryStats stats;
    Status status;
  };
  const size_t n_workers = series->size() >= 2 ? 2 : 1;
  std::vector<Worker> workers(n_workers);
  std::deque<MemoryGauge> gauges;  // one per worker: its series' arrays and labels
  for (size_t i = 0; i < n_workers; ++i) gauges.emplace_back(ctx.memory);
  const uint64_t array_bytes =
      static_cast<uint64_t>(steps + 1) * (sizeof(int64_t) + sizeof(double));
  std::atomic<size_t> next{0};
  auto work = [&](Worker* w) {
    MemoryGauge& gauge = gauges[w - workers.data()];
    uint64_t reads = 0;
    for (size_t i = next++; i < series->size() && w->status.ok(); i = next++) {
      const storage::SeriesRef& ref = (*series)[i];
      auto it = ctx.store->Entries(ctx.tenant, ref, from, through, storage::Direction::kForward,
                                   hints);
      auto ex = (*extractor)->ForStream(ref.labels);
      Series* out = nullptr;
      for (; it->Valid(); it->Next()) {
        if ((++reads & 4095) == 0) {
          w->status = ctx.CheckDeadline();
          if (w->status.ok() && ctx.memory != nullptr && ctx.memory->exceeded()) {
            w->status = ctx.memory->Charge(0);  // the other worker ran out of budget
          }
          if (!w->status.ok()) return;
        }
        const int64_t ts = it->Timestamp();
        const std::string_view line = line_free ? std::string_view() : it->Line();
        const size_t line_size = line_free ? it->LineSize() : line.size();
        w->stats.lines_processed++;
        w->stats.bytes_processed += line_size;
        double v = 0;
        if (!ex->Process(ts, line, it->Metadata(), &v)) continue;
        if (line_free) v = LineFreeSample(agg.op, line_size);
        w->stats.post_filter_lines++;
        // The output series is fixed per stream (no stage sets labels) unless the entry
        // carries structured metadata, which joins the sample's labels.
        Series* dst = out;
        if (dst == nullptr || !it->Metadata().empty()) {
          Series& s = w->series[ex->Labels()];
          if (s.count.empty()) {
            w->status = gauge.Add(array_bytes + LabelsBytes(ex->Labels()) + kMapNodeBytes);
            if (!w->status.ok()) return;
            s.count.assign(steps + 1, 0);
            s.sum.assign(steps + 1, 0);
          }
          dst = &s;
          if (it->Metadata().empty()) out = dst;
        }
        // Steps k whose window (first + k*step - range, first + k*step] holds ts.
        const int64_t lo_num = ts - first;  // k >= ceil(lo_num / step)
        int64_t k_lo = lo_num <= 0 ? 0 : (lo_num + step - 1) / step;
        const int64_t hi_num = ts + range - 1 - first;  // k <= floor(hi_num / step)
        if (hi_num < 0) continue;
        int64_t k_hi = std::min(hi_num / step, steps - 1);
        if (k_lo > k_hi) continue;
        const double value = v;  // 1, or the line's bytes for bytes_*
        dst->count[k_lo] += 1;
        dst->count[k_hi + 1] -= 1;
        dst->sum[k_lo] += value;
        dst->sum[k_hi + 1] -= value;
      }
      if (!it->status().ok() && w->status.ok()) w->status = it->status();
    }
  };
  std::thread helper;
  if (n_workers > 1) helper = std::thread(work, &workers[1]);
  work(&workers[0]);
  if (helper.joinable()) helper.join();

  SeriesMap merged;
  uint64_t merged_bytes = 0;
  for (Worker& w : workers) {
    FENRIR_RETURN_IF_ERROR(w.status);
    if (ctx.stats != nullptr) {
      ctx.stats->lines_processed += w.stats.lines_processed;
      ctx.stats->bytes_processed += w.stats.bytes_processed;
      ctx.stats->post_filter_lines += w.stats.post_filter_lines;
    }
    for (auto& [labels, s] : w.series) {
      auto [it, inserted] = merged.try_emplace(labels, std::move(s));
      if (inserted) {
        // Arrays and labels, the evaluator's copy of the labels and a step's output sample.
        merged_bytes += array_bytes + 3 * LabelsBytes(labels) + kMapNodeBytes + sizeof(Sample);
        continue;
      }
      for (int64_t k = 0; k <= steps; ++k) {
        it->second.count[k] += s.count[k];
        it->second.sum[k] += s.sum[k];
      }
    }
  }
  auto gauge = std::make_unique<MemoryGauge>(ctx.memory);
  FENRIR_RETURN_IF_ERROR(gauge->Set(merged_bytes));
  const double divisor = rate ? static_cast<double>(range) / 1e9 : 1.0;
  return std::unique_ptr<StepEvaluator>(new StreamwiseEvaluator(
      std::move(merged), steps, first, step, offset, divisor, std::move(gauge)));
}

}  // namespace fenrir::query
