#include "server/server.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>

#include "server/handlers/delete_handler.h"
#include "server/log.h"

namespace fenrir::server {

namespace asio = boost::asio;

Result<std::unique_ptr<Server>> Server::Create(Config config) {
  std::unique_ptr<Server> s(new Server());
  s->config_ = std::move(config);
  const Config& c = s->config_;
  std::error_code fs_ec;
  std::filesystem::create_directories(c.path_prefix, fs_ec);
  if (fs_ec) {
    return Status::IOError("cannot create data directory " + c.path_prefix + ": " +
                           fs_ec.message());
  }
  storage::StoreOptions options;
  options.dir = c.path_prefix;
  options.sync_writes = c.sync_writes;
  options.head_max_bytes = c.head_max_bytes;
  if (c.chunk_target_size > 0) options.block_target_bytes = c.chunk_target_size;
  if (c.max_chunk_age_ns > 0) options.head_max_age_ns = c.max_chunk_age_ns;
  auto retention = LoadRetentionPolicy(c);  // docs/retention.md
  if (!retention.ok()) return retention.status();
  options.retention = *retention;
  options.maintenance_interval_ns = c.compaction_interval_ns;
  options.delete_cancel_period_ns = c.delete_request_cancel_period_ns;
  options.delete_compiler = CompileDeleteQuery;
  auto store = storage::Store::Open(options);
  if (!store.ok()) return store.status();
  s->store_ = std::move(*store);
  s->overrides_ = std::make_unique<OverridesWatcher>(&s->config_, s->store_.get());

  query::EngineLimits limits;
  limits.max_entries_limit_per_query = c.limits.max_entries_limit_per_query;
  limits.max_query_series = c.limits.max_query_series;
  limits.query_timeout_ns = c.limits.query_timeout_ns;
  limits.max_query_memory_bytes = c.max_query_memory_bytes;
  limits.max_total_query_memory_bytes = c.max_total_query_memory_bytes;
  limits.max_query_bytes_read = c.limits.max_query_bytes_read;
  s->engine_ = std::make_unique<query::Engine>(s->store_.get(), limits);
  s->metrics_ = std::make_unique<ServerMetrics>();
  s->distributor_ = std::make_unique<Distributor>(s->store_.get(), c.limits,
                                                  storage::SystemClock::Default(),
                                                  s->metrics_.get());
  s->tail_hub_ = std::make_unique<TailHub>(c.limits.max_concurrent_tail_requests);
  s->distributor_->set_tail_hub(s->tail_hub_.get());
  s->ctx_.tail_hub = s->tail_hub_.get();
  s->ctx_.config = &s->config_;
  s->ctx_.store = s->store_.get();
  const query::Engine* engine = s->engine_.get();
  auto query_limiter = std::make_shared<QueryLimiter>(c.max_outstanding_requests_per_tenant,
                                                      c.max_query_result_bytes);
  s->ctx_.run_query = [engine, query_limiter](
                          const query::QueryParams& p) -> Result<query::QueryResult> {
    auto result = engine->Query(p);
    if (result.ok()) FENRIR_RETURN_IF_ERROR(query_limiter->CheckResult(*result));
    return result;
  };
  s->ctx_.distributor = s->distributor_.get();
  s->disk_guard_ = std::make_unique<DiskGuard>(c.path_prefix, c.min_free_disk_bytes);
  s->ctx_.disk_guard = s->disk_guard_.get();
  s->ctx_.metrics = s->metrics_.get();
  s->ctx_.ready = &s->ready_;
  Server* raw = s.get();
  s->ctx_.request_stop = [raw] { raw->Stop(); };
  s->router_ = std::make_unique<Router>(&s->ctx_);

  s->workers_ = std::make_unique<asio::thread_pool>(std::max(1, c.query_workers));
  s->shared_ = std::make_shared<SessionShared>();
  s->shared_->router = s->router_.get();
  s->shared_->ctx = &s->ctx_;
  s->shared_->metrics = s->metrics_.get();
  s->shared_->workers = s->workers_.get();
  s->shared_->query_limiter = query_limiter;
  s->shared_->body_limit = c.max_request_body_bytes;
  if (c.http_server_read_timeout_ns > 0) {
    s->shared_->read_timeout = std::chrono::nanoseconds(c.http_server_read_timeout_ns);
  }
  if (c.http_server_write_timeout_ns > 0) {
    s->shared_->write_timeout = std::chrono::nanoseconds(c.http_server_write_timeout_ns);
  }
  s->listener_ = std::make_shared<Listener>(s->ioc_, s->shared_);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(c.http_listen_address.empty() ? "0.0.0.0"
                                                                       : c.http_listen_address,
                                        ec);
  if (ec) return Status::InvalidArgument("invalid http_listen_address " + c.http_listen_address);
  FENRIR_RETURN_IF_ERROR(s->listener_->Open(
      asio::ip::tcp::endpoint(address, static_cast<uint16_t>(c.http_listen_port))));
  if (c.admin_listen_port > 0) FENRIR_RETURN_IF_ERROR(s->OpenAdminListener());
  return s;
}

Status Server::OpenAdminListener() {
  const Config& c = config_;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(c.admin_listen_address, ec);
  if (ec) return Status::InvalidArgument("invalid admin_listen_address " + c.admin_listen_address);
  admin_shared_ = std::make_shared<SessionShared>();
  admin_shared_->router = shared_->router;
  admin_shared_->ctx = shared_->ctx;
  admin_shared_->metrics = shared_->metrics;
  admin_shared_->workers = shared_->workers;
  admin_shared_->body_limit = shared_->body_limit;
  admin_shared_->read_timeout = shared_->read_timeout;
  admin_shared_->write_timeout = shared_->write_timeout;
  admin_shared_->scope = SessionShared::Scope::kAdmin;
  shared_->scope = SessionShared::Scope::kPublic;
  admin_listener_ = std::make_shared<Listener>(ioc_, admin_shared_);
  return admin_listener_->Open(
      asio::ip::tcp::endpoint(address, static_cast<uint16_t>(c.admin_listen_port)));
}

Server::~Server() {
  if (workers_) workers_->join();
  // Members are destroyed in reverse order: listener, sessions' shared state, router, then the
  // distributor, engine and finally the store (its destructor flushes).
}

void Server::Run() {
  listener_->Run();
  if (admin_listener_) {
    admin_listener_->Run();
    Log(LogLevel::kInfo, "admin API listening on " + config_.admin_listen_address + ":" +
                             std::to_string(admin_port()));
  }
  ready_ = true;
  Log(LogLevel::kInfo, "Fenrir " FENRIR_VERSION " listening on " + config_.http_listen_address +
                           ":" + std::to_string(port()));
  int threads = std::max(1, config_.io_threads);
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([this] { RunIoContext(); });
  RunIoContext();
  for (auto& t : pool) t.join();
  workers_->join();
  Log(LogLevel::kInfo, "server stopped");
}

void Server::RunIoContext() {
  // The last guard: a handler that throws ends only the operation it ran for (its connection
  // is closed as its state unwinds); the I/O thread goes on serving every other connection.
  for (;;) {
    try {
      ioc_.run();
      return;
    } catch (const std::exception& e) {
      Log(LogLevel::kError, std::string("exception escaped an I/O handler: ") + e.what());
    } catch (...) {
      Log(LogLevel::kError, "unknown exception escaped an I/O handler");
    }
    escaped_exceptions_++;
    if (metrics_) metrics_->CountEscapedException();
  }
}

void Server::Stop() {
  if (stopping_.exchange(true)) return;
  asio::post(ioc_, [this] {
    Log(LogLevel::kInfo, "shutting down: draining in-flight requests");
    ready_ = false;
    shared_->draining = true;
    listener_->Stop();
    if (admin_listener_) {
      admin_shared_->draining = true;
      admin_listener_->Stop();
    }
    drain_timer_ = std::make_unique<asio::steady_timer>(ioc_);
    DrainThenStop(200);  // up to ~10 s
  });
}

void Server::DrainThenStop(int attempts_left) {
  int in_flight = shared_->in_flight.load() + (admin_shared_ ? admin_shared_->in_flight.load() : 0);
  if (in_flight <= 0 || attempts_left <= 0) {
    ioc_.stop();
    return;
  }
  drain_timer_->expires_after(std::chrono::milliseconds(50));
  drain_timer_->async_wait([this, attempts_left](boost::system::error_code) {
    DrainThenStop(attempts_left - 1);
  });
}

}  // namespace fenrir::server
