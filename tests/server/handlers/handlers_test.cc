#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "../../query/engine_fakes.h"
#include "../fake_store.h"
#include "query/eval/memory_budget.h"
#include "server/router.h"

using namespace fenrir::server;
using fenrir::storage::FakeClock;
namespace query = fenrir::query;

namespace {
constexpr int64_t kSec = 1'000'000'000;
const int64_t kNow = 1'700'000'000LL * kSec;

struct Harness {
  Config config;
  FakeClock clock{kNow};
  testing::FakeStore store;
  std::unique_ptr<Distributor> dist;
  ServerMetrics metrics;
  ServerContext ctx;
  std::unique_ptr<Router> router;
  std::vector<query::QueryParams> seen;
  query::QueryResult canned;
  fenrir::Status fail;

  void Build() {
    dist = std::make_unique<Distributor>(&store, config.limits, &clock, &metrics);
    ctx.config = &config;
    ctx.store = &store;
    ctx.clock = &clock;
    ctx.distributor = dist.get();
    ctx.metrics = &metrics;
    ctx.run_query = [this](const query::QueryParams& p) -> fenrir::Result<query::QueryResult> {
      seen.push_back(p);
      if (!fail.ok()) return fail;
      return canned;
    };
    router = std::make_unique<Router>(&ctx);
  }

  HttpResponse Get(const std::string& target, std::vector<std::pair<std::string, std::string>>
                                                  headers = {}) {
    HttpRequest r;
    r.target = target;
    for (auto& [k, v] : headers) r.SetHeader(k, v);
    return router->Handle(r);
  }
  HttpResponse Post(const std::string& target, const std::string& content_type,
                    const std::string& body) {
    HttpRequest r;
    r.method = "POST";
    r.target = target;
    r.SetHeader("Content-Type", content_type);
    r.body = body;
    return router->Handle(r);
  }
};

query::QueryResult StreamsResult() {
  query::QueryResult r;
  r.type = query::QueryResult::Type::kStreams;
  query::OutStream s;
  s.labels = fenrir::storage::Labels({{"job", "a"}, {"host", "h"}});
  query::OutEntry e;
  e.timestamp_ns = 1700000000000000001;
  e.line = "<b>hi</b>";
  e.metadata = fenrir::storage::Labels(std::vector<fenrir::storage::Label>{{"trace", "t1"}});
  s.entries.push_back(e);
  r.streams.push_back(s);
  r.stats.bytes_processed = 9;
  r.stats.lines_processed = 1;
  r.stats.exec_time_seconds = 0.5;
  return r;
}
}  // namespace

TEST_CASE("routing: 404 text, 405 empty, exact paths", "[handlers]") {
  Harness h;
  h.Build();
  auto r = h.Get("/nope");
  CHECK(r.status == 404);
  CHECK(r.body == "404 page not found\n");
  CHECK(r.content_type == "text/plain; charset=utf-8");
  CHECK(h.Get("/loki/api/v1/labels/").status == 404);
  CHECK(h.Get("/loki/api/v2alpha/tail").status == 404);
  auto m = h.Get("/loki/api/v1/push");
  CHECK(m.status == 405);
  CHECK(m.body.empty());
  CHECK(h.Get("/ready").body == "ready\n");
}

