#pragma once
// Admission control for queries: a bound on the requests a tenant may have queued or running
// on the worker pool (Loki's frontend max_outstanding_per_tenant: past it, 429 "too many
// outstanding requests"), and a memory budget on what one query may materialize (its result
// is measured before it is encoded; past the budget the query fails with 400 instead of the
// process growing without bound). Thread-safe.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "query/engine.h"
#include "base/status.h"

namespace fenrir::server {

class QueryLimiter : public std::enable_shared_from_this<QueryLimiter> {
 public:
  // max_outstanding_per_tenant <= 0 and max_result_bytes == 0 mean unlimited.
  QueryLimiter(int64_t max_outstanding_per_tenant, uint64_t max_result_bytes);

  // Holds one outstanding slot of a tenant until destroyed.
  class Permit {
   public:
    Permit(std::shared_ptr<QueryLimiter> owner, std::string tenant);
    ~Permit();
    Permit(const Permit&) = delete;
    Permit& operator=(const Permit&) = delete;

   private:
    std::shared_ptr<QueryLimiter> owner_;
    std::string tenant_;
  };

  // A permit, or null when the tenant already has the maximum outstanding.
  std::unique_ptr<Permit> TryAcquire(const std::string& tenant);

  // InvalidArgument naming the budget when `result` is larger than max_result_bytes.
  Status CheckResult(const query::QueryResult& result) const;

  // Approximate bytes a result holds in memory (lines, labels, points).
  static uint64_t ResultBytes(const query::QueryResult& result);

  int64_t outstanding(const std::string& tenant);

 private:
  void Release(const std::string& tenant);

  const int64_t max_outstanding_;
  const uint64_t max_result_bytes_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> outstanding_;  // guarded by mu_
};

// Loki's query queue error (HTTP 429).
inline constexpr const char* kTooManyOutstandingRequests = "too many outstanding requests";

}  // namespace fenrir::server
