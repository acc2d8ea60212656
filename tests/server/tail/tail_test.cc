// Live tail: cursor logic and message encoding, then the WebSocket against the real binary.

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/beast/websocket.hpp>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "../http_client.h"
#include "server/tail/tail.h"

using namespace fenrir::server;
namespace query = fenrir::query;
using fenrir::testing::HttpCall;
using nlohmann::json;

namespace {
query::OutStream Stream(const std::string& job, std::vector<std::pair<int64_t, std::string>> es) {
  query::OutStream s;
  s.labels = fenrir::storage::Labels(std::vector<fenrir::storage::Label>{{"job", job}});
  for (auto& [ts, line] : es) {
    query::OutEntry e;
    e.timestamp_ns = ts;
    e.line = line;
    s.entries.push_back(e);
  }
  return s;
}
}  // namespace

TEST_CASE("tail cursor sends each entry once, oldest first, in batches", "[tail]") {
  TailCursor c(100);
  auto msgs = c.Take({Stream("a", {{105, "a2"}, {101, "a1"}}), Stream("b", {{103, "b1"}})}, 2);
  REQUIRE(msgs.size() == 2);
  REQUIRE(msgs[0].size() == 2);
  CHECK(msgs[0][0].entries[0].line == "a1");
  CHECK(msgs[0][1].entries[0].line == "b1");
  CHECK(msgs[1][0].entries[0].line == "a2");
  CHECK(c.from_ns() == 105);
  // the next poll starts at the cursor (inclusive): already-sent entries are skipped, a new
  // line at the same timestamp is not
  auto again = c.Take({Stream("a", {{105, "a2"}, {105, "a2-bis"}, {106, "a3"}})}, 100);
  REQUIRE(again.size() == 1);
  REQUIRE(again[0][0].entries.size() == 2);
  CHECK(again[0][0].entries[0].line == "a2-bis");
  CHECK(again[0][0].entries[1].line == "a3");
  CHECK(c.Take({Stream("a", {{106, "a3"}, {90, "old"}})}, 100).empty());
}

TEST_CASE("tail messages in v1, categorized and legacy shapes", "[tail]") {
  auto s = Stream("a", {{1700000000000000000, "x<y"}});
  CHECK(EncodeTailMessage({s}, false, false) ==
        R"({"streams":[{"stream":{"job":"a"},"values":[["1700000000000000000","x\u003cy"]]}]})");
  CHECK(EncodeTailMessage({s}, true, false) ==
        R"({"streams":[{"stream":{"job":"a"},"values":[["1700000000000000000","x\u003cy",{}]]}],)"
        R"("encodingFlags":["categorize-labels"]})");
  CHECK(EncodeTailMessage({s}, false, true) ==
        R"({"streams":[{"labels":"{job=\"a\"}","entries":[{"ts":"2023-11-14T22:13:20Z","line":"x\u003cy"}]}]})");
}

namespace {
int FreePort() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

std::string Push(int port, const std::string& job, int64_t ts, const std::string& line) {
  json stream;
  stream["stream"] = {{"job", job}};
  stream["values"] = json::array({json::array({std::to_string(ts), line})});
  json body;
  body["streams"] = json::array({stream});
  auto r = HttpCall(port, "POST", "/loki/api/v1/push", body.dump(),
                    {{"Content-Type", "application/json"}});
  return std::to_string(r.status);
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

TEST_CASE("tail over a WebSocket: backfill, live entries, pings, errors", "[tail][integration]") {
  namespace beast = boost::beast;
  namespace websocket = beast::websocket;
  char tmpl[] = "/tmp/fenrir-tail-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  int port = FreePort();
  std::ofstream(dir + "/loki.yaml") << "server:\n  http_listen_address: 127.0.0.1\n"
                                       "  http_listen_port: "
                                    << port << "\ncommon:\n  path_prefix: " << dir << "/data\n";
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = freopen((dir + "/fenrir.log").c_str(), "a", stderr);
    (void)f;
    execl(FENRIR_BINARY, FENRIR_BINARY, ("-config.file=" + dir + "/loki.yaml").c_str(), nullptr);
    _exit(127);
  }
  for (int i = 0; i < 200 && HttpCall(port, "GET", "/ready").status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  int64_t now = NowNs();
  REQUIRE(Push(port, "tail", now - 2'000'000'000, "backfilled") == "204");

  boost::asio::io_context ioc;
  websocket::stream<boost::asio::ip::tcp::socket> ws(ioc);
  ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)});
  ws.handshake("127.0.0.1", "/loki/api/v1/tail?query=%7Bjob%3D%22tail%22%7D");
  int pings = 0;
  ws.control_callback([&](websocket::frame_type kind, beast::string_view) {
    if (kind == websocket::frame_type::ping) pings++;
  });
  beast::flat_buffer buf;
  ws.read(buf);
  auto first = json::parse(beast::buffers_to_string(buf.data()));
  buf.consume(buf.size());
  CHECK(first["streams"][0]["stream"] == json::parse(R"({"job":"tail"})"));
  CHECK(first["streams"][0]["values"][0][1] == "backfilled");

  // Live entries come straight from the push path; wait so a 1 s ping precedes the next one.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  REQUIRE(Push(port, "tail", NowNs(), "live one") == "204");
  ws.read(buf);
  auto second = json::parse(beast::buffers_to_string(buf.data()));
  buf.consume(buf.size());
  CHECK(second["streams"][0]["values"][0][1] == "live one");
  CHECK(second["streams"][0]["values"].size() == 1);
  CHECK(pings >= 1);
  ws.close(websocket::close_code::normal);

  // parameter errors are plain HTTP 400 before the upgrade
  auto bad = HttpCall(port, "GET", "/loki/api/v1/tail?query=x&delay_for=6", "",
                      {{"Connection", "Upgrade"},
                       {"Upgrade", "websocket"},
                       {"Sec-WebSocket-Version", "13"},
                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}});
  CHECK(bad.status == 400);
  CHECK(bad.body == "delay_for can't be greater than 5\n");
  beast::error_code ec;

  // late failures close with 1011 and the error text
  websocket::stream<boost::asio::ip::tcp::socket> late(ioc);
  late.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)});
  late.handshake("127.0.0.1", "/loki/api/v1/tail?query=%7Bjob");
  late.read(buf, ec);
  CHECK(ec == websocket::error::closed);
  CHECK(late.reason().code == 1011);
  CHECK(std::string(late.reason().reason.c_str()).find("parse error") != std::string::npos);

  CHECK(HttpCall(port, "GET", "/loki/api/v1/tail?query=x").status == 400);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  std::filesystem::remove_all(dir);
}