TEST_CASE("query_range passes parsed params and encodes streams", "[handlers]") {
  Harness h;
  h.canned = StreamsResult();
  h.Build();
  auto r = h.Get(
      "/loki/api/v1/query_range?query=%7Bjob%3D%22a%22%7D&start=1700000000&end=1700003600"
      "&limit=7&direction=forward&step=60");
  REQUIRE(r.status == 200);
  REQUIRE(h.seen.size() == 1);
  CHECK(h.seen[0].tenant == "fake");
  CHECK(h.seen[0].query == "{job=\"a\"}");
  CHECK(h.seen[0].start_ns == 1700000000LL * kSec);
  CHECK(h.seen[0].end_ns == 1700003600LL * kSec);
  CHECK(h.seen[0].step_ns == 60 * kSec);
  CHECK(h.seen[0].limit == 7);
  CHECK(h.seen[0].direction == fenrir::storage::Direction::kForward);
  CHECK(!h.seen[0].categorize_labels);
  CHECK(r.body.rfind(
            R"({"status":"success","data":{"resultType":"streams","result":[{"stream":{"host":"h","job":"a"},)"
            R"("values":[["1700000000000000001","\u003cb\u003ehi\u003c/b\u003e"]]}],"stats":{"summary":)",
            0) == 0);
  CHECK(r.body.back() == '\n');
  auto j = nlohmann::json::parse(r.body);
  CHECK(j["data"]["stats"]["summary"]["bytesProcessedPerSecond"] == 18);
  CHECK(j["data"]["stats"]["querier"]["store"]["chunk"].contains("decompressedStructuredMetadataBytes"));
  CHECK(j["data"]["stats"]["cache"]["statsResult"]["downloadTime"] == 0);
}

TEST_CASE("categorize-labels header selects the categorized shape", "[handlers]") {
  Harness h;
  h.canned = StreamsResult();
  h.Build();
  auto r = h.Get("/loki/api/v1/query_range?query=%7Bjob%3D%22a%22%7D",
                 {{"X-Loki-Response-Encoding-Flags", "foo, categorize-labels"}});
  REQUIRE(r.status == 200);
  CHECK(h.seen.at(0).categorize_labels);
  CHECK(r.body.find(R"("resultType":"streams","encodingFlags":["categorize-labels"],"result":)") !=
        std::string::npos);
  CHECK(r.body.find(R"(["1700000000000000001","\u003cb\u003ehi\u003c/b\u003e",{"structuredMetadata":{"trace":"t1"}}])") !=
        std::string::npos);
}

TEST_CASE("metric results: matrix, vector, scalar encodings", "[handlers]") {
  Harness h;
  h.canned.type = query::QueryResult::Type::kVector;
  h.canned.series.push_back({fenrir::storage::Labels(), {{4000000000000, 2}}});
  h.Build();
  auto r = h.Get("/loki/api/v1/query?query=vector(1)%2Bvector(1)&time=4000000000");
  REQUIRE(r.status == 200);
  CHECK(h.seen.at(0).instant);
  CHECK(h.seen.at(0).start_ns == 4000000000LL * kSec);
  CHECK(r.body.rfind(
            R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[4000000000,"2"]}],"stats":)",
            0) == 0);
  CHECK(r.content_type == "application/json");

  h.canned.type = query::QueryResult::Type::kMatrix;
  h.canned.series.clear();
  h.canned.series.push_back(
      {fenrir::storage::Labels(std::vector<fenrir::storage::Label>{{"level", "info"}}),
       {{1500, 0.5}, {2500, 1e21}}});
  r = h.Get("/loki/api/v1/query_range?query=x&start=1&end=3&step=1");
  CHECK(r.body.find(R"("result":[{"metric":{"level":"info"},"values":[[1.5,"0.5"],[2.5,"1000000000000000000000"]]}])") !=
        std::string::npos);

  h.canned.type = query::QueryResult::Type::kScalar;
  h.canned.scalar = {1793494800000, 7};
  r = h.Get("/loki/api/v1/query?query=1%2B2*3");
  CHECK(r.body.find(R"("resultType":"scalar","result":[1793494800000,"7"])") != std::string::npos);
}

TEST_CASE("query errors map to HTTP statuses with plain text", "[handlers]") {
  Harness h;
  h.Build();
  h.fail = fenrir::Status::InvalidArgument("parse error at line 1, col 9: syntax error");
  auto r = h.Get("/loki/api/v1/query_range?query=%7Bjob");
  CHECK(r.status == 400);
  CHECK(r.body == "parse error at line 1, col 9: syntax error\n");
  h.fail = fenrir::Status::DeadlineExceeded("timeout");
  CHECK(h.Get("/loki/api/v1/query_range?query=x").status == 504);
  h.fail = fenrir::Status::Cancelled("gone");
  CHECK(h.Get("/loki/api/v1/query?query=x").status == 499);
  h.fail = fenrir::Status::Corruption("bad block");
  CHECK(h.Get("/loki/api/v1/query?query=x").status == 500);
  auto p = h.Get("/loki/api/v1/query_range?query=x&limit=0");
  CHECK(p.status == 400);
  CHECK(p.body == "limit must be a positive value\n");
  auto len = h.Get("/loki/api/v1/query_range?query=x&start=0&end=2682000&step=3600");
  CHECK(len.status == 400);
  CHECK(len.body ==
        "the query time range exceeds the limit (query length: 745h0m0s, limit: 30d1h)\n");
}

