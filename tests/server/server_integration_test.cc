// Starts the real fenrir binary on a free port with a temp data dir and talks HTTP to it.

#include <catch2/catch.hpp>

#include <signal.h>
#include <snappy.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "http_client.h"
#include "push.pb.h"

using fenrir::testing::HttpCall;
using fenrir::testing::RawCall;
using nlohmann::json;

namespace {

int FreePort() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

class FenrirProcess {
 public:
  FenrirProcess(const std::string& dir, int port, const std::string& extra_yaml = "")
      : dir_(dir), port_(port) {
    std::string config = dir + "/loki.yaml";
    std::ofstream(config) << "auth_enabled: false\n"
                             "server:\n"
                             "  http_listen_address: 127.0.0.1\n"
                             "  http_listen_port: "
                          << port
                          << "\n  grpc_listen_port: 0\n"
                             "common:\n"
                             "  path_prefix: "
                          << dir << "/data\n"
                          << "limits_config:\n"
                             "  reject_old_samples: false\n"
                             "  retention_period: 0s\n"  // the test pushes 2023 data
                             "  volume_enabled: true\n"
                             "fenrir:\n"
                             "  max_request_body_bytes: 8MB\n"
                          << extra_yaml;
    pid_ = fork();
    if (pid_ == 0) {
      std::string log = dir + "/fenrir.log";
      FILE* f = freopen(log.c_str(), "a", stderr);
      (void)f;
      execl(FENRIR_BINARY, FENRIR_BINARY, ("-config.file=" + config).c_str(), nullptr);
      _exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      if (HttpCall(port_, "GET", "/ready").status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("fenrir did not become ready");
  }

  // SIGTERM and wait; returns the exit status.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 300; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return -2;
  }

  ~FenrirProcess() {
    if (pid_ > 0) Stop();
  }

 private:
  std::string dir_;
  int port_;
  pid_t pid_ = -1;
};

std::string TempDir() {
  char tmpl[] = "/tmp/fenrir-it-XXXXXX";
  return mkdtemp(tmpl);
}

std::string Gzip(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const int64_t kBase = 1'700'000'000LL * 1'000'000'000;  // 2023-11-14T22:13:20Z

std::string JsonBody(const std::string& job, int64_t ts, const std::string& line) {
  json stream;
  stream["stream"] = {{"job", job}, {"host", "h1"}};
  stream["values"] = json::array({json::array({std::to_string(ts), line})});
  json body;
  body["streams"] = json::array({stream});
  return body.dump();
}

std::string ProtoBody(const std::string& job, int64_t ts, const std::string& line) {
  logproto::PushRequest req;
  auto* s = req.add_streams();
  s->set_labels("{job=\"" + job + "\", host=\"h1\"}");
  auto* e = s->add_entries();
  e->mutable_timestamp()->set_seconds(ts / 1'000'000'000);
  e->mutable_timestamp()->set_nanos(static_cast<int32_t>(ts % 1'000'000'000));
  e->set_line(line);
  std::string raw, out;
  req.SerializeToString(&raw);
  snappy::Compress(raw.data(), raw.size(), &out);
  return out;
}

std::vector<std::string> Lines(const std::string& body) {
  std::vector<std::string> out;
  auto j = json::parse(body);
  for (const auto& s : j["data"]["result"]) {
    for (const auto& v : s["values"]) out.push_back(v[1]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

const char* kRange =
    "/loki/api/v1/query_range?query=%7Bhost%3D%22h1%22%7D&start=1699999000&end=1700001000"
    "&limit=100&direction=forward";

}  // namespace

TEST_CASE("fenrir binary: push in three formats, query back, survive bad input, restart",
          "[integration]") {
  std::string dir = TempDir();
  int port = FreePort();
  {
    FenrirProcess fenrir(dir, port);
    auto r1 = HttpCall(port, "POST", "/loki/api/v1/push", JsonBody("json", kBase, "plain json"),
                       {{"Content-Type", "application/json"}});
    CHECK(r1.status == 204);
    auto r2 = HttpCall(port, "POST", "/loki/api/v1/push",
                       Gzip(JsonBody("gzip", kBase + 1, "gzip json")),
                       {{"Content-Type", "application/json"}, {"Content-Encoding", "gzip"}});
    CHECK(r2.status == 204);
    auto r3 = HttpCall(port, "POST", "/loki/api/v1/push", ProtoBody("proto", kBase + 2, "proto <x>"),
                       {{"Content-Type", "application/x-protobuf"}});
    CHECK(r3.status == 204);

    auto q = HttpCall(port, "GET", kRange);
    REQUIRE(q.status == 200);
    CHECK(Lines(q.body) == std::vector<std::string>{"gzip json", "plain json", "proto <x>"});
    CHECK(q.body.find("proto \\u003cx\\u003e") != std::string::npos);
    CHECK(q.headers["content-type"] == "application/json; charset=UTF-8");

    auto post = HttpCall(port, "POST", "/loki/api/v1/query_range",
                         "query=%7Bjob%3D%22proto%22%7D&start=1699999000&end=1700001000",
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    REQUIRE(post.status == 200);
    CHECK(Lines(post.body) == std::vector<std::string>{"proto <x>"});

    auto labels = HttpCall(port, "GET", "/loki/api/v1/label/job/values?start=1699999000&end=1700001000");
    CHECK(json::parse(labels.body)["data"] == json({"gzip", "json", "proto"}));
    auto series = HttpCall(port, "GET",
                           "/loki/api/v1/series?match[]=%7Bjob%3D%22json%22%7D&start=1699999000&end=1700001000");
    CHECK(json::parse(series.body)["data"] == json::parse(R"([{"host":"h1","job":"json"}])"));

    auto metric = HttpCall(port, "GET", "/loki/api/v1/query?query=vector(1)%2Bvector(1)&time=4000000000");
    REQUIRE(metric.status == 200);
    CHECK(json::parse(metric.body)["data"]["result"] ==
          json::parse(R"([{"metric":{},"value":[4000000000,"2"]}])"));

    // errors and hostile input
    auto bad_push = HttpCall(port, "POST", "/loki/api/v1/push", "{not json",
                             {{"Content-Type", "application/json"}});
    CHECK(bad_push.status == 400);
    auto bad_query = HttpCall(port, "GET", "/loki/api/v1/query_range?query=%7Bjob");
    CHECK(bad_query.status == 400);
    CHECK(bad_query.headers["content-type"] == "text/plain; charset=utf-8");
    CHECK(HttpCall(port, "GET", "/what").body == "404 page not found\n");
    std::string garbage = RawCall(port, "BLAH / NOT-HTTP\r\n\r\n");
    CHECK(garbage.rfind("HTTP/1.1 400", 0) == 0);
    auto huge = HttpCall(port, "POST", "/loki/api/v1/push", std::string(9 << 20, 'x'),
                         {{"Content-Type", "application/json"}});
    CHECK((huge.status == 413 || huge.status == 0));
    CHECK(HttpCall(port, "GET", "/ready").status == 200);
    std::string cont = RawCall(port,
                               "POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: "
                               "application/json\r\nExpect: 100-continue\r\nContent-Length: "
                               "5\r\n\r\n");
    CHECK(cont.rfind("HTTP/1.1 100 Continue", 0) == 0);

    auto metrics = HttpCall(port, "GET", "/metrics");
    CHECK(metrics.body.find("loki_distributor_lines_received_total{tenant=\"fake\"} 3") !=
          std::string::npos);
    CHECK(metrics.body.find("loki_request_duration_seconds_bucket") != std::string::npos);
    CHECK(HttpCall(port, "POST", "/flush").status == 204);
    CHECK(fenrir.Stop() == 0);
  }
  {
    FenrirProcess fenrir(dir, port);
    auto q = HttpCall(port, "GET", kRange);
    REQUIRE(q.status == 200);
    CHECK(Lines(q.body).size() == 3);
    CHECK(fenrir.Stop() == 0);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("fenrir binary: -version and concurrent keep-alive clients", "[integration]") {
  {
    FILE* p = popen(FENRIR_BINARY " -version", "r");
    REQUIRE(p);
    char buf[128] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    pclose(p);
    CHECK(std::string(buf, n) == std::string("fenrir, version ") + FENRIR_VERSION + "\n");
  }
  std::string dir = TempDir();
  int port = FreePort();
  FenrirProcess fenrir(dir, port, "  ingestion_rate_mb: 1024\n");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto r = HttpCall(port, "POST", "/loki/api/v1/push",
                          JsonBody("c" + std::to_string(t), kBase + i, "line " + std::to_string(i)),
                          {{"Content-Type", "application/json"}});
        if (r.status == 204) ok++;
        if (HttpCall(port, "GET", kRange).status == 200) ok++;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == 200);
  auto q = HttpCall(port, "GET",
                    "/loki/api/v1/query_range?query=%7Bhost%3D%22h1%22%7D&start=1699999000&end="
                    "1700001000&limit=1000");
  CHECK(Lines(q.body).size() == 100);
  CHECK(fenrir.Stop() == 0);
  std::filesystem::remove_all(dir);
}
