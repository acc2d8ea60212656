#include "server/websocket_session.h"

#include <boost/asio/post.hpp>

#include "server/log.h"

namespace fenrir::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {
constexpr auto kTick = std::chrono::seconds(1);
constexpr auto kMaxDuration = std::chrono::hours(1);
constexpr size_t kBatch = 100;
constexpr size_t kMaxQueued = 10;  // messages buffered for a slow client; more are dropped
}  // namespace

WebsocketSession::WebsocketSession(asio::ip::tcp::socket socket,
                                   std::shared_ptr<SessionShared> shared, TailRequest request)
    : ws_(std::move(socket)),
      shared_(std::move(shared)),
      request_(std::move(request)),
      cursor_(request_.start_ns),
      timer_(ws_.get_executor()) {}

void WebsocketSession::Run(beast::http::request<beast::http::string_body> upgrade) {
  started_ = std::chrono::steady_clock::now();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.async_accept(upgrade, beast::bind_front_handler(&WebsocketSession::OnAccept,
                                                      shared_from_this()));
}

void WebsocketSession::OnAccept(beast::error_code ec) {
  if (ec) return;
  DoRead();
  StartQuery(true);
  ScheduleTick();
}

void WebsocketSession::DoRead() {
  ws_.async_read(read_buffer_,
                 beast::bind_front_handler(&WebsocketSession::OnRead, shared_from_this()));
}

void WebsocketSession::OnRead(beast::error_code ec, size_t) {
  if (ec) {  // closed by the client (1000) or a broken connection
    done_ = true;
    timer_.cancel();
    return;
  }
  read_buffer_.consume(read_buffer_.size());  // client messages are ignored
  DoRead();
}

void WebsocketSession::ScheduleTick() {
  if (done_ || closing_) return;
  timer_.expires_after(kTick);
  timer_.async_wait(beast::bind_front_handler(&WebsocketSession::OnTick, shared_from_this()));
}

void WebsocketSession::OnTick(beast::error_code ec) {
  if (ec || done_ || closing_) return;
  if (std::chrono::steady_clock::now() - started_ > kMaxDuration) {
    return Fail("reached tail max duration limit");
  }
  if (!writing_) Enqueue({Outgoing::Kind::kPing, ""});
  if (!querying_) StartQuery(false);
  ScheduleTick();
}

void WebsocketSession::StartQuery(bool backfill) {
  if (shared_->draining.load()) return Fail("server is shutting down");
  querying_ = true;
  const ServerContext* ctx = shared_->ctx;
  int64_t now = ctx->clock->NowNanos() - request_.delay_ns;
  query::QueryParams p;
  p.tenant = request_.tenant;
  p.query = request_.query;
  p.categorize_labels = request_.categorize;
  if (backfill) {
    p.start_ns = request_.start_ns;
    p.end_ns = std::max(now, p.start_ns);
    p.limit = request_.limit;
    p.direction = storage::Direction::kBackward;
  } else {
    p.start_ns = cursor_.from_ns();
    p.end_ns = std::max(now + 1, p.start_ns);
    p.limit = std::min<uint32_t>(1000, std::max<uint32_t>(1, ctx->config->limits.max_entries_limit_per_query));
    p.direction = storage::Direction::kForward;
  }
  p.step_ns = std::max<int64_t>(1'000'000'000, (p.end_ns - p.start_ns) / 250);
  auto self = shared_from_this();
  asio::post(*shared_->workers, [self, ctx, p] {
    Result<query::QueryResult> r = Status::Internal("query failed");
    try {
      r = ctx->run_query(p);
    } catch (const std::exception& e) {
      r = Status::Internal(e.what());
    }
    asio::post(self->ws_.get_executor(),
               [self, r = std::move(r)]() mutable { self->OnQueryDone(std::move(r)); });
  });
}

void WebsocketSession::OnQueryDone(Result<query::QueryResult> result) {
  querying_ = false;
  if (done_ || closing_) return;
  if (!result.ok()) return Fail(result.status().message());
  if (result->type != query::QueryResult::Type::kStreams) {
    return Fail("only log queries can be tailed");
  }
  for (auto& msg : cursor_.Take(std::move(result->streams), kBatch)) {
    if (queue_.size() >= kMaxQueued) break;  // slow client: the rest is dropped
    Enqueue({Outgoing::Kind::kText, EncodeTailMessage(msg, request_.categorize, request_.legacy)});
  }
}

void WebsocketSession::Enqueue(Outgoing out) {
  queue_.push_back(std::move(out));
  if (!writing_) DoWrite();
}

void WebsocketSession::DoWrite() {
  if (queue_.empty() || done_) return;
  writing_ = true;
  Outgoing& out = queue_.front();
  auto self = shared_from_this();
  switch (out.kind) {
    case Outgoing::Kind::kText:
      ws_.text(true);
      ws_.async_write(asio::buffer(out.text),
                      beast::bind_front_handler(&WebsocketSession::OnWrite, self));
      break;
    case Outgoing::Kind::kPing:
      ws_.async_ping({}, [self](beast::error_code ec) { self->OnWrite(ec, 0); });
      break;
    case Outgoing::Kind::kClose:
      ws_.async_close(websocket::close_reason(websocket::close_code::internal_error, out.text),
                      [self](beast::error_code) {
                        self->done_ = true;
                        self->writing_ = false;
                        self->queue_.clear();
                        self->timer_.cancel();
                      });
      break;
  }
}

void WebsocketSession::OnWrite(beast::error_code ec, size_t) {
  writing_ = false;
  if (ec) {
    done_ = true;
    queue_.clear();
    timer_.cancel();
    return;
  }
  queue_.pop_front();
  DoWrite();
}

void WebsocketSession::Fail(const std::string& reason) {
  if (closing_ || done_) return;
  closing_ = true;
  timer_.cancel();
  // Close reasons are limited to 123 bytes by the protocol.
  Enqueue({Outgoing::Kind::kClose, reason.substr(0, 123)});
}

}  // namespace fenrir::server
