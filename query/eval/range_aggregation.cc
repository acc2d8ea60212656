#include "query/eval/range_aggregation.h"

#include <algorithm>
#include <map>
#include <string>

#include "query/eval/range_aggregation_streamwise.h"
#include "query/eval/range_function.h"
#include "query/eval/sample_source.h"

namespace fenrir::query {
namespace {

constexpr std::string_view kErrorLabel = "__error__";
constexpr std::string_view kPreserveErrorLabel = "__preserve_error__";

class RangeAggregationEvaluator : public StepEvaluator {
 public:
  RangeAggregationEvaluator(const RangeAggregation& agg, std::unique_ptr<SampleSource> source,
                            int64_t start_ns, int64_t end_ns, int64_t step_ns,
                            MemoryBudget* budget)
      : source_(std::move(source)),
        absent_(agg.op == RangeOp::kAbsentOverTime),
        offset_ns_(agg.range.offset_ns),
        range_ns_(agg.range.range_ns),
        step_ns_(step_ns > 0 ? step_ns : 1),
        end_ns_(end_ns - offset_ns_),
        current_ns_(start_ns - offset_ns_ - step_ns_),
        gauge_(budget) {
    spec_.op = agg.op;
    spec_.range_ns = agg.range.range_ns;
    spec_.unwrap = agg.range.unwrap.has_value();
    spec_.param = agg.param.value_or(0);
    if (agg.grouping && !agg.grouping->without) {
      const auto& g = agg.grouping->labels;
      preserve_errors_ = std::find(g.begin(), g.end(), kErrorLabel) != g.end();
    }
    if (absent_) absent_labels_ = AbsentLabels(agg.range.selector.matchers);
  }

  bool Next(int64_t* ts_ms, Vector* out) override {
    out->clear();
    if (!status_.ok()) return false;
    current_ns_ += step_ns_;
    if (current_ns_ > end_ns_) return false;
    const int64_t window_start = current_ns_ - range_ns_;
    PopBefore(window_start);
    if (!Load(window_start, current_ns_)) return false;
    *ts_ms = current_ns_ / 1'000'000 + offset_ns_ / 1'000'000;
    if (absent_) {
      if (windows_.empty()) out->push_back(Sample{absent_labels_, 1});
      return true;
    }
    out->reserve(windows_.size());
    for (const auto& [labels, window] : windows_) {
      out->push_back(Sample{labels, ApplyRangeFunction(spec_, window)});
    }
    // The step's vector holds a copy of every series' labels.
    status_ = gauge_.Set(Bytes() + labels_bytes_ + windows_.size() * sizeof(Sample));
    return status_.ok();
  }

  Status status() const override { return status_; }

 private:
  using WindowMap = std::map<storage::Labels, Window>;

  // A window's fixed cost: map node, deque header, its first block and block map.
  static constexpr uint64_t kWindowBytes = kMapNodeBytes + sizeof(Window) + 576;

  // The windows' estimated bytes.
  uint64_t Bytes() const {
    return labels_bytes_ + windows_.size() * kWindowBytes + samples_ * sizeof(TimedValue);
  }

  void PopBefore(int64_t window_start) {
    for (auto it = windows_.begin(); it != windows_.end();) {
      Window& w = it->second;
      while (!w.empty() && w.front().timestamp_ns <= window_start) {
        w.pop_front();
        --samples_;
      }
      if (w.empty()) {
        labels_bytes_ -= LabelsBytes(it->first);
        it = windows_.erase(it);
      } else {
        ++it;
      }
    }
    cached_labels_.reset();
  }

  Window* WindowOf(const storage::Labels& labels) {
    auto [it, inserted] = windows_.try_emplace(labels);
    if (inserted) labels_bytes_ += LabelsBytes(labels);
    return &it->second;
  }

