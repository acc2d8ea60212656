#include "server/tail/websocket_session.h"

#include <boost/asio/post.hpp>

#include <algorithm>

#include "server/http/http_limits.h"
#include "server/log.h"

namespace fenrir::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {
constexpr auto kTick = std::chrono::seconds(1);
constexpr auto kMaxDuration = std::chrono::hours(1);
constexpr size_t kBatch = 100;
constexpr size_t kMaxQueued = 10;  // text messages buffered for a slow client

std::string EntryKey(const storage::Labels& labels, const query::OutEntry& e) {
  return labels.ToString() + '\n' + std::to_string(e.timestamp_ns) + '\n' + e.line;
}
}  // namespace

WebsocketSession::WebsocketSession(asio::ip::tcp::socket socket,
                                   std::shared_ptr<SessionShared> shared, TailRequest request)
    : ws_(std::move(socket)),
      shared_(std::move(shared)),
      request_(std::move(request)),
      timer_(ws_.get_executor()),
      delay_timer_(ws_.get_executor()) {}

WebsocketSession::~WebsocketSession() { Finish(); }

void WebsocketSession::Run(beast::http::request<beast::http::string_body> upgrade) {
  started_ = std::chrono::steady_clock::now();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.read_message_max(kMaxWebsocketMessageBytes);  // past it Beast closes with 1009
  ws_.async_accept(upgrade, beast::bind_front_handler(&WebsocketSession::OnAccept,
                                                      shared_from_this()));
}

void WebsocketSession::OnAccept(beast::error_code ec) {
  if (ec) return;
  DoRead();
  auto filter = TailFilter::Make(request_.query);
  if (!filter.ok()) return Fail(filter.status().message());
  filter_ = std::move(*filter);
  if (TailHub* hub = shared_->ctx->tail_hub) {
    std::weak_ptr<WebsocketSession> weak = shared_from_this();
    auto executor = ws_.get_executor();
    auto sub = hub->Subscribe(request_.tenant, filter_->matchers(), [weak, executor] {
      asio::post(executor, [weak] {
        if (auto self = weak.lock()) self->OnNotify();
      });
    });
    if (!sub.ok()) return Fail(sub.status().message());
    subscription_ = std::move(*sub);
  }
  StartBackfill();
  ScheduleTick();
}

void WebsocketSession::DoRead() {
  ws_.async_read(read_buffer_,
                 beast::bind_front_handler(&WebsocketSession::OnRead, shared_from_this()));
}