TEST_CASE("push through the router: 204, 400 partial, auth", "[handlers]") {
  Harness h;
  h.Build();
  std::string ts = std::to_string(kNow);
  auto r = h.Post("/loki/api/v1/push", "application/json",
                  R"({"streams":[{"stream":{"job":"a"},"values":[[")" + ts + R"(","x"]]}]})");
  CHECK(r.status == 204);
  CHECK(h.store.Held("fake", R"({job="a"})").size() == 1);
  auto bad = h.Post("/loki/api/v1/push", "application/json",
                    R"({"streams":[{"stream":{"job":"a"},"values":[[")" + ts +
                        R"(","y"],["1","z"]]}]})");
  CHECK(bad.status == 400);
  CHECK(bad.body.find("timestamp too old") != std::string::npos);
  CHECK(h.store.Held("fake", R"({job="a"})").size() == 2);
  auto empty = h.Post("/loki/api/v1/push", "application/json", R"({"streams":[]})");
  CHECK(empty.status == 204);
  auto nomime = h.Post("/loki/api/v1/push", "", "{}");
  CHECK(nomime.status == 400);
  CHECK(nomime.body == "mime: no media type\n");

  h.config.auth_enabled = true;
  auto unauth = h.Post("/loki/api/v1/push", "application/json", R"({"streams":[]})");
  CHECK(unauth.status == 401);
  CHECK(unauth.body == "no org id\n");
  HttpRequest req;
  req.method = "POST";
  req.target = "/loki/api/v1/push";
  req.SetHeader("Content-Type", "application/json");
  req.SetHeader("X-Scope-OrgID", "team-1");
  req.body = R"({"streams":[{"stream":{"job":"t"},"values":[[")" + ts + R"(","x"]]}]})";
  CHECK(h.router->Handle(req).status == 204);
  CHECK(h.store.Held("team-1", R"({job="t"})").size() == 1);
  req.SetHeader("X-Scope-OrgID", "bad/tenant");
  auto badt = h.router->Handle(req);
  CHECK(badt.status == 400);
  CHECK(badt.body == "tenant ID 'bad/tenant' contains unsupported character '/'\n");
}

namespace {
void Seed(Harness& h) {
  std::string ts = std::to_string(kNow - 10 * kSec);
  auto r = h.Post("/loki/api/v1/push", "application/json",
                  R"({"streams":[{"stream":{"job":"a","host":"h1"},"values":[[")" + ts +
                      R"(","one"]]},{"stream":{"job":"b","host":"h2"},"values":[[")" + ts +
                      R"(","twotwo"]]}]})");
  REQUIRE(r.status == 204);
}
}  // namespace

