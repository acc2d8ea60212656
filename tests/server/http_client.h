#pragma once
// A tiny synchronous HTTP/1.1 client for integration tests (Boost.Beast).

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fenrir::testing {

struct ClientResponse {
  int status = 0;  // 0: connection failed
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

inline ClientResponse HttpCall(int port, const std::string& method, const std::string& target,
                               const std::string& body = "",
                               const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context ioc;
  ClientResponse out;
  try {
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)});
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ULL << 30);
    http::read(socket, buffer, parser);
    auto res = parser.release();
    out.status = static_cast<int>(res.result_int());
    out.body = std::move(res.body());
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    beast::error_code ec;
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  } catch (const std::exception&) {
    out.status = 0;
  }
  return out;
}

// Sends raw bytes and returns everything the server answers until it closes (or 2 s pass).
inline std::string RawCall(int port, const std::string& bytes) {
  boost::asio::io_context ioc;
  std::string out;
  try {
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)});
    boost::asio::write(socket, boost::asio::buffer(bytes));
    timeval tv{2, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4096];
    boost::system::error_code ec;
    while (true) {
      size_t n = socket.read_some(boost::asio::buffer(buf), ec);
      if (ec || n == 0) break;
      out.append(buf, n);
    }
  } catch (const std::exception&) {
  }
  return out;
}

}  // namespace fenrir::testing
