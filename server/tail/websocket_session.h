#pragma once
// One live-tail WebSocket (Loki §1.10). After the upgrade it subscribes to the TailHub (closing
// with 1011 and Loki's text when the query is bad or the tenant has too many tails), sends the
// backfill (up to `limit` entries from [start, now - delay_for), oldest first), then every
// pushed entry that passes the query's selector and pipeline, delayed by delay_for. A ping
// goes out every second. A slow client gets at most kMaxQueued messages buffered; entries
// beyond that are reported as dropped_entries in a later message. Closes with 1011 after the
// 1 h tail limit. Pipelines and queries run on the worker pool; everything else on the
// connection's strand.

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <set>

#include "server/http/http_session.h"
#include "server/tail/tail.h"
#include "server/tail/tail_filter.h"
#include "server/tail/tail_hub.h"

namespace fenrir::server {

class WebsocketSession : public std::enable_shared_from_this<WebsocketSession> {
 public:
  WebsocketSession(boost::asio::ip::tcp::socket socket, std::shared_ptr<SessionShared> shared,
                   TailRequest request);
  ~WebsocketSession();
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
  void StartBackfill();
  void OnBackfillDone(Result<query::QueryResult> result);
  void OnNotify();
  void StartDrain();
  void OnDrained(std::vector<query::OutStream> streams, std::vector<DroppedEntry> dropped);
  void SendLive(std::vector<query::OutStream> streams);
  void Enqueue(Outgoing out);
  void DoWrite();
  void OnWrite(boost::beast::error_code ec, size_t bytes);
  void Fail(const std::string& reason);  // close frame 1011
  void Finish();                         // connection over: release the subscription

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  std::shared_ptr<SessionShared> shared_;
  TailRequest request_;
  boost::asio::steady_timer timer_;
  boost::asio::steady_timer delay_timer_;
  boost::beast::flat_buffer read_buffer_;
  std::unique_ptr<TailFilter> filter_;  // used by one drain task at a time
  std::shared_ptr<TailSubscription> subscription_;
  std::deque<Outgoing> queue_;
  size_t queued_texts_ = 0;
  std::vector<DroppedEntry> dropped_;  // waiting for a message with room to carry them
  std::set<std::string> backfill_keys_;  // entries already sent by the backfill
  int64_t backfill_end_ns_ = 0;
  bool backfill_done_ = false;
  bool draining_ = false;
  bool notify_pending_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool done_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace fenrir::server
