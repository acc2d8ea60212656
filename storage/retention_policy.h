#pragma once
// Retention rules: how long each stream of each tenant keeps its entries, with Loki's precedence
// (pkg/compactor/retention/expiration.go, docs "Retention"):
//   1. among the tenant's `retention_stream` rules whose selector matches the stream, the one
//      with the highest priority wins; among equal priorities the shortest period wins;
//   2. otherwise the tenant's `retention_period`.
// A period of 0 keeps the stream forever (a matching rule with period 0 disables retention for
// the streams it matches, as in Loki).
//
// Per-tenant overrides inherit the defaults key by key (Loki's runtime overrides): an override
// that sets only retention_period keeps the default retention_stream rules, and one that sets
// retention_stream replaces the default rules. That merge is the caller's job (server/overrides);
// this class receives complete per-tenant rule sets. Immutable once built; thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/labels.h"

namespace fenrir::storage {

struct StreamRetentionRule {
  std::vector<Matcher> selector;  // every matcher must accept the stream
  int64_t priority = 0;
  int64_t period_ns = 0;          // 0 = keep forever
  std::string text;               // the selector as written (status reports)
};

struct TenantRetention {
  int64_t period_ns = 0;  // 0 = keep forever
  std::vector<StreamRetentionRule> streams;
};

class RetentionPolicy {
 public:
  // Keeps everything.
  RetentionPolicy() = default;
  RetentionPolicy(TenantRetention defaults, std::map<std::string, TenantRetention, std::less<>> tenants)
      : defaults_(std::move(defaults)), tenants_(std::move(tenants)) {}

  // The rule set that applies to `tenant` (its override, else the defaults).
  const TenantRetention& For(std::string_view tenant) const;

  // Retention period of a stream; 0 = forever.
  int64_t PeriodFor(std::string_view tenant, const Labels& stream) const;

  // The oldest timestamp still kept at `now_ns` for the stream: entries with ts < cutoff are
  // expired. INT64_MIN when the stream is kept forever.
  int64_t CutoffFor(std::string_view tenant, const Labels& stream, int64_t now_ns) const;

  // A lower bound of CutoffFor over every stream of the tenant (INT64_MIN when some rule keeps
  // forever): no stream of the tenant keeps anything older.
  int64_t TenantFloor(std::string_view tenant, int64_t now_ns) const;

  // True when no tenant can expire anything.
  bool KeepsEverything() const;

  const TenantRetention& defaults() const { return defaults_; }
  const std::map<std::string, TenantRetention, std::less<>>& tenants() const { return tenants_; }

 private:
  TenantRetention defaults_;
  std::map<std::string, TenantRetention, std::less<>> tenants_;
};

// now - period, saturating; INT64_MIN for period 0 (forever).
int64_t CutoffOf(int64_t period_ns, int64_t now_ns);

}  // namespace fenrir::storage
