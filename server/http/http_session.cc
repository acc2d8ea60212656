#include "server/http/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

#include "server/http/http_limits.h"
#include "server/log.h"
#include "server/tail/tail.h"
#include "server/tail/websocket_session.h"

namespace fenrir::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

HttpRequest ToHttpRequest(http::request<http::string_body>&& req) {
  HttpRequest r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = std::move(req.body());
  return r;
}

HttpResponse SafeHandle(const std::function<HttpResponse(const HttpRequest&)>& handler,
                        const HttpRequest& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    Log(LogLevel::kError, std::string("handler exception: ") + e.what());
    return HttpResponse::Text(500, std::string("internal error: ") + e.what());
  } catch (...) {
    return HttpResponse::Text(500, "internal error");
  }
}

}  // namespace

void HttpSession::ChunkHeaderCheck::operator()(uint64_t, beast::string_view extensions,
                                               beast::error_code& ec) const {
  if (extensions.size() > kMaxChunkExtensionBytes) ec = http::error::bad_chunk_extension;
}

HttpSession::HttpSession(asio::ip::tcp::socket socket, std::shared_ptr<SessionShared> shared)
    : stream_(std::move(socket)), buffer_(kMaxConnectionBuffer), shared_(std::move(shared)) {}

void HttpSession::Run() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&HttpSession::DoRead, shared_from_this()));
}

void HttpSession::DoRead() {
  if (shared_->draining.load()) {
    // Shutting down: a request already sent (buffered here or in the kernel) is still read
    // and answered; an idle connection is closed.
    beast::error_code ec;
    size_t available = stream_.socket().available(ec);
    if (ec || (buffer_.size() == 0 && available == 0)) return Close();
  }
  parser_.emplace();
  parser_->body_limit(shared_->body_limit);
  parser_->header_limit(kMaxHeaderBytes);
  parser_->on_chunk_header(chunk_header_check_);
  header_bytes_ = 0;
  stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      shared_->read_timeout));
  ReadHeader();
}

// Beast's read_some loop for the header, with the parse on this side of a try block: Beast
// throws std::length_error for a field it cannot store, and no exception may leave a handler.
void HttpSession::ReadHeader() {
  if (buffer_.size() > 0) {
    beast::error_code ec;
    size_t used = 0;
    try {
      used = parser_->put(buffer_.data(), ec);
    } catch (const std::length_error&) {
      return Reject(431, "Request Header Fields Too Large");
    } catch (const std::exception& e) {
      return Reject(400, std::string("bad request: ") + e.what());
    }
    buffer_.consume(used);
    header_bytes_ += used;
    if (!ec) {
      // Beast measures its header limit from where each parse step starts (the request line
      // may be consumed before the fields arrive), so a header a few bytes over it can pass.
      if (header_bytes_ > kMaxHeaderBytes) return Reject(431, "Request Header Fields Too Large");
      size_t fields = 0;
      for (auto it = parser_->get().begin(); it != parser_->get().end(); ++it) ++fields;
      if (fields > kMaxHeaderFields) return Reject(431, "Request Header Fields Too Large");
      return OnHeader({}, 0);
    }
    if (ec != http::error::need_more) return OnRead(ec, 0);
  }
  size_t room = std::min<size_t>(64 << 10, buffer_.max_size() - buffer_.size());
  if (room == 0) return OnRead(http::error::header_limit, 0);
  stream_.async_read_some(buffer_.prepare(room),
                          [self = shared_from_this()](beast::error_code ec, size_t n) {
                            self->buffer_.commit(n);
                            if (ec) return self->Close();  // eof, reset or timeout mid-header
                            self->ReadHeader();
                          });
}

void HttpSession::Reject(int status, std::string message) {
  shared_->in_flight++;
  Write(HttpResponse::Text(status, message), 11, false, "", "invalid",
        std::chrono::steady_clock::now());
}

void HttpSession::OnHeader(beast::error_code ec, size_t bytes) {
  if (ec) return OnRead(ec, bytes);
  auto read_body = [self = shared_from_this()] {
    http::async_read(self->stream_, self->buffer_, *self->parser_,
                     beast::bind_front_handler(&HttpSession::OnRead, self));
  };
  if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
    // curl and some collectors wait for this before sending a large body.
    auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
    http::async_write(stream_, *cont,
                      [self = shared_from_this(), cont, read_body](beast::error_code wec, size_t) {
                        if (wec) return self->Close();
                        read_body();
                      });
    return;
  }
  read_body();
}

