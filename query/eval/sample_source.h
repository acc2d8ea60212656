#pragma once
// The samples of a range aggregation: every selected stream read forward from the store, run
// through its sample extractor, and merged into one sequence ordered by time with a heap.

#include <cstdint>
#include <memory>
#include <vector>

#include "query/syntax/ast.h"
#include "query/eval/eval_context.h"
#include "query/log/pipeline.h"
#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::query {

// True when the samples of `aggregation` need no line contents: no pipeline stage, no unwrap,
// and an op whose value is 1 or the line's length (count_over_time, rate, bytes_over_time,
// bytes_rate, absent_over_time). The store then reads timestamps and line sizes only
// (storage::ScanHints::need_lines).
bool SamplesNeedNoLines(const RangeAggregation& aggregation);

// The sample value of such an aggregation for an entry of `line_size` bytes.
inline double LineFreeSample(RangeOp op, size_t line_size) {
  return op == RangeOp::kBytesOverTime || op == RangeOp::kBytesRate
             ? static_cast<double>(line_size)
             : 1.0;
}

// Not thread-safe. Iterate with Valid / Next, then check status().
class SampleSource {
 public:
  // Selects the streams of `aggregation`'s selector with data in [from_ns, through_ns) and
  // compiles its sample extractor with ctx.build_extractor.
  static Result<std::unique_ptr<SampleSource>> Open(const EvalContext& ctx,
                                                    const RangeAggregation& aggregation,
                                                    int64_t from_ns, int64_t through_ns);
  ~SampleSource();

  bool Valid() const { return !heap_.empty() && status_.ok(); }
  // REQUIRES: Valid()
  int64_t timestamp() const;
  double value() const;
  // The sample's series; shared between consecutive samples of one stream with equal labels.
  const std::shared_ptr<const storage::Labels>& labels() const;
  void Next();
  // Read errors and DeadlineExceeded.
  const Status& status() const { return status_; }

 private:
  struct Stream;
  explicit SampleSource(const EvalContext* ctx);
  bool Advance(Stream* s);  // moves s to its next sample; false at its end

  const EvalContext* ctx_;
  std::unique_ptr<SampleExtractor> extractor_;
  std::vector<std::unique_ptr<Stream>> streams_;
  std::vector<Stream*> heap_;  // earliest sample on top
  MemoryGauge gauge_;          // the open streams
  uint64_t reads_ = 0;
  bool line_free_ = false;  // SamplesNeedNoLines
  RangeOp op_ = RangeOp::kCountOverTime;
  Status status_;
};

}  // namespace fenrir::query
