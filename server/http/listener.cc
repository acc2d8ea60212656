#include "server/http/listener.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "server/log.h"

namespace fenrir::server {

namespace asio = boost::asio;

Listener::Listener(asio::io_context& ioc, std::shared_ptr<SessionShared> shared)
    : ioc_(ioc), acceptor_(asio::make_strand(ioc)), shared_(std::move(shared)) {}

Status Listener::Open(const asio::ip::tcp::endpoint& endpoint) {
  boost::beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IOError("listen on " + endpoint.address().to_string() + ":" +
                           std::to_string(endpoint.port()) + ": " + ec.message());
  }
  port_ = acceptor_.local_endpoint().port();
  return Status::OK();
}

void Listener::Run() { DoAccept(); }

void Listener::Stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::beast::error_code ec;
    self->acceptor_.non_blocking(true, ec);
    for (int i = 0; !ec && i < 65536; ++i) {  // bounded: the backlog is finite anyway
      asio::ip::tcp::socket socket(asio::make_strand(self->ioc_));
      self->acceptor_.accept(socket, ec);
      if (!ec) self->StartSession(std::move(socket));
    }
    self->acceptor_.close(ec);
  });
}

void Listener::DoAccept() {
  acceptor_.async_accept(asio::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(boost::beast::error_code ec, asio::ip::tcp::socket socket) {
  // A connection accepted just as the acceptor closed is still served.
  if (!ec && socket.is_open()) StartSession(std::move(socket));
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) Log(LogLevel::kWarn, "accept: " + ec.message());
  DoAccept();
}

void Listener::StartSession(asio::ip::tcp::socket socket) {
  boost::beast::error_code opt_ec;
  socket.set_option(asio::ip::tcp::no_delay(true), opt_ec);
  std::make_shared<HttpSession>(std::move(socket), shared_)->Run();
}

}  // namespace fenrir::server
