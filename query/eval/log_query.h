#pragma once
// Log queries: select the streams, run each through its pipeline, merge them by time in the
// requested direction with a heap, stop at the limit, and group the entries into output streams.

#include <cstdint>
#include <vector>

#include "query/syntax/ast.h"
#include "query/engine.h"
#include "query/eval/eval_context.h"
#include "query/log/pipeline.h"
#include "storage/entry_iterator.h"
#include "base/status.h"

namespace fenrir::query {

struct LogQueryOptions {
  int64_t from_ns = 0;     // inclusive
  int64_t through_ns = 0;  // exclusive
  uint32_t limit = 100;    // entries over all output streams
  int64_t interval_ns = 0;  // at most one entry per interval, over all streams (as Loki)
  storage::Direction direction = storage::Direction::kBackward;
  bool categorize_labels = false;
};

// Output streams sorted by their label text; entries in `direction` order. Adds to ctx.stats.
Result<std::vector<OutStream>> RunLogQuery(const EvalContext& ctx, const LogSelector& selector,
                                           const Pipeline& pipeline,
                                           const LogQueryOptions& options);

}  // namespace fenrir::query
