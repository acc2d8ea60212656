#pragma once
// A router over a real store with a fake clock, for the admin and delete API tests.

#include <memory>
#include <string>

#include "query/engine.h"
#include "server/router.h"
#include "storage/keys.h"
#include "storage/store.h"
#include "storage/test_util.h"

namespace fenrir::server::testing {

constexpr int64_t kHour = 3600LL * 1'000'000'000;
constexpr int64_t kDay = storage::kNanosPerDay;
// Noon of 2024-10-04 (day 20000), a whole number of seconds.
constexpr int64_t kNow = 20000 * kDay + 12 * kHour;

struct AdminFixture {
  storage::testing::TempDir dir;
  storage::FakeClock clock{kNow};
  Config config;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<query::Engine> engine;
  ServerContext ctx;
  std::unique_ptr<Router> router;

  explicit AdminFixture(Config c, int64_t cancel_period_ns = 0) : config(std::move(c)) {
    storage::StoreOptions o = storage::testing::TestOptions(dir.path());
    o.clock = &clock;
    o.delete_cancel_period_ns = cancel_period_ns;
    store = std::move(*storage::Store::Open(o));
    engine = std::make_unique<query::Engine>(store.get(), query::EngineLimits{});
    ctx.config = &config;
    ctx.store = store.get();
    ctx.clock = &clock;
    ctx.run_query = [e = engine.get()](const query::QueryParams& p) { return e->Query(p); };
    router = std::make_unique<Router>(&ctx);
  }

  HttpResponse Call(std::string method, std::string target, std::string bearer = "") {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    if (!bearer.empty()) r.SetHeader("authorization", "Bearer " + bearer);
    return router->Handle(r);
  }

  // Log lines of a query over the last `days` days, oldest first.
  std::vector<std::string> Lines(const std::string& logql, int days = 30) {
    query::QueryParams p;
    p.tenant = "fake";
    p.query = logql;
    p.start_ns = kNow - days * kDay;
    p.end_ns = clock.NowNanos() + 1;
    p.limit = 5000;
    p.direction = storage::Direction::kForward;
    auto r = engine->Query(p);
    std::vector<std::string> out;
    if (!r.ok()) return {"error: " + r.status().message()};
    for (const auto& s : r->streams) {
      for (const auto& e : s.entries) out.push_back(e.line);
    }
    return out;
  }
};

}  // namespace fenrir::server::testing
