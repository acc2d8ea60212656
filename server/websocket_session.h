#pragma once
// One live-tail WebSocket (Loki §1.10): after the upgrade it sends the backfill (up to `limit`
// entries from [start, now), oldest first), then new entries found by a forward query every
// second, a ping every second, and closes with code 1011 and the error text on failures or
// after the 1 h tail limit. Queries run on the worker pool; everything else on the strand.

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <deque>
#include <memory>

#include "server/http_session.h"
#include "server/tail.h"

namespace fenrir::server {

class WebsocketSession : public std::enable_shared_from_this<WebsocketSession> {
 public:
  WebsocketSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<SessionShared> shared,
                   TailRequest request);
  // Completes the upgrade for `upgrade` and starts tailing.
  void Run(boost::beast::http::request<boost::beast::http::string_body> upgrade);

 private:
  struct Outgoing {
    enum class Kind { kText, kPing, kClose } kind;
    std::string text;
  };

  void OnAccept(boost::beast::error_code ec);
  void DoRead();
  void OnRead(boost::beast::error_code ec, size_t bytes);
  void ScheduleTick();
  void OnTick(boost::beast::error_code ec);
  void StartQuery(bool backfill);
  void OnQueryDone(Result<query::QueryResult> result);
  void Enqueue(Outgoing out);
  void DoWrite();
  void OnWrite(boost::beast::error_code ec, size_t bytes);
  void Fail(const std::string& reason);  // close frame 1011

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  std::shared_ptr<SessionShared> shared_;
  TailRequest request_;
  TailCursor cursor_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer read_buffer_;
  std::deque<Outgoing> queue_;
  bool writing_ = false;
  bool querying_ = false;
  bool closing_ = false;
  bool done_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace fenrir::server
