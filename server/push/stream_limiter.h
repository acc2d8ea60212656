#pragma once
// Per-tenant active stream limit (Loki's max_streams_per_user / max_global_streams_per_user).
// A stream is active from its first push until it has seen no push for `idle_ns` (Loki drops
// idle streams from the ingester after chunk_idle_period, 30m by default). On a tenant's first
// push after a start the limiter seeds itself with the streams that hold data in the last
// idle period, so a restart does not double the allowance. Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/store.h"

namespace fenrir::server {

class StreamLimiter {
 public:
  // limit <= 0: unlimited. store is not owned and may be null (no seeding).
  StreamLimiter(int64_t limit, int64_t idle_ns, storage::Store* store);

  // The effective limit for one instance: the smaller of the non-zero local and global limits
  // (one instance holds every stream, so the global limit applies as is); 0 when both are 0.
  static int64_t EffectiveLimit(int64_t max_streams_per_user, int64_t max_global_streams_per_user);

  // Keeps the streams of *streams that are already active or fit under the limit (in order),
  // moving the others to *rejected. Admitted streams count as pushed at now_ns.
  void Admit(const std::string& tenant, int64_t now_ns, std::vector<storage::PushStream>* streams,
             std::vector<storage::PushStream>* rejected);

  int64_t limit() const { return limit_; }

 private:
  struct Tenant {
    std::unordered_map<uint64_t, int64_t> last_push_ns;  // stream hash -> last push
  };
  void Seed(const std::string& tenant, int64_t now_ns, Tenant* t);
  void EvictIdle(int64_t now_ns, Tenant* t);

  const int64_t limit_;
  const int64_t idle_ns_;
  storage::Store* const store_;
  std::mutex mu_;
  std::unordered_map<std::string, Tenant> tenants_;  // guarded by mu_
};

// Loki's validation.StreamLimitErrorMsg.
std::string StreamLimitMessage(const std::string& tenant);

}  // namespace fenrir::server
