// Loki's /loki/api/v1/delete through the router: parameter errors with Loki's texts, the
// received -> processed life cycle, cancellation, and lines disappearing from queries.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "admin_fixture.h"
#include "server/handlers/delete_handler.h"
#include "server/http/params.h"

namespace fenrir::server {
namespace {

using storage::testing::L;
using storage::testing::MakeStream;
using testing::AdminFixture;
using testing::kDay;
using testing::kHour;
using testing::kNow;

constexpr int64_t kSecond = 1'000'000'000;

Config Open() {
  Config c;
  c.admin_open = true;
  c.limits.retention_period_ns = 0;
  return c;
}

std::string Enc(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.') {
      out.push_back(static_cast<char>(ch));
    } else {
      char buf[4];
      snprintf(buf, sizeof(buf), "%%%02X", ch);
      out += buf;
    }
  }
  return out;
}

std::string Sec(int64_t ns) { return std::to_string(ns / kSecond); }

void Seed(storage::Store* store) {
  std::vector<std::pair<int64_t, std::string>> api, web;
  for (int i = 0; i < 20; ++i) {
    int64_t ts = kNow - 2 * kDay + i * kHour;
    std::string line = "level=" + std::string(i % 4 == 0 ? "debug" : "info") + " n=" + std::to_string(i);
    api.emplace_back(ts, line);
    web.emplace_back(ts, line);
  }
  REQUIRE(store->Push("fake", {MakeStream(L({{"app", "api"}}), api), MakeStream(L({{"app", "web"}}), web)},
                      nullptr).ok());
}

TEST_CASE("delete requests are validated with Loki's messages") {
  AdminFixture f(Open());
  const std::string q = "query=" + Enc("{app=\"api\"}");
  struct Case {
    std::string params;
    int status;
    std::string body;
  };
  std::vector<Case> cases = {
      {"start=" + Sec(kNow - kDay), 400, "query not set"},
      {"query=" + Enc("{app=\"api\""), 400, "invalid query expression"},
      {"query=" + Enc("count_over_time({app=\"api\"}[1m])") + "&start=1", 400, "invalid query expression"},
      {q, 400, "start time not set"},
      {q + "&start=yesterday", 400, "invalid start time: require unix seconds or RFC3339 format"},
      {q + "&start=17000", 400, "invalid start time: require unix seconds or RFC3339 format"},
      {q + "&start=" + Sec(kNow - kDay) + "&end=x", 400,
       "invalid end time: require unix seconds or RFC3339 format"},
      {q + "&start=" + Sec(kNow - kDay) + "&end=" + Sec(kNow + kHour), 400,
       "deletes in the future are not allowed"},
      {q + "&start=" + Sec(kNow - kDay) + "&end=" + Sec(kNow - 2 * kDay), 400,
       "start time can't be greater than end time"},
      {q + "&start=" + Sec(kNow - kDay) + "&end=" + Sec(kNow - kDay), 400,
       "difference between start time and end time must be at least one second"},
      {q + "&start=" + Sec(kNow - kDay) + "&max_interval=1ms", 400,
       "invalid max_interval: valid time units are 's', 'm', 'h'"},
      {q + "&start=" + Sec(kNow - kDay) + "&end=" + Sec(kNow - kDay + 10 * kSecond) +
           "&max_interval=1h",
       400, "max_interval can't be greater than the interval to be deleted (10s)"},
      {q + "&start=" + Sec(kNow - kDay), 204, ""},
      {q + "&start=2024-10-03T12:00:00Z&end=2024-10-04T00:00:00Z", 204, ""},
  };
  for (const auto& method : {"POST", "PUT"}) {
    for (const auto& c : cases) {
      INFO(method << " ?" << c.params);
      HttpResponse r = f.Call(method, "/loki/api/v1/delete?" + c.params);
      CHECK(r.status == c.status);
      if (!c.body.empty()) CHECK(r.body == c.body + "\n");
    }
  }
  // Parameters in a form body are not read (Loki reads the URL only).
  HttpRequest form;
  form.method = "POST";
  form.target = "/loki/api/v1/delete";
  form.SetHeader("content-type", "application/x-www-form-urlencoded");
  form.body = q + "&start=" + Sec(kNow - kDay);
  CHECK(f.router->Handle(form).status == 400);
  CHECK(f.Call("PATCH", "/loki/api/v1/delete").status == 405);
}

