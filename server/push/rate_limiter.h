#pragma once
// Per-tenant token buckets for the ingestion rate limit (golang.org/x/time/rate semantics, as
// Loki's distributor uses them). Thread-safe.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace fenrir::server {

class RateLimiter {
 public:
  // rate in bytes per second, burst in bytes.
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  // Takes n tokens from the tenant's bucket at time now_ns; false (nothing taken) when the
  // bucket holds fewer than n tokens or n exceeds the burst.
  bool AllowN(std::string_view tenant, int64_t now_ns, double n);

  double rate() const { return rate_; }

 private:
  struct Bucket {
    double tokens = 0;
    int64_t last_ns = 0;
  };

  const double rate_;
  const double burst_;
  std::mutex mu_;
  std::map<std::string, Bucket, std::less<>> buckets_;  // guarded by mu_
};

}  // namespace fenrir::server
