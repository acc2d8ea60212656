#pragma once
// The push path after decoding (Loki §4): label parsing and validation, entry validation,
// tenant rate limit, storage, and Loki's grouped error messages. Thread-safe.

#include <memory>
#include <string>
#include <string_view>

#include "server/config.h"
#include "server/metrics.h"
#include "server/push/push_request.h"
#include "server/push/rate_limiter.h"
#include "server/push/stream_limiter.h"
#include "server/tail/tail_hub.h"
#include "storage/clock.h"
#include "storage/store.h"

namespace fenrir::server {

class Distributor {
 public:
  // store, clock and metrics are not owned; metrics may be null.
  Distributor(storage::Store* store, const LimitsConfig& limits, storage::Clock* clock,
              ServerMetrics* metrics);

  // Stores every valid entry of `push` for `tenant`. Returns OK; InvalidArgument with the
  // grouped validation messages (valid entries were stored: partial success);
  // ResourceExhausted when the tenant's ingestion rate is exceeded (nothing stored) or when
  // new streams would pass the tenant's active stream limit (the other streams are stored);
  // or the store's error.
  Status Push(const std::string& tenant, RawPush push);

  // Live tails receive every stored stream from then on (set before serving; may be null).
  void set_tail_hub(TailHub* hub) { tail_hub_ = hub; }

 private:
  const LimitsConfig limits_;
  storage::Store* store_;
  storage::Clock* clock_;
  ServerMetrics* metrics_;
  RateLimiter rate_limiter_;
  StreamLimiter stream_limiter_;
  TailHub* tail_hub_ = nullptr;
};

// Loki's util.GroupedErrors text: messages in first-seen order, joined by "; ", each prefixed
// "<n> errors like: " when there is more than one distinct message or a repeat.
class GroupedErrors {
 public:
  void Add(std::string message);
  bool empty() const { return items_.empty(); }
  std::string Text() const;

 private:
  std::vector<std::pair<std::string, int>> items_;
};

}  // namespace fenrir::server