  bool Load(int64_t window_start, int64_t window_end) {
    while (source_->Valid() && source_->timestamp() <= window_end) {
      const int64_t ts = source_->timestamp();
      if (ts > window_start) {
        const auto& labels = source_->labels();
        if (labels != cached_labels_) {
          if (labels->Has(kErrorLabel) && !preserve_errors_) {
            const std::string* keep = labels->Get(kPreserveErrorLabel);
            if (keep == nullptr || *keep != "true") {
              status_ = PipelineError(*labels);
              return false;
            }
          }
          cached_labels_ = labels;  // held, so its address is not reused
          const size_t windows = windows_.size();
          cached_window_ = WindowOf(absent_ ? storage::Labels() : *labels);
          if (windows_.size() != windows) {  // a new series: settles in chunks
            status_ = gauge_.Set(Bytes());
            if (!status_.ok()) return false;
          }
        }
        cached_window_->push_back(TimedValue{ts, source_->value()});
        if ((++samples_ & 4095) == 0) {  // a wide window can take many samples in one step
          status_ = gauge_.Set(Bytes());
          if (!status_.ok()) return false;
        }
      }
      source_->Next();
    }
    if (!source_->status().ok()) {
      status_ = source_->status();
      return false;
    }
    return true;
  }

  std::unique_ptr<SampleSource> source_;
  RangeFunctionSpec spec_;
  bool absent_;
  bool preserve_errors_ = false;
  storage::Labels absent_labels_;
  int64_t offset_ns_, range_ns_, step_ns_, end_ns_, current_ns_;
  WindowMap windows_;
  MemoryGauge gauge_;
  uint64_t labels_bytes_ = 0;  // LabelsBytes of the windows' keys
  uint64_t samples_ = 0;       // samples in all windows
  std::shared_ptr<const storage::Labels> cached_labels_;  // the series of cached_window_
  Window* cached_window_ = nullptr;
  Status status_;
};

}  // namespace

storage::Labels AbsentLabels(const std::vector<Matcher>& matchers) {
  std::vector<storage::Label> set;
  std::vector<std::string> drop;
  auto has = [&set](const std::string& name) {
    return std::any_of(set.begin(), set.end(), [&](const auto& l) { return l.name == name; });
  };
  for (const auto& m : matchers) {
    if (m.name() == "__name__") continue;
    if (m.type() == MatchType::kEqual && !has(m.name())) {
      set.push_back({m.name(), m.value()});
    } else {
      drop.push_back(m.name());
    }
  }
  std::erase_if(set, [&drop](const storage::Label& l) {
    return std::find(drop.begin(), drop.end(), l.name) != drop.end();
  });
  return storage::Labels(std::move(set));
}

Status PipelineError(const storage::Labels& metric) {
  const std::string* err = metric.Get(kErrorLabel);
  const std::string type = err ? *err : "";
  return Status::InvalidArgument(
      "pipeline error: '" + type + "' for series: '" + metric.ToString() + "'.\n" +
      "Use a label filter to intentionally skip this error. (e.g | __error__!=\"" + type +
      "\").\n" +
      "To skip all potential errors you can match empty errors.(e.g __error__=\"\")\n" +
      "The label filter can also be specified after unwrap. (e.g | unwrap latency | "
      "__error__=\"\" )\n");
}

Result<std::unique_ptr<StepEvaluator>> NewRangeAggregationEvaluator(
    const EvalContext& ctx, const RangeAggregation& agg) {
  auto fast = NewStreamwiseRangeEvaluator(ctx, agg);
  if (!fast.ok() || *fast != nullptr) return fast;
  const int64_t range = agg.range.range_ns;
  const int64_t offset = agg.range.offset_ns;
  auto source = SampleSource::Open(ctx, agg, ctx.start_ns - range - offset, ctx.end_ns - offset);
  if (!source.ok()) return source.status();
  return std::unique_ptr<StepEvaluator>(new RangeAggregationEvaluator(
      agg, std::move(*source), ctx.start_ns, ctx.end_ns, ctx.step_ns, ctx.memory));
}

}  // namespace fenrir::query
