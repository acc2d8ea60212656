#include "server/push/stream_limiter.h"

#include <algorithm>

namespace fenrir::server {

StreamLimiter::StreamLimiter(int64_t limit, int64_t idle_ns, storage::Store* store)
    : limit_(limit), idle_ns_(idle_ns), store_(store) {}

int64_t StreamLimiter::EffectiveLimit(int64_t local, int64_t global) {
  if (local <= 0) return std::max<int64_t>(global, 0);
  if (global <= 0) return local;
  return std::min(local, global);
}

void StreamLimiter::Seed(const std::string& tenant, int64_t now_ns, Tenant* t) {
  if (!store_) return;
  auto series = store_->SelectSeries(tenant, {}, now_ns - idle_ns_, now_ns + idle_ns_);
  if (!series.ok()) return;  // best effort: an unseeded tenant only starts from zero
  for (const auto& s : *series) t->last_push_ns.emplace(s.labels.Hash(), now_ns);
}

void StreamLimiter::EvictIdle(int64_t now_ns, Tenant* t) {
  for (auto it = t->last_push_ns.begin(); it != t->last_push_ns.end();) {
    it = now_ns - it->second > idle_ns_ ? t->last_push_ns.erase(it) : std::next(it);
  }
}

void StreamLimiter::Admit(const std::string& tenant, int64_t now_ns,
                          std::vector<storage::PushStream>* streams,
                          std::vector<storage::PushStream>* rejected) {
  if (limit_ <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = tenants_.try_emplace(tenant);
  Tenant& t = it->second;
  if (inserted) Seed(tenant, now_ns, &t);
  bool evicted = false;
  size_t kept = 0;
  for (size_t i = 0; i < streams->size(); ++i) {
    storage::PushStream& s = (*streams)[i];
    const uint64_t hash = s.labels.Hash();
    // One lookup for the common case (a known stream); a new one is inserted first and taken
    // back out when it does not fit.
    auto [slot, inserted] = t.last_push_ns.try_emplace(hash, now_ns);
    bool admit = true;
    if (!inserted) {
      slot->second = now_ns;
    } else if (static_cast<int64_t>(t.last_push_ns.size()) > limit_) {
      t.last_push_ns.erase(slot);
      if (!evicted) {
        EvictIdle(now_ns, &t);
        evicted = true;
      }
      admit = static_cast<int64_t>(t.last_push_ns.size()) < limit_;
      if (admit) t.last_push_ns.emplace(hash, now_ns);
    }
    if (admit) {
      if (kept != i) (*streams)[kept] = std::move(s);
      ++kept;
    } else {
      rejected->push_back(std::move(s));
    }
  }
  streams->resize(kept);
}

std::string StreamLimitMessage(const std::string& tenant) {
  return "Maximum active stream limit exceeded, reduce the number of active streams (reduce "
         "labels or reduce label values), or contact your Loki administrator to see if the "
         "limit can be increased, user: '" + tenant + "'";
}

}  // namespace fenrir::server
