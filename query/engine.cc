#include "query/engine.h"

#include <chrono>
#include <string>
#include <utility>

#include "query/eval/bytes_read_limit.h"
#include "query/eval/eval_context.h"
#include "query/eval/log_query.h"
#include "query/eval/memory_budget.h"
#include "query/eval/metric_query.h"
#include "query/syntax/parser.h"
#include "query/log/pipeline.h"

namespace fenrir::query {
namespace {

// Loki's look-back window for instant log queries (querier.engine.max-lookback-period).
constexpr int64_t kInstantLogLookbackNs = 30'000'000'000;

Status ValidateRange(const QueryParams& p, const EngineLimits& limits, bool metric) {
  if (p.instant) return Status::OK();
  if (p.step_ns <= 0) {
    if (!metric) return Status::OK();
    return Status::InvalidArgument(
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
  }
  if (p.end_ns < p.start_ns) {
    return Status::InvalidArgument("end timestamp must not be before start time");
  }
  if ((p.end_ns - p.start_ns) / p.step_ns > limits.max_points) {
    return Status::InvalidArgument(
        "exceeded maximum resolution of 11,000 points per time series. Try increasing the "
        "value of the step parameter");
  }
  return Status::OK();
}

Result<QueryResult> RunLog(const EvalContext& ctx, const QueryParams& p,
                           const EngineLimits& limits, const LogSelector& selector) {
  if (p.limit > limits.max_entries_limit_per_query) {
    return Status::InvalidArgument("max entries limit per query exceeded, limit > "
                                   "max_entries_limit (" + std::to_string(p.limit) + " > " +
                                   std::to_string(limits.max_entries_limit_per_query) + ")");
  }
  auto pipeline = ctx.build_pipeline(selector.stages);
  if (!pipeline.ok()) return pipeline.status();
  LogQueryOptions opts;
  opts.from_ns = p.instant ? p.end_ns - kInstantLogLookbackNs : p.start_ns;
  opts.through_ns = p.end_ns;
  opts.limit = p.limit;
  opts.interval_ns = p.interval_ns;
  opts.direction = p.direction;
  opts.categorize_labels = p.categorize_labels;
  auto streams = RunLogQuery(ctx, selector, **pipeline, opts);
  if (!streams.ok()) return streams.status();
  QueryResult result;
  result.type = QueryResult::Type::kStreams;
  result.streams = std::move(*streams);
  return result;
}

}  // namespace

Engine::Engine(storage::Store* store, EngineLimits limits) : store_(store), limits_(limits) {
  if (limits_.max_total_query_memory_bytes > 0) {
    memory_pool_ = std::make_shared<QueryMemoryPool>(limits_.max_total_query_memory_bytes);
  }
}

Result<QueryResult> Engine::Query(const QueryParams& params) const {
  const auto began = std::chrono::steady_clock::now();
  auto expr = ParseExpr(params.query);
  if (!expr.ok()) return expr.status();
  const bool metric = !expr->IsLogQuery();
  FENRIR_RETURN_IF_ERROR(ValidateRange(params, limits_, metric));
  FENRIR_RETURN_IF_ERROR(
      CheckQueryBytesRead(store_, params, *expr, limits_.max_query_bytes_read));

  QueryStats stats;
  MemoryBudget memory(limits_.max_query_memory_bytes, memory_pool_.get());
  EvalContext ctx;
  ctx.store = store_;
  ctx.tenant = params.tenant;
  ctx.start_ns = params.start_ns;
  ctx.end_ns = params.end_ns;
  ctx.step_ns = params.instant ? 0 : params.step_ns;
  if (limits_.query_timeout_ns > 0) {
    ctx.deadline = began + std::chrono::nanoseconds(limits_.query_timeout_ns);
  }
  ctx.stats = &stats;
  // No limit and no pool: nothing to account.
  if (limits_.max_query_memory_bytes > 0 || memory_pool_ != nullptr) ctx.memory = &memory;
  ctx.build_pipeline = [](const std::vector<Stage>& stages) { return Pipeline::Build(stages); };
  ctx.build_extractor = [](const RangeAggregation& agg) { return SampleExtractor::Build(agg); };

  Result<QueryResult> result =
      metric ? RunMetricQuery(ctx, *expr, limits_)
             : RunLog(ctx, params, limits_, std::get<LogSelector>(expr->node));
  if (!result.ok()) return result;
  stats.exec_time_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  if (result->type != QueryResult::Type::kStreams) {
    stats.entries_returned = 0;
    for (const auto& s : result->series) stats.entries_returned += s.points.size();
    if (result->type == QueryResult::Type::kScalar) stats.entries_returned = 1;
  }
  result->stats = stats;
  return result;
}

}  // namespace fenrir::query
