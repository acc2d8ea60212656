#pragma once
// Accepts TCP connections and starts an HttpSession (on its own strand) for each.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "server/http/http_session.h"

namespace fenrir::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, std::shared_ptr<SessionShared> shared);
  // Binds and listens; errors are IOError with the system message.
  Status Open(const boost::asio::ip::tcp::endpoint& endpoint);
  void Run();
  // Stops accepting (thread-safe: posted to the acceptor's strand). Connections the kernel
  // has already completed (the listen backlog) are accepted first and served, so a client
  // that connected and sent its request before the stop gets an answer, not a reset.
  void Stop();
  uint16_t port() const { return port_; }

 private:
  void DoAccept();
  void OnAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);
  void StartSession(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<SessionShared> shared_;
  uint16_t port_ = 0;
};

}  // namespace fenrir::server
