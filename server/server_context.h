#pragma once
// What the handlers share: configuration, the store, the query function, the distributor and
// metrics. Handlers are free functions HttpRequest -> HttpResponse over this context, so tests
// drive them without sockets (and with a fake store or query function).

#include <atomic>
#include <functional>
#include <string>

#include "query/engine.h"
#include "server/config.h"
#include "server/disk_guard.h"
#include "server/push/distributor.h"
#include "server/metrics.h"
#include "server/tail/tail_hub.h"
#include "storage/clock.h"
#include "storage/store.h"

namespace fenrir::server {

using QueryFn = std::function<Result<query::QueryResult>(const query::QueryParams&)>;

struct ServerContext {
  const Config* config = nullptr;
  storage::Store* store = nullptr;
  QueryFn run_query;                 // normally Engine::Query
  Distributor* distributor = nullptr;
  ServerMetrics* metrics = nullptr;  // may be null
  TailHub* tail_hub = nullptr;       // live tails (may be null: tails then only backfill)
  storage::Clock* clock = storage::SystemClock::Default();
  std::atomic<bool>* ready = nullptr;    // false while starting or stopping (may be null)
  std::function<void()> request_stop;    // begins a graceful shutdown (may be empty)
  const DiskGuard* disk_guard = nullptr;  // refuses pushes when the disk is nearly full (may be null)
};

}  // namespace fenrir::server
