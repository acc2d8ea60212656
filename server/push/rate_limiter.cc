#include "server/push/rate_limiter.h"

#include <algorithm>

namespace fenrir::server {

bool RateLimiter::AllowN(std::string_view tenant, int64_t now_ns, double n) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(tenant);
  if (it == buckets_.end()) {
    it = buckets_.emplace(std::string(tenant), Bucket{burst_, now_ns}).first;
  }
  Bucket& b = it->second;
  if (now_ns > b.last_ns) {
    b.tokens = std::min(burst_, b.tokens + rate_ * static_cast<double>(now_ns - b.last_ns) / 1e9);
    b.last_ns = now_ns;
  }
  if (n > burst_ || n > b.tokens) return false;
  b.tokens -= n;
  return true;
}

}  // namespace fenrir::server
