#pragma once
// What every part of one query's evaluation shares: the store, the time frame, the deadline,
// the statistics being gathered and the seams that compile pipelines (so tests can fake them).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "query/syntax/ast.h"
#include "query/engine.h"
#include "query/eval/memory_budget.h"
#include "query/log/pipeline.h"
#include "base/status.h"
#include "storage/store.h"

namespace fenrir::query {

using PipelineFactory =
    std::function<Result<std::unique_ptr<Pipeline>>(const std::vector<Stage>& stages)>;
using ExtractorFactory =
    std::function<Result<std::unique_ptr<SampleExtractor>>(const RangeAggregation& aggregation)>;

// One per query; evaluators hold a pointer to it. Not thread-safe.
struct EvalContext {
  storage::Store* store = nullptr;
  std::string tenant;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  int64_t step_ns = 0;  // 0 for instant queries
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  QueryStats* stats = nullptr;  // may be null
  // The query's memory budget (query/eval/memory_budget.h); null: no accounting. Thread-safe.
  MemoryBudget* memory = nullptr;
  PipelineFactory build_pipeline;
  ExtractorFactory build_extractor;

  bool Expired() const { return std::chrono::steady_clock::now() > deadline; }
  // DeadlineExceeded once the query ran past its timeout.
  Status CheckDeadline() const;
};

// Loki's text for a query that ran out of time.
Status QueryTimeoutError();

}  // namespace fenrir::query
