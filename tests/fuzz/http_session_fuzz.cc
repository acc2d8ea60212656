// Fuzzes the HTTP session end to end: the input is the raw bytes of one connection, sent to a
// real in-process Server (listener, HttpSession, router, every handler, the store) on a loopback
// port; the fuzzer half-closes and reads until the server closes. Never a crash, an exception
// escaping an I/O handler, or a hang. So that a short input can reach Beast's size limits
// (a 64 KiB header field, a 1 MiB header), the byte pair 0xFF k expands to k KiB of 'a'.

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "server/server.h"

namespace {

// The server is never destroyed: libFuzzer ends the process with exit(), and destroying the
// store under the running I/O and retention threads would be a crash of the harness, not of
// Fenrir. A pointer held in a static is not a leak to LeakSanitizer.
fenrir::server::Server* StartServer() {
  char dir[] = "/tmp/fenrir-http-fuzz-XXXXXX";
  if (!mkdtemp(dir)) std::abort();
  fenrir::server::Config config;
  config.http_listen_address = "127.0.0.1";
  config.http_listen_port = 0;
  config.path_prefix = dir;
  config.log_level = "error";
  config.http_server_read_timeout_ns = 2'000'000'000;  // a header never finished ends in 2 s
  auto created = fenrir::server::Server::Create(config);
  if (!created.ok()) {
    std::fprintf(stderr, "server: %s\n", created.status().message().c_str());
    std::abort();
  }
  fenrir::server::Server* server = created->release();
  std::thread([server] { server->Run(); }).detach();
  return server;
}

std::string Expand(const uint8_t* data, size_t size) {
  std::string out;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0xFF && i + 1 < size) {
      out.append(size_t{data[i + 1]} << 10, 'a');
      ++i;
    } else {
      out.push_back(static_cast<char>(data[i]));
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static fenrir::server::Server* server = StartServer();
  std::string bytes = Expand(data, size);

  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) std::abort();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(server->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) std::abort();
  timeval tv{5, 0};  // a server that neither answers nor closes within 5 s is a hang
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server answered early and closed
    sent += static_cast<size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  char buf[65536];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        std::fprintf(stderr, "server neither answered nor closed within 5 s\n");
        std::abort();
      }
      break;  // reset
    }
  }
  close(fd);
  if (server->escaped_exceptions() != 0) {
    std::fprintf(stderr, "an exception escaped an I/O handler\n");
    std::abort();
  }
  return 0;
}