TEST_CASE("labels, label values, series and index stats", "[handlers]") {
  Harness h;
  h.Build();
  CHECK(h.Get("/loki/api/v1/labels").body == "{\"status\":\"success\"}\n");
  CHECK(h.Get("/api/prom/label").body == "{}\n");
  Seed(h);
  CHECK(h.Get("/loki/api/v1/labels").body == R"({"status":"success","data":["host","job"]})" "\n");
  CHECK(h.Get("/loki/api/v1/label").body == R"({"status":"success","data":["host","job"]})" "\n");
  CHECK(h.Get("/loki/api/v1/label/job/values").body ==
        R"({"status":"success","data":["a","b"]})" "\n");
  CHECK(h.Get("/api/prom/label/job/values").body == R"({"values":["a","b"]})" "\n");
  CHECK(h.Get("/loki/api/v1/label/job/values?query=%7Bhost%3D%22h2%22%7D").body ==
        R"({"status":"success","data":["b"]})" "\n");
  CHECK(h.Get("/loki/api/v1/label/nope/values").body == R"({"status":"success"})" "\n");
  CHECK(h.Get("/loki/api/v1/series").body ==
        R"({"status":"success","data":[{"host":"h1","job":"a"},{"host":"h2","job":"b"}]})" "\n");
  CHECK(h.Get("/loki/api/v1/series?match[]=%7Bjob%3D%22a%22%7D&match=%7Bjob%3D%22a%22%7D").body ==
        R"({"status":"success","data":[{"host":"h1","job":"a"}]})" "\n");
  CHECK(h.Get("/loki/api/v1/series?match[]=%7Bjob%3D%22zzz%22%7D").body ==
        R"({"status":"success","data":[]})" "\n");
  CHECK(h.Get("/loki/api/v1/series?match[]=%7Bjob").status == 400);
  CHECK(h.Post("/loki/api/v1/series", "application/x-www-form-urlencoded",
               "match%5B%5D=%7Bhost%3D%22h1%22%7D")
            .body == R"({"status":"success","data":[{"host":"h1","job":"a"}]})" "\n");
  CHECK(h.Get("/loki/api/v1/index/stats?query=%7Bjob%3D~%22.%2B%22%7D").body ==
        R"({"streams":2,"chunks":2,"bytes":9,"entries":2})" "\n");
  auto pipeline = h.Get("/loki/api/v1/index/stats?query=%7Bjob%3D%22a%22%7D%20%7C%3D%20%22x%22");
  CHECK(pipeline.status == 400);
  CHECK(pipeline.body == "only label matchers is supported\n");
  // Grafana 10.x double-encodes the selector of label values
  CHECK(h.Get("/loki/api/v1/label/job/values?query=%257Bhost%253D%2522h1%2522%257D").body ==
        R"({"status":"success","data":["a"]})" "\n");
}

TEST_CASE("volume is gated and aggregates bytes", "[handlers]") {
  Harness h;
  h.Build();
  auto off = h.Get("/loki/api/v1/index/volume?query=%7Bjob%3D~%22.%2B%22%7D");
  CHECK(off.status == 404);
  CHECK(off.body == "not found\n");
  h.config.limits.volume_enabled = true;
  Seed(h);
  auto on = h.Get("/loki/api/v1/index/volume?query=%7Bjob%3D~%22.%2B%22%7D&end=1700000000");
  REQUIRE(on.status == 200);
  CHECK(on.body.find(R"("result":[{"metric":{"job":"b"},"value":[1700000000,"6"]},)"
                     R"({"metric":{"job":"a"},"value":[1700000000,"3"]}])") != std::string::npos);
  auto by_labels = h.Get("/loki/api/v1/index/volume?query=%7B%7D&aggregateBy=labels&end=1700000000");
  CHECK(by_labels.body.find(R"({"metric":{"host":""},"value":[1700000000,"9"]})") !=
        std::string::npos);
  CHECK(h.Get("/loki/api/v1/index/volume?query=%7B%7D&aggregateBy=x").body ==
        "invalid aggregation option\n");
  auto range = h.Get(
      "/loki/api/v1/index/volume_range?query=%7Bjob%3D%22a%22%7D&start=1699999000&end=1700000000"
      "&step=100");
  REQUIRE(range.status == 200);
  CHECK(range.body.find(R"("resultType":"vector")") != std::string::npos);
}

