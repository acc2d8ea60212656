#include "storage/retention_policy.h"

#include <limits>

namespace fenrir::storage {

int64_t CutoffOf(int64_t period_ns, int64_t now_ns) {
  if (period_ns <= 0) return std::numeric_limits<int64_t>::min();
  if (now_ns < std::numeric_limits<int64_t>::min() + period_ns) {
    return std::numeric_limits<int64_t>::min();
  }
  return now_ns - period_ns;
}

const TenantRetention& RetentionPolicy::For(std::string_view tenant) const {
  auto it = tenants_.find(tenant);
  return it == tenants_.end() ? defaults_ : it->second;
}

int64_t RetentionPolicy::PeriodFor(std::string_view tenant, const Labels& stream) const {
  const TenantRetention& t = For(tenant);
  const StreamRetentionRule* best = nullptr;
  for (const StreamRetentionRule& rule : t.streams) {
    if (!MatchesAll(rule.selector, stream)) continue;
    if (best != nullptr) {
      if (best->priority > rule.priority) continue;
      if (best->priority == rule.priority && best->period_ns <= rule.period_ns) continue;
    }
    best = &rule;
  }
  return best != nullptr ? best->period_ns : t.period_ns;
}

int64_t RetentionPolicy::CutoffFor(std::string_view tenant, const Labels& stream,
                                   int64_t now_ns) const {
  return CutoffOf(PeriodFor(tenant, stream), now_ns);
}

int64_t RetentionPolicy::TenantFloor(std::string_view tenant, int64_t now_ns) const {
  const TenantRetention& t = For(tenant);
  int64_t longest = t.period_ns;
  if (longest <= 0) return std::numeric_limits<int64_t>::min();
  for (const StreamRetentionRule& rule : t.streams) {
    if (rule.period_ns <= 0) return std::numeric_limits<int64_t>::min();
    longest = std::max(longest, rule.period_ns);
  }
  return CutoffOf(longest, now_ns);
}

bool RetentionPolicy::KeepsEverything() const {
  auto keeps = [](const TenantRetention& t) {
    if (t.period_ns > 0) return false;
    for (const auto& r : t.streams) {
      if (r.period_ns > 0) return false;
    }
    return true;
  };
  if (!keeps(defaults_)) return false;
  for (const auto& [name, t] : tenants_) {
    if (!keeps(t)) return false;
  }
  return true;
}

}  // namespace fenrir::storage
