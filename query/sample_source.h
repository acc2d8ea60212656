#pragma once
// The samples of a range aggregation: every selected stream read forward from the store, run
// through its sample extractor, and merged into one sequence ordered by time with a heap.

#include <cstdint>
#include <memory>
#include <vector>

#include "query/ast.h"
#include "query/eval_context.h"
#include "query/pipeline.h"
#include "storage/labels.h"
#include "storage/status.h"

namespace fenrir::query {

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
  Status status_;
};

}  // namespace fenrir::query
