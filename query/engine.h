#pragma once
// The query facade: the only query header the server includes. Runs log and metric queries
// against a Store and returns results the server encodes.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/labels.h"
#include "base/status.h"
#include "storage/store.h"

namespace fenrir::query {

struct QueryParams {
  std::string tenant;
  std::string query;
  int64_t start_ns = 0;  // log window: start inclusive
  int64_t end_ns = 0;    // log window: end exclusive; last metric step <= end
  int64_t step_ns = 0;   // metric range queries; REQUIRES: > 0 when !instant
  int64_t interval_ns = 0;  // log queries: at most one entry per interval
  uint32_t limit = 100;  // log queries: entries over all streams
  storage::Direction direction = storage::Direction::kBackward;
  bool instant = false;  // /query at time=start_ns=end_ns
  // Group output streams by stream labels only and keep parsed / metadata labels per entry
  // (Loki 3's X-Loki-Response-Encoding-Flags: categorize-labels).
  bool categorize_labels = false;
};

struct OutEntry {
  int64_t timestamp_ns = 0;
  std::string line;
  storage::Labels metadata;  // structured metadata (categorize-labels only)
  storage::Labels parsed;    // parsed labels (categorize-labels only)
};

struct OutStream {
  storage::Labels labels;
  std::vector<OutEntry> entries;  // in the requested direction
};

struct Point {
  int64_t timestamp_ms = 0;
  double value = 0;
};

struct OutSeries {
  storage::Labels metric;
  std::vector<Point> points;  // matrix: many; vector: one
};

// What Loki's `stats.summary` and `querier.store.chunk` report.
struct QueryStats {
  uint64_t bytes_processed = 0;  // uncompressed line bytes read
  uint64_t lines_processed = 0;
  uint64_t entries_returned = 0;
  uint64_t post_filter_lines = 0;
  uint64_t chunks_ref = 0;
  uint64_t chunks_downloaded = 0;
  uint64_t compressed_bytes = 0;
  uint64_t head_chunk_bytes = 0;
  uint64_t head_chunk_lines = 0;
  double exec_time_seconds = 0;
};

struct QueryResult {
  enum class Type { kStreams, kMatrix, kVector, kScalar };
  Type type = Type::kStreams;
  std::vector<OutStream> streams;  // kStreams
  std::vector<OutSeries> series;   // kMatrix / kVector
  Point scalar;                    // kScalar
  QueryStats stats;
};

struct EngineLimits {
  uint32_t max_entries_limit_per_query = 5000;
  uint32_t max_query_series = 500;
  int64_t query_timeout_ns = 60'000'000'000;
  int64_t max_points = 11000;  // per series in a range query
  // Live memory one query may hold while it runs (query/eval/memory_budget.h); 0 = unlimited.
  // Past it the query fails with InvalidArgument (HTTP 400).
  uint64_t max_query_memory_bytes = 512ULL << 20;
  // Sum of the memory all running queries may hold; 0 = unlimited. Past it queries fail with
  // ResourceExhausted "too many outstanding requests" (HTTP 429).
  uint64_t max_total_query_memory_bytes = 0;
  // Loki's limits_config.max_query_bytes_read: refuse before running a query whose selectors
  // match more line bytes in its range than this (index stats); 0 = unlimited.
  uint64_t max_query_bytes_read = 0;
};

class QueryMemoryPool;

// Thread-safe: queries run concurrently.
class Engine {
 public:
  Engine(storage::Store* store, EngineLimits limits);  // store not owned
  // Errors: InvalidArgument with Loki's text for parse errors and limit violations,
  // DeadlineExceeded past the timeout, storage errors as they come.
  Result<QueryResult> Query(const QueryParams& params) const;

  const EngineLimits& limits() const { return limits_; }

 private:
  storage::Store* store_;
  EngineLimits limits_;
  std::shared_ptr<QueryMemoryPool> memory_pool_;  // null: no process-wide cap
};

}  // namespace fenrir::query