void HttpSession::OnRead(beast::error_code ec, size_t) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
      ec == asio::error::eof) {
    return Close();
  }
  auto began = std::chrono::steady_clock::now();
  if (ec) {
    // A malformed or oversized request: answer it, then close the connection.
    shared_->in_flight++;
    HttpResponse r = ec == http::error::body_limit ? HttpResponse::Text(413, "request body too large")
                     : ec == http::error::header_limit
                         ? HttpResponse::Text(431, "Request Header Fields Too Large")
                     : ec == http::error::buffer_overflow
                         ? HttpResponse::Text(400, "bad request: chunked line too long")
                         : HttpResponse::Text(400, "bad request: " + ec.message());
    return Write(std::move(r), 11, false, "", "invalid", began);
  }
  shared_->in_flight++;
  try {
    Dispatch(parser_->release());
  } catch (const std::exception& e) {
    // Never let a request take the I/O thread down: answer 500 and close.
    Log(LogLevel::kError, std::string("request failed: ") + e.what());
    Write(HttpResponse::Text(500, "internal error"), 11, false, "", "invalid", began);
  }
}

void HttpSession::Dispatch(Request request) {
  auto began = std::chrono::steady_clock::now();
  unsigned version = request.version();
  bool keep_alive = request.keep_alive();
  if (beast::websocket::is_upgrade(request)) {
    std::string_view target(request.target().data(), request.target().size());
    Router::Match match = shared_->router->Resolve(
        "GET", target.substr(0, target.find('?')));
    if (match.status == 200 && match.websocket) {
      Request upgrade = request;  // Beast needs the original request to answer the upgrade
      HttpRequest req = ToHttpRequest(std::move(request));
      auto tail = ParseTailRequest(*shared_->ctx, req, match.route == "api_prom_tail");
      if (!tail.ok()) {
        return Write(ErrorResponse(tail.status()), version, false, req.method, match.route,
                     began);
      }
      shared_->in_flight--;
      std::make_shared<WebsocketSession>(stream_.release_socket(), shared_, std::move(*tail))
          ->Run(std::move(upgrade));
      return;
    }
  }
  HttpRequest req = ToHttpRequest(std::move(request));
  Router::Match match = shared_->router->Resolve(req.method, req.Path());
  if (!shared_->Serves(req.Path())) match.status = 404;
  if (match.status != 200) {
    HttpResponse r = match.status == 404 ? HttpResponse::Text(404, "404 page not found")
                                         : HttpResponse{405, "", "", {}};
    return Write(std::move(r), version, keep_alive, req.method, match.route, began);
  }
  if (!match.slow) {
    HttpResponse r = SafeHandle(match.handler, req);
    return Write(std::move(r), version, keep_alive, req.method, match.route, began);
  }
  std::shared_ptr<QueryLimiter::Permit> permit;
  if (shared_->query_limiter) {
    // Bounded queue: a tenant's queued and running slow requests (tenant as in the header;
    // the handler still validates it).
    std::string tenant = shared_->ctx->config->auth_enabled
                             ? std::string(req.Header("x-scope-orgid"))
                             : std::string("fake");
    permit = shared_->query_limiter->TryAcquire(tenant);
    if (!permit) {
      return Write(HttpResponse::Text(429, kTooManyOutstandingRequests), version, keep_alive,
                   req.method, match.route, began);
    }
  }
  auto self = shared_from_this();
  asio::post(*shared_->workers, [self, req = std::move(req), match = std::move(match), version,
                                 keep_alive, began, permit = std::move(permit)]() mutable {
    HttpResponse r = SafeHandle(match.handler, req);
    permit.reset();
    asio::post(self->stream_.get_executor(),
               [self, r = std::move(r), version, keep_alive, method = std::move(req.method),
                route = std::move(match.route), began]() mutable {
                 self->Write(std::move(r), version, keep_alive, std::move(method),
                             std::move(route), began);
               });
  });
}

void HttpSession::Write(HttpResponse r, unsigned version, bool keep_alive, std::string method,
                        std::string route, std::chrono::steady_clock::time_point began) {
  if (shared_->metrics && !method.empty()) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    shared_->metrics->ObserveRequest(method, route, r.status, secs);
  }
  bool close = !keep_alive || shared_->draining.load();
  auto res = std::make_shared<Response>(static_cast<http::status>(r.status), version);
  if (!r.content_type.empty()) res->set(http::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) res->set(k, v);
  if (r.status == 499) res->reason("Client Closed Request");
  res->body() = std::move(r.body);
  res->keep_alive(!close);
  res->prepare_payload();
  response_ = res;
  stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      shared_->write_timeout));
  http::async_write(stream_, *res,
                    beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this(), close));
}

void HttpSession::OnWrite(bool close, beast::error_code ec, size_t) {
  response_.reset();
  shared_->in_flight--;
  if (ec || close) return Close();
  DoRead();
}

void HttpSession::Close() {
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

}  // namespace fenrir::server