TEST_CASE("a delete request moves from received to processed and removes exactly its lines") {
  AdminFixture f(Open(), kHour);
  Seed(f.store.get());
  const auto all_api = f.Lines("{app=\"api\"}");
  REQUIRE(all_api.size() == 20);
  // Debug lines of api in the first 10 hours only.
  const int64_t start = kNow - 2 * kDay;
  const int64_t end = start + 10 * kHour;
  HttpResponse r = f.Call("POST", "/loki/api/v1/delete?query=" + Enc("{app=\"api\"} |= \"level=debug\"") +
                                      "&start=" + Sec(start) + "&end=" + Sec(end));
  REQUIRE(r.status == 204);

  auto list = [&] {
    HttpResponse g = f.Call("GET", "/loki/api/v1/delete");
    REQUIRE(g.status == 200);
    CHECK(g.content_type == "application/json");
    return nlohmann::json::parse(g.body);
  };
  auto l = list();
  REQUIRE(l.size() == 1);
  CHECK(l[0]["status"] == "received");
  CHECK(l[0]["query"] == "{app=\"api\"} |= \"level=debug\"");
  CHECK(l[0]["start_time"] == start / kSecond);
  CHECK(l[0]["end_time"] == end / kSecond);
  CHECK(l[0]["created_at"] == kNow / kSecond);
  CHECK(l[0]["request_id"].get<std::string>().size() == 8);
  const std::vector<std::string> keys = {"request_id", "start_time", "end_time", "query", "status", "created_at"};
  std::vector<std::string> got_keys;
  for (auto it = l[0].begin(); it != l[0].end(); ++it) got_keys.push_back(it.key());
  std::sort(got_keys.begin(), got_keys.end());
  std::vector<std::string> want_keys = keys;
  std::sort(want_keys.begin(), want_keys.end());
  CHECK(got_keys == want_keys);

  // Within the cancel period nothing is hidden.
  CHECK(f.Lines("{app=\"api\"}") == all_api);
  f.clock.Advance(kHour);
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) {
    if (i % 4 == 0 && i <= 10) continue;  // ts = start + i h, inclusive end
    expected.push_back(all_api[i]);
  }
  CHECK(f.Lines("{app=\"api\"}") == expected);  // hidden at once
  CHECK(f.Lines("{app=\"web\"}").size() == 20);

  HttpResponse run = f.Call("POST", "/admin/retention/run");
  REQUIRE(run.status == 200);
  CHECK(nlohmann::json::parse(run.body)["delete_requests_processed"] == 1);
  CHECK(nlohmann::json::parse(run.body)["entries_deleted"] == 3);
  l = list();
  CHECK(l[0]["status"] == "processed");
  CHECK(f.Lines("{app=\"api\"}") == expected);
  CHECK(f.Lines("{app=\"web\"}").size() == 20);

  HttpResponse cancel = f.Call("DELETE", "/loki/api/v1/delete?request_id=" + l[0]["request_id"].get<std::string>());
  CHECK(cancel.status == 400);
  CHECK(cancel.body == "deletion of request which is in process or already processed is not allowed\n");
}

TEST_CASE("a cancelled delete request removes nothing") {
  AdminFixture f(Open(), kHour);
  Seed(f.store.get());
  REQUIRE(f.Call("POST", "/loki/api/v1/delete?query=" + Enc("{app=~\".+\"}") + "&start=" +
                             Sec(kNow - 3 * kDay)).status == 204);
  auto l = nlohmann::json::parse(f.Call("GET", "/loki/api/v1/delete").body);
  REQUIRE(l.size() == 1);
  const std::string id = l[0]["request_id"];
  CHECK(f.Call("DELETE", "/loki/api/v1/delete?request_id=" + id).status == 204);
  HttpResponse again = f.Call("DELETE", "/loki/api/v1/delete?request_id=" + id);
  CHECK(again.status == 404);
  CHECK(again.body == "could not find delete request with given id\n");
  CHECK(f.Call("GET", "/loki/api/v1/delete").body == "[]\n");
  f.clock.Advance(2 * kHour);
  REQUIRE(f.Call("POST", "/admin/retention/run").status == 200);
  CHECK(f.Lines("{app=\"api\"}").size() == 20);
  CHECK(f.Lines("{app=\"web\"}").size() == 20);
}

TEST_CASE("delete queries compile to matchers and a pipeline predicate") {
  auto f = CompileDeleteQuery("{app=\"api\"} | logfmt | level=\"debug\"");
  REQUIRE(f.ok());
  REQUIRE(f->matchers.size() == 1);
  REQUIRE(f->for_stream);
  auto pred = f->for_stream(L({{"app", "api"}}));
  CHECK(pred(0, "level=debug msg=x", {}));
  CHECK_FALSE(pred(0, "level=info msg=x", {}));
  auto plain = CompileDeleteQuery("{app=\"api\"}");
  REQUIRE(plain.ok());
  CHECK_FALSE(plain->for_stream);
  for (const char* bad : {"", "{}", "sum(rate({a=\"b\"}[1m]))", "{a=\"b\"} |~ \"(\"", "1 + 1"}) {
    INFO(bad);
    auto r = CompileDeleteQuery(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == "invalid query expression");
  }
}

}  // namespace
}  // namespace fenrir::server