void WebsocketSession::OnRead(beast::error_code ec, size_t) {
  if (ec) {  // closed by the client (1000) or a broken connection
    Finish();
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
  if (shared_->draining.load()) return Fail("server is shutting down");
  if (std::chrono::steady_clock::now() - started_ > kMaxDuration) {
    return Fail("reached tail max duration limit");
  }
  if (!writing_) Enqueue({Outgoing::Kind::kPing, ""});
  ScheduleTick();
}

void WebsocketSession::StartBackfill() {
  const ServerContext* ctx = shared_->ctx;
  query::QueryParams p;
  p.tenant = request_.tenant;
  p.query = request_.query;
  p.categorize_labels = request_.categorize;
  p.start_ns = request_.start_ns;
  p.end_ns = std::max(ctx->clock->NowNanos() - request_.delay_ns, p.start_ns);
  p.limit = request_.limit;
  p.direction = storage::Direction::kBackward;
  p.step_ns = std::max<int64_t>(1'000'000'000, (p.end_ns - p.start_ns) / 250);
  backfill_end_ns_ = p.end_ns;
  auto self = shared_from_this();
  asio::post(*shared_->workers, [self, ctx, p] {
    Result<query::QueryResult> r = Status::Internal("query failed");
    try {
      r = ctx->run_query(p);
    } catch (const std::exception& e) {
      r = Status::Internal(e.what());
    }
    asio::post(self->ws_.get_executor(),
               [self, r = std::move(r)]() mutable { self->OnBackfillDone(std::move(r)); });
  });
}

void WebsocketSession::OnBackfillDone(Result<query::QueryResult> result) {
  if (done_ || closing_) return;
  if (!result.ok()) return Fail(result.status().message());
  if (result->type != query::QueryResult::Type::kStreams) {
    return Fail("tail requires a log query, not a metric query");
  }
  TailCursor cursor(request_.start_ns);
  for (auto& msg : cursor.Take(std::move(result->streams), kBatch)) {
    for (const auto& s : msg) {
      for (const auto& e : s.entries) backfill_keys_.insert(EntryKey(s.labels, e));
    }
    Enqueue({Outgoing::Kind::kText,
             EncodeTailMessage(msg, request_.categorize, request_.legacy)});
    queued_texts_++;
  }
  backfill_done_ = true;
  if (notify_pending_) StartDrain();
}

void WebsocketSession::OnNotify() {
  if (done_ || closing_) return;
  if (!backfill_done_ || draining_) {
    notify_pending_ = true;
    return;
  }
  StartDrain();
}

void WebsocketSession::StartDrain() {
  draining_ = true;
  notify_pending_ = false;
  if (!subscription_) {
    draining_ = false;
    return;
  }
  auto self = shared_from_this();
  auto run = [self, sub = subscription_] {
    asio::post(*self->shared_->workers, [self, sub] {
      TailSubscription::Drained d = sub->Drain();
      std::vector<query::OutStream> streams;
      try {
        streams = self->filter_->Apply(d.streams, self->request_.categorize);
      } catch (const std::exception& e) {
        Log(LogLevel::kError, std::string("tail pipeline failed: ") + e.what());
      }
      asio::post(self->ws_.get_executor(),
                 [self, streams = std::move(streams), dropped = std::move(d.dropped)]() mutable {
                   self->OnDrained(std::move(streams), std::move(dropped));
                 });
    });
  };
  if (request_.delay_ns <= 0) return run();
  // delay_for: give late (out-of-order) pushes time to arrive before sending.
  delay_timer_.expires_after(std::chrono::nanoseconds(request_.delay_ns));
  delay_timer_.async_wait([run](beast::error_code ec) {
    if (!ec) run();
  });
}

void WebsocketSession::OnDrained(std::vector<query::OutStream> streams,
                                 std::vector<DroppedEntry> dropped) {
  draining_ = false;
  if (done_ || closing_) return;
  for (auto& d : dropped) {
    if (dropped_.size() >= TailSubscription::kMaxDropped) break;
    dropped_.push_back(std::move(d));
  }
  SendLive(std::move(streams));
  if (notify_pending_) StartDrain();
}

void WebsocketSession::SendLive(std::vector<query::OutStream> streams) {
  if (!backfill_keys_.empty()) {
    for (auto& s : streams) {
      auto& es = s.entries;
      es.erase(std::remove_if(es.begin(), es.end(),
                              [&](const query::OutEntry& e) {
                                return e.timestamp_ns < backfill_end_ns_ &&
                                       backfill_keys_.count(EntryKey(s.labels, e)) > 0;
                              }),
               es.end());
    }
  }
  TailCursor cursor(INT64_MIN);
  for (auto& msg : cursor.Take(std::move(streams), kBatch)) {
    if (queued_texts_ >= kMaxQueued) {
      for (const auto& s : msg) {
        for (const auto& e : s.entries) {
          if (dropped_.size() >= TailSubscription::kMaxDropped) break;
          dropped_.push_back({s.labels, e.timestamp_ns});
        }
      }
      continue;
    }
    std::vector<DroppedEntry> carried;
    carried.swap(dropped_);
    Enqueue({Outgoing::Kind::kText,
             EncodeTailMessage(msg, carried, request_.categorize, request_.legacy)});
    queued_texts_++;
  }
  if (!dropped_.empty() && queued_texts_ < kMaxQueued) {
    std::vector<DroppedEntry> carried;
    carried.swap(dropped_);
    Enqueue({Outgoing::Kind::kText,
             EncodeTailMessage({}, carried, request_.categorize, request_.legacy)});
    queued_texts_++;
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
                        self->writing_ = false;
                        self->queue_.clear();
                        self->Finish();
                      });
      break;
  }
}

void WebsocketSession::OnWrite(beast::error_code ec, size_t) {
  writing_ = false;
  if (ec) {
    queue_.clear();
    Finish();
    return;
  }
  if (queue_.front().kind == Outgoing::Kind::kText && queued_texts_ > 0) queued_texts_--;
  queue_.pop_front();
  if (!dropped_.empty() && queued_texts_ == 0 && !closing_) {
    // The client caught up: tell it what it missed.
    std::vector<DroppedEntry> carried;
    carried.swap(dropped_);
    queue_.push_back({Outgoing::Kind::kText,
                      EncodeTailMessage({}, carried, request_.categorize, request_.legacy)});
    queued_texts_++;
  }
  DoWrite();
}

void WebsocketSession::Fail(const std::string& reason) {
  if (closing_ || done_) return;
  closing_ = true;
  timer_.cancel();
  // Pending messages are dropped: the close frame goes out next.
  if (writing_) {
    while (queue_.size() > 1) queue_.pop_back();
  } else {
    queue_.clear();
  }
  queued_texts_ = 0;
  // Close reasons are limited to 123 bytes by the protocol.
  Enqueue({Outgoing::Kind::kClose, reason.substr(0, 123)});
}

void WebsocketSession::Finish() {
  if (!done_) {
    done_ = true;
    timer_.cancel();
    delay_timer_.cancel();
  }
  if (subscription_) {
    if (TailHub* hub = shared_->ctx->tail_hub) hub->Unsubscribe(subscription_.get());
    subscription_.reset();
  }
}

}  // namespace fenrir::server
