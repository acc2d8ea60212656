// RetentionPolicy: Loki's precedence between per-stream rules, tenant overrides and defaults.

#include <catch2/catch.hpp>

#include <limits>

#include "storage/retention_policy.h"
#include "storage/test_util.h"

namespace fenrir::storage {
namespace {

using testing::L;
constexpr int64_t kHour = 3600LL * 1'000'000'000;

StreamRetentionRule Rule(std::string name, std::string value, int64_t priority, int64_t hours) {
  StreamRetentionRule r;
  r.selector.push_back(*Matcher::Make(MatchType::kEqual, name, value));
  r.priority = priority;
  r.period_ns = hours * kHour;
  return r;
}

// The example of Loki's retention docs.
RetentionPolicy LokiDocsExample() {
  TenantRetention defaults{744 * kHour, {Rule("namespace", "dev", 1, 24)}};
  std::map<std::string, TenantRetention, std::less<>> tenants;
  tenants["29"] = {168 * kHour, {Rule("namespace", "prod", 2, 336), Rule("container", "loki", 1, 72)}};
  tenants["30"] = {744 * kHour, {[] {
                     StreamRetentionRule r = Rule("container", "nginx", 1, 24);
                     r.selector.push_back(*Matcher::Make(MatchType::kEqual, "level", "debug"));
                     return r;
                   }()}};
  return RetentionPolicy(defaults, tenants);
}

TEST_CASE("retention period follows Loki's documented precedence") {
  RetentionPolicy p = LokiDocsExample();
  struct Case {
    std::string tenant;
    Labels labels;
    int64_t hours;
  };
  std::vector<Case> cases = {
      {"29", L({{"namespace", "prod"}, {"container", "loki"}}), 336},  // higher priority wins
      {"29", L({{"namespace", "staging"}, {"container", "loki"}}), 72},
      {"29", L({{"namespace", "dev"}}), 168},  // tenant rules replace the default rules
      {"30", L({{"container", "nginx"}, {"level", "debug"}}), 24},
      {"30", L({{"container", "nginx"}, {"level", "info"}}), 744},
      {"31", L({{"namespace", "dev"}}), 24},
      {"31", L({{"namespace", "prod"}}), 744},
  };
  for (const auto& c : cases) {
    INFO(c.tenant << " " << c.labels.ToString());
    CHECK(p.PeriodFor(c.tenant, c.labels) == c.hours * kHour);
  }
}

TEST_CASE("equal priorities pick the shortest period") {
  TenantRetention t{100 * kHour, {Rule("a", "1", 5, 48), Rule("b", "2", 5, 24), Rule("c", "3", 1, 1)}};
  RetentionPolicy p(t, {});
  CHECK(p.PeriodFor("x", L({{"a", "1"}, {"b", "2"}})) == 24 * kHour);
  CHECK(p.PeriodFor("x", L({{"a", "1"}, {"b", "2"}, {"c", "3"}})) == 24 * kHour);
  CHECK(p.PeriodFor("x", L({{"c", "3"}})) == 1 * kHour);
  CHECK(p.PeriodFor("x", L({{"d", "4"}})) == 100 * kHour);
}

TEST_CASE("a zero period keeps forever and cutoffs follow the period") {
  TenantRetention t{0, {Rule("app", "short", 1, 24), Rule("app", "forever", 2, 0)}};
  RetentionPolicy p(t, {});
  const int64_t now = 1000 * kHour;
  CHECK(p.CutoffFor("x", L({{"app", "other"}}), now) == std::numeric_limits<int64_t>::min());
  CHECK(p.CutoffFor("x", L({{"app", "forever"}}), now) == std::numeric_limits<int64_t>::min());
  CHECK(p.CutoffFor("x", L({{"app", "short"}}), now) == now - 24 * kHour);
  CHECK(p.TenantFloor("x", now) == std::numeric_limits<int64_t>::min());
  CHECK_FALSE(p.KeepsEverything());
  CHECK(RetentionPolicy().KeepsEverything());

  RetentionPolicy bounded(TenantRetention{48 * kHour, {Rule("app", "short", 1, 24)}}, {});
  CHECK(bounded.TenantFloor("x", now) == now - 48 * kHour);
}

}  // namespace
}  // namespace fenrir::storage
