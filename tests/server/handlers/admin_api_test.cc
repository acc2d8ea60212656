// The /admin/ API through the router: access control, odd paths, and the JSON views and
// operations over a real store with a fake clock.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "admin_fixture.h"

namespace fenrir::server {
namespace {

using storage::testing::L;
using storage::testing::MakeStream;
using testing::AdminFixture;
using testing::kDay;
using testing::kHour;
using testing::kNow;

Config WithToken(std::string token) {
  Config c;
  c.admin_token = std::move(token);
  c.limits.retention_period_ns = 0;
  return c;
}

void PushDays(storage::Store* store, std::string tenant, const storage::Labels& labels, int days) {
  std::vector<std::pair<int64_t, std::string>> e;
  for (int d = days - 1; d >= 0; --d) e.emplace_back(kNow - d * kDay - kHour, "day " + std::to_string(d));
  REQUIRE(store->Push(tenant, {MakeStream(labels, e)}, nullptr).ok());
}

TEST_CASE("admin routes need the bearer token") {
  AdminFixture f(WithToken("s3cret"));
  struct Case {
    std::string method, target, bearer;
    int status;
  };
  std::vector<Case> cases = {
      {"GET", "/admin/tenants", "", 401},
      {"GET", "/admin/tenants", "wrong", 401},
      {"GET", "/admin/tenants", "s3cre", 401},
      {"GET", "/admin/tenants", "s3cret!", 401},
      {"GET", "/admin/tenants", "s3cret", 200},
      {"POST", "/admin/retention/run", "", 401},
      {"POST", "/admin/retention/run", "s3cret", 200},
      {"POST", "/admin/flush", "", 401},
      {"POST", "/admin/compact", "nope", 401},
      {"GET", "/admin/disk_usage", "", 401},
      {"GET", "/admin/tenants/fake/retention", "", 401},
      {"GET", "/admin/tenants/fake/retention", "s3cret", 200},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.target << " bearer=" << c.bearer);
    HttpResponse r = f.Call(c.method, c.target, c.bearer);
    CHECK(r.status == c.status);
    if (r.status == 401) {
      CHECK(r.content_type == "application/json");
      CHECK(nlohmann::json::parse(r.body).contains("error"));
    }
  }
  HttpRequest basic;
  basic.target = "/admin/tenants";
  basic.SetHeader("authorization", "Basic czNjcmV0");
  CHECK(f.router->Handle(basic).status == 401);
}

TEST_CASE("without a token the admin API is closed unless admin_open is set") {
  Config closed;
  AdminFixture f(closed);
  CHECK(f.Call("GET", "/admin/tenants").status == 401);
  CHECK(f.Call("GET", "/admin/tenants", "anything").status == 401);
  Config open;
  open.admin_open = true;
  AdminFixture g(open);
  CHECK(g.Call("GET", "/admin/tenants").status == 200);
}

TEST_CASE("odd admin paths answer 400 or 404") {
  AdminFixture f(WithToken("t"));
  struct Case {
    std::string method, target;
    int status;
  };
  std::vector<Case> cases = {
      {"GET", "/admin/tenants/../retention", 400},
      {"GET", "/admin/tenants/%2e%2e/retention", 400},
      {"GET", "/admin/tenants/./disk_usage", 400},
      {"GET", "/admin/tenants/a%2Fb/retention", 400},
      {"GET", "/admin/tenants/a%00b/retention", 400},
      {"GET", "/admin/tenants/%zz/retention", 404},
      {"GET", "/admin/tenants/a/b/retention", 404},
      {"GET", "/admin/tenants//retention", 404},
      {"GET", "/admin/tenants/", 404},
      {"GET", "/admin/../loki/api/v1/labels", 404},
      {"GET", "/admin", 404},
      {"GET", "/admin/", 404},
      {"GET", "/admin/tenants/fake/retention/", 404},
      {"GET", "/admin/retention/run", 405},
      {"POST", "/admin/tenants", 405},
      {"GET", "/admin/tenants/fake/retention", 200},
  };
  for (const auto& c : cases) {
    INFO(c.method << " " << c.target);
    CHECK(f.Call(c.method, c.target, "t").status == c.status);
  }
}

TEST_CASE("admin views report tenants, retention and disk usage, and a forced pass applies retention") {
  Config c = WithToken("t");
  AdminFixture f(c);
  PushDays(f.store.get(), "fake", L({{"app", "api"}}), 10);
  PushDays(f.store.get(), "fake", L({{"app", "debug"}}), 10);
  PushDays(f.store.get(), "other", L({{"app", "api"}}), 3);

  auto json = [&](const std::string& method, const std::string& target) {
    HttpResponse r = f.Call(method, target, "t");
    INFO(method << " " << target << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    CHECK(r.content_type == "application/json");
    return nlohmann::json::parse(r.body);
  };
  CHECK(json("GET", "/admin/tenants")["tenants"] == nlohmann::json({"fake", "other"}));
  CHECK(json("POST", "/admin/flush")["status"] == "flushed");

  auto usage = json("GET", "/admin/tenants/fake/disk_usage");
  CHECK(usage["tenant"] == "fake");
  CHECK(usage["days"].size() == 10);
  CHECK(usage["entries"] == 20);
  CHECK(usage["days"][0]["day"] == "2024-09-25");
  CHECK(usage["days"][9]["day"] == "2024-10-04");
  auto all = json("GET", "/admin/disk_usage");
  CHECK(all["tenants"].size() == 2);
  CHECK(all["disk_bytes"].get<uint64_t>() > 0);

  // 5 days for everything, 2 days for debug streams.
  storage::TenantRetention defaults{120 * kHour, {}};
  storage::StreamRetentionRule debug;
  debug.selector = {*storage::Matcher::Make(storage::MatchType::kEqual, "app", "debug")};
  debug.priority = 1;
  debug.period_ns = 48 * kHour;
  debug.text = "{app=\"debug\"}";
  defaults.streams.push_back(debug);
  f.store->SetRetentionPolicy(std::make_shared<storage::RetentionPolicy>(
      defaults, std::map<std::string, storage::TenantRetention, std::less<>>{}));

  auto status = json("GET", "/admin/tenants/fake/retention?selector=%7Bapp%3D%22debug%22%7D");
  REQUIRE(status["streams"].size() == 1);
  auto s = status["streams"][0];
  CHECK(s["labels"] == "{app=\"debug\"}");
  CHECK(s["retention_period"] == "2d");
  CHECK(s["keep_forever"] == false);
  CHECK(s["cutoff_ns"] == kNow - 48 * kHour);
  CHECK(s["oldest_kept_ns"] == kNow - kDay - kHour);
  CHECK(s["next_expiry_ns"] == kNow - kDay - kHour + 48 * kHour);
  CHECK(s["entries"] == 10);
  CHECK(s["expired_entries_pending"] == 8);
  CHECK(json("GET", "/admin/tenants/fake/retention")["streams"].size() == 2);
  CHECK(json("GET", "/admin/tenants/nobody/retention")["streams"].empty());
  CHECK(f.Call("GET", "/admin/tenants/fake/retention?selector=%7B", "t").status == 400);

  auto report = json("POST", "/admin/retention/run");
  CHECK(report["blocks_deleted"].get<int>() == 5 + 8 + 0);
  CHECK(report["disk_bytes_before"].get<uint64_t>() > 0);
  CHECK(json("GET", "/admin/tenants/fake/disk_usage")["entries"] == 5 + 2);
  CHECK(json("GET", "/admin/tenants/fake/retention?selector=%7Bapp%3D%22debug%22%7D")["streams"][0]
            ["expired_entries_pending"] == 0);
  CHECK(json("POST", "/admin/compact")["status"] == "compacted");
}

}  // namespace
}  // namespace fenrir::server
