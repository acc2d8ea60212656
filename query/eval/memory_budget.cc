#include "query/eval/memory_budget.h"

#include <algorithm>
#include <string>

namespace fenrir::query {

namespace {

// A budget takes room from the pool in slices of at least this, so the pool's atomic is
// touched rarely.
constexpr uint64_t kPoolSlice = 1 << 20;

}  // namespace

QueryMemoryPool::QueryMemoryPool(uint64_t limit_bytes) : limit_(limit_bytes) {}

bool QueryMemoryPool::TryReserve(uint64_t bytes) {
  uint64_t cur = used_.load(std::memory_order_relaxed);
  do {
    if (cur + bytes > limit_) return false;
  } while (!used_.compare_exchange_weak(cur, cur + bytes, std::memory_order_relaxed));
  return true;
}

void QueryMemoryPool::Release(uint64_t bytes) { used_.fetch_sub(bytes, std::memory_order_relaxed); }

MemoryBudget::MemoryBudget(uint64_t limit_bytes, QueryMemoryPool* pool)
    : limit_(limit_bytes), pool_(pool) {}

MemoryBudget::~MemoryBudget() {
  if (pool_ != nullptr) pool_->Release(reserved_.load(std::memory_order_relaxed));
}

Status MemoryBudget::Fail(Status status) {
  failed_.store(true, std::memory_order_relaxed);
  return status;
}

Status MemoryBudget::Charge(uint64_t bytes) {
  const uint64_t now = used_.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  uint64_t peak = peak_.load(std::memory_order_relaxed);
  while (now > peak && !peak_.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
  if (failed_.load(std::memory_order_relaxed)) {
    return fail_code_.load() == 2 ? PoolExhaustedError(pool_->limit())
                                  : QueryMemoryError(peak_.load(), limit_);
  }
  if (limit_ > 0 && now > limit_) {
    fail_code_.store(1);
    return Fail(QueryMemoryError(now, limit_));
  }
  if (pool_ != nullptr) {
    uint64_t reserved = reserved_.load(std::memory_order_relaxed);
    while (now > reserved) {
      uint64_t slice = std::max(kPoolSlice, now - reserved);
      if (limit_ > 0) slice = std::min(slice, std::max(limit_ - reserved, now - reserved));
      if (!pool_->TryReserve(slice)) {
        fail_code_.store(2);
        return Fail(PoolExhaustedError(pool_->limit()));
      }
      reserved = reserved_.fetch_add(slice, std::memory_order_relaxed) + slice;
    }
  }
  return Status::OK();
}

void MemoryBudget::Release(uint64_t bytes) {
  used_.fetch_sub(bytes, std::memory_order_relaxed);
}

MemoryGauge::~MemoryGauge() {
  if (budget_ != nullptr && charged_ > 0) budget_->Release(charged_);
}

Status MemoryGauge::Settle() {
  if (budget_ == nullptr || bytes_ == charged_) return Status::OK();
  if (bytes_ < charged_) {
    budget_->Release(charged_ - bytes_);
    charged_ = bytes_;
    return Status::OK();
  }
  const uint64_t more = bytes_ - charged_;
  charged_ = bytes_;  // charged even on failure: the budget counts it until released
  return budget_->Charge(more);
}

uint64_t LabelsBytes(const storage::Labels& labels) {
  uint64_t n = sizeof(storage::Labels);
  for (const auto& l : labels) {
    n += sizeof(storage::Label);
    // Payloads past the small-string buffer live on the heap.
    if (l.name.size() > 15) n += l.name.size() + 1;
    if (l.value.size() > 15) n += l.value.size() + 1;
  }
  return n;
}

uint64_t VectorBytes(const Vector& v) {
  uint64_t n = 0;
  for (const Sample& s : v) n += sizeof(Sample) - sizeof(storage::Labels) + LabelsBytes(s.metric);
  return n;
}

Status QueryMemoryError(uint64_t used, uint64_t limit) {
  return Status::InvalidArgument(
      "query would use too much memory (used at least " + std::to_string(used) +
      " bytes, limit " + std::to_string(limit) +
      " bytes, fenrir.max_query_memory_bytes); add more specific stream selectors or filters, "
      "or reduce the time range, step count or limit");
}

Status PoolExhaustedError(uint64_t pool_limit) {
  return Status::ResourceExhausted(
      "too many outstanding requests: running queries hold all of the query memory (" +
      std::to_string(pool_limit) + " bytes, fenrir.max_total_query_memory_bytes)");
}

}  // namespace fenrir::query
