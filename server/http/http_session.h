#pragma once
// One HTTP/1.1 connection (Beast chat-multi style): keep-alive loop; every read has a body limit
// and a timeout; malformed or oversized requests become 4xx responses (server/http/http_limits.h),
// never exceptions; handler exceptions become 500s.
// Slow routes run on the worker pool and their response is written back on the connection's
// strand, so I/O threads never block on a query.

#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include "server/query_limiter.h"
#include "server/router.h"

namespace fenrir::server {

// Shared by every session of a server; outlives them (sessions hold it by shared_ptr).
struct SessionShared {
  const Router* router = nullptr;
  const ServerContext* ctx = nullptr;
  ServerMetrics* metrics = nullptr;  // may be null
  boost::asio::thread_pool* workers = nullptr;
  std::shared_ptr<QueryLimiter> query_limiter;  // may be null: no admission control
  uint64_t body_limit = 64ULL << 20;
  std::chrono::nanoseconds read_timeout{std::chrono::seconds(30)};
  std::chrono::nanoseconds write_timeout{std::chrono::seconds(30)};
  std::atomic<int> in_flight{0};        // requests read but not yet answered
  std::atomic<bool> draining{false};    // shutting down: answer, then close
  // Which routes this listener serves when the admin API has a listener of its own.
  enum class Scope { kAll, kPublic, kAdmin };
  Scope scope = Scope::kAll;
  bool Serves(std::string_view path) const {
    bool admin = path.substr(0, 7) == "/admin/";
    return scope == Scope::kAll || (scope == Scope::kAdmin) == admin;
  }
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<SessionShared> shared);
  void Run();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  void DoRead();
  void ReadHeader();
  void Reject(int status, std::string message);  // answer, then close
  void OnHeader(boost::beast::error_code ec, size_t bytes);
  void OnRead(boost::beast::error_code ec, size_t bytes);
  void Dispatch(Request request);
  void Write(HttpResponse response, unsigned version, bool keep_alive, std::string method,
             std::string route, std::chrono::steady_clock::time_point began);
  void OnWrite(bool close, boost::beast::error_code ec, size_t bytes);
  void Close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  size_t header_bytes_ = 0;  // of the request being read, consumed by the parser so far
  std::shared_ptr<Response> response_;  // kept alive during async_write
  // Beast keeps a pointer to this callback: it lives as long as the session.
  struct ChunkHeaderCheck {
    void operator()(uint64_t, boost::beast::string_view extensions,
                    boost::beast::error_code& ec) const;
  } chunk_header_check_;
  std::shared_ptr<SessionShared> shared_;
};

}  // namespace fenrir::server
