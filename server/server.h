#pragma once
// The whole Fenrir process behind main(): opens the store, builds the engine, distributor,
// router and metrics, listens, runs the I/O threads and the query worker pool, and shuts down
// gracefully (stop accepting, drain in-flight requests, then close the store, which flushes).

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "query/engine.h"
#include "server/config.h"
#include "server/push/distributor.h"
#include "server/http/listener.h"
#include "server/metrics.h"
#include "server/overrides.h"
#include "server/router.h"
#include "server/server_context.h"
#include "storage/store.h"

namespace fenrir::server {

class Server {
 public:
  // Opens the store under config.path_prefix (created when missing) and binds the port.
  static Result<std::unique_ptr<Server>> Create(Config config);
  ~Server();

  // Serves until Stop(); returns after the drain. Call once.
  void Run();
  // Thread-safe and async-signal-agnostic (call from a signal_set handler or any thread).
  void Stop();

  uint16_t port() const { return listener_->port(); }
  // The admin API's own port, or 0 when it shares the main one.
  uint16_t admin_port() const { return admin_listener_ ? admin_listener_->port() : 0; }
  // Exceptions that reached the I/O loop so far (always 0 unless there is a bug). Thread-safe.
  uint64_t escaped_exceptions() const { return escaped_exceptions_.load(); }

 private:
  Server() = default;
  void DrainThenStop(int attempts_left);
  void RunIoContext();  // ioc_.run(), resumed after an exception escapes a handler
  Status OpenAdminListener();

  Config config_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<OverridesWatcher> overrides_;  // reloads per-tenant retention into store_
  std::unique_ptr<query::Engine> engine_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<TailHub> tail_hub_;
  std::unique_ptr<Distributor> distributor_;
  std::unique_ptr<DiskGuard> disk_guard_;
  std::atomic<bool> ready_{false};
  ServerContext ctx_;
  std::unique_ptr<Router> router_;
  boost::asio::io_context ioc_;
  std::unique_ptr<boost::asio::thread_pool> workers_;
  std::shared_ptr<SessionShared> shared_;
  std::shared_ptr<Listener> listener_;
  std::shared_ptr<SessionShared> admin_shared_;  // only with fenrir.admin_listen_port
  std::shared_ptr<Listener> admin_listener_;
  std::unique_ptr<boost::asio::steady_timer> drain_timer_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> escaped_exceptions_{0};
};

}  // namespace fenrir::server
