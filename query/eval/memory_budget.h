#pragma once
// Memory accounting for queries: a per-query budget the evaluators charge as they materialize
// data (entries kept for a log result, series x step arrays, sample windows, label sets, the
// vectors of a step), so a greedy query fails DURING evaluation with a 400 instead of growing
// the process without bound; and an optional process-wide pool the budgets of all running
// queries draw from, so the server under load answers 429 before it runs out of memory.
//
// Figures are estimates of live heap bytes (string payloads, vector cells, map nodes), not
// allocator-exact. Charging is cheap by construction: evaluators keep their own running
// estimate in a MemoryGauge (plain integers) and pass it to the budget (one relaxed atomic add)
// only when it moved by kMemoryChargeChunk, or once per step. Not counted: the blocks the store
// decodes for open streams (storage-owned; a fixed per-stream estimate stands for them).

#include <atomic>
#include <cstdint>

#include "query/eval/value_types.h"
#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::query {

// Gauges settle with the budget whenever their estimate moved by this much, so a query may run
// past its limit by at most this per gauge before failing.
inline constexpr uint64_t kMemoryChargeChunk = 64 * 1024;

// Process-wide bound on the bytes all running queries hold. Thread-safe.
class QueryMemoryPool {
 public:
  explicit QueryMemoryPool(uint64_t limit_bytes);  // REQUIRES: limit_bytes > 0

  // Takes `bytes` from the pool; false (and nothing taken) when that would pass the limit.
  bool TryReserve(uint64_t bytes);
  void Release(uint64_t bytes);

  uint64_t used() const { return used_.load(std::memory_order_relaxed); }
  uint64_t limit() const { return limit_; }

 private:
  const uint64_t limit_;
  std::atomic<uint64_t> used_{0};
};

// One query's budget. Thread-safe (a query may evaluate streams on several threads); meant to
// be charged in chunks, see MemoryGauge. Once exceeded it stays exceeded: every later Charge
// fails with the same status.
class MemoryBudget {
 public:
  // limit_bytes == 0: no per-query limit. `pool` may be null; it must outlive the budget.
  MemoryBudget(uint64_t limit_bytes, QueryMemoryPool* pool);
  ~MemoryBudget();  // returns its reservation to the pool
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  // Adds `bytes` to the query's live memory. Errors: InvalidArgument (QueryMemoryError) past
  // the per-query limit; ResourceExhausted (PoolExhaustedError, HTTP 429) when the pool has no
  // room left for this query.
  Status Charge(uint64_t bytes);
  // Gives back bytes charged before.
  void Release(uint64_t bytes);

  uint64_t used() const { return used_.load(std::memory_order_relaxed); }
  uint64_t peak() const { return peak_.load(std::memory_order_relaxed); }
  uint64_t limit() const { return limit_; }
  // True once a Charge failed: evaluators working in parallel use it to stop early.
  bool exceeded() const { return failed_.load(std::memory_order_relaxed); }

 private:
  Status Fail(Status status);

  const uint64_t limit_;
  QueryMemoryPool* const pool_;
  std::atomic<uint64_t> used_{0};
  std::atomic<uint64_t> peak_{0};
  std::atomic<uint64_t> reserved_{0};  // taken from pool_, returned at destruction
  std::atomic<bool> failed_{false};
  std::atomic<int> fail_code_{0};  // 1: per-query limit, 2: pool
};

// What one evaluator (or one worker thread) holds, as a running estimate settled with the
// budget in chunks. Not thread-safe. Releases its charge when destroyed.
class MemoryGauge {
 public:
  explicit MemoryGauge(MemoryBudget* budget) : budget_(budget) {}  // null: no accounting
  ~MemoryGauge();
  MemoryGauge(const MemoryGauge&) = delete;
  MemoryGauge& operator=(const MemoryGauge&) = delete;

  // The holder now keeps `bytes`. Settles with the budget when the estimate moved by a chunk.
  Status Set(uint64_t bytes) {
    bytes_ = bytes;
    if (budget_ == nullptr) return Status::OK();
    if (bytes_ < charged_ + kMemoryChargeChunk && bytes_ + kMemoryChargeChunk > charged_) {
      return Status::OK();
    }
    return Settle();
  }
  Status Add(uint64_t bytes) { return Set(bytes_ + bytes); }
  Status Sub(uint64_t bytes) { return Set(bytes_ > bytes ? bytes_ - bytes : 0); }
  // Settles now, whatever the change.
  Status Settle();

  uint64_t bytes() const { return bytes_; }

 private:
  MemoryBudget* budget_;
  uint64_t bytes_ = 0;    // the holder's estimate
  uint64_t charged_ = 0;  // what the budget has been told
};

// Estimated heap bytes of a label set (vector cells, string headers and payloads).
uint64_t LabelsBytes(const storage::Labels& labels);

// Estimated heap bytes of a step's vector (its samples and their labels).
uint64_t VectorBytes(const Vector& v);

// Per-node overhead of a std::map / std::set entry, for estimates.
inline constexpr uint64_t kMapNodeBytes = 48;

// A stream opened for reading (iterator, pipeline state, heap slot, the store's current block
// position), excluding its labels.
inline constexpr uint64_t kOpenStreamBytes = 4096;

// "query would use too much memory (used at least N bytes, limit M bytes, ...)".
Status QueryMemoryError(uint64_t used, uint64_t limit);
// 429 text when the process-wide pool is exhausted.
Status PoolExhaustedError(uint64_t pool_limit);

}  // namespace fenrir::query