TEST_CASE("admin routes", "[handlers]") {
  Harness h;
  h.Build();
  Seed(h);
  auto metrics = h.Get("/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.body.find("loki_distributor_lines_received_total{tenant=\"fake\"} 2") !=
        std::string::npos);
  CHECK(metrics.body.find("loki_distributor_bytes_received_total{tenant=\"fake\"} 9") !=
        std::string::npos);
  auto build = nlohmann::json::parse(h.Get("/loki/api/v1/status/buildinfo").body);
  CHECK(build["version"] == FENRIR_VERSION);
  CHECK(h.Get("/config").body.find("http_listen_port: 3100") != std::string::npos);
  CHECK(h.Get("/services").body.find("distributor => Running\n") != std::string::npos);
  CHECK(h.Post("/flush", "", "").status == 204);
  CHECK(h.store.flushes == 1);
  CHECK(h.Get("/log_level").body.find("Current log level is") != std::string::npos);
  CHECK(h.Post("/log_level", "application/x-www-form-urlencoded", "log_level=loud").status == 400);
  CHECK(h.Post("/log_level", "application/x-www-form-urlencoded", "log_level=debug").status == 200);
  h.Post("/log_level", "application/x-www-form-urlencoded", "log_level=info");
  int stops = 0;
  h.ctx.request_stop = [&stops] { stops++; };
  CHECK(h.Post("/ingester/shutdown", "application/x-www-form-urlencoded", "terminate=false")
            .status == 204);
  CHECK(stops == 0);
  CHECK(h.store.flushes == 2);
  CHECK(h.Post("/ingester/flush_shutdown", "", "").status == 204);
  CHECK(stops == 1);
  CHECK(h.store.flushes == 3);
  auto fq = h.Get("/loki/api/v1/format_query?query=%7Bjob%3D%22a%22%7D%7C%3D%22x%22");
  CHECK(fq.status == 200);
  CHECK(nlohmann::json::parse(fq.body)["data"] == "{job=\"a\"} |= \"x\"");
  auto fqbad = h.Get("/loki/api/v1/format_query?query=%7Bjob");
  CHECK(fqbad.status == 400);
  CHECK(nlohmann::json::parse(fqbad.body)["status"] == "invalid-query");
}

TEST_CASE("query memory: the budget is a 400, an exhausted pool a 429", "[handlers]") {
  Harness h;
  h.Build();
  h.fail = query::QueryMemoryError(600 << 20, 512 << 20);
  auto r = h.Get("/loki/api/v1/query_range?query=x");
  CHECK(r.status == 400);
  CHECK(r.body.rfind("query would use too much memory (used at least 629145600 bytes, limit "
                     "536870912 bytes, fenrir.max_query_memory_bytes)", 0) == 0);
  h.fail = query::PoolExhaustedError(1 << 30);
  for (const char* path : {"/loki/api/v1/query_range?query=x", "/loki/api/v1/query?query=x",
                           "/api/prom/query?query=x"}) {
    r = h.Get(path);
    CHECK(r.status == 429);
    CHECK(r.body.rfind("too many outstanding requests", 0) == 0);
  }
}

TEST_CASE("query memory: a real engine refuses a greedy query and serves the next", "[handlers]") {
  Harness h;
  h.Build();
  fenrir::testing::FakeStore store;  // reads entries back, unlike the handlers' fake
  for (int i = 0; i < 100; ++i) {
    for (int t = 0; t < 20; ++t) {
      store.Add(fenrir::storage::Labels({{"job", "a"}, {"pod", std::to_string(i)}}),
                kNow - (t + 1) * kSec, "line");
    }
  }
  query::EngineLimits limits;
  limits.max_query_memory_bytes = 1 << 20;
  query::Engine engine(&store, limits);
  h.ctx.run_query = [&engine](const query::QueryParams& p) { return engine.Query(p); };
  // 100 series x 3601 one-second steps.
  auto r = h.Get("/loki/api/v1/query_range?query=count_over_time(%7Bjob%3D%22a%22%7D%5B1h%5D)"
                 "&start=" + std::to_string((kNow - 3600 * kSec) / kSec) +
                 "&end=" + std::to_string(kNow / kSec) + "&step=1");
  CHECK(r.status == 400);
  CHECK(r.body.find("query would use too much memory") != std::string::npos);
  r = h.Get("/loki/api/v1/query_range?query=count_over_time(%7Bjob%3D%22a%22%7D%5B1h%5D)"
            "&start=" + std::to_string((kNow - 3600 * kSec) / kSec) +
            "&end=" + std::to_string(kNow / kSec) + "&step=60");
  CHECK(r.status == 200);
}
