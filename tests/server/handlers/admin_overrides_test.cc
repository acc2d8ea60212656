// Retention configuration: config keys, the runtime overrides file (parse, inheritance of the
// defaults, reload into the store).

#include <catch2/catch.hpp>

#include <fstream>

#include "server/config.h"
#include "server/overrides.h"
#include "storage/test_util.h"

namespace fenrir::server {
namespace {

using storage::testing::L;
constexpr int64_t kHour = 3600LL * 1'000'000'000;

TEST_CASE("retention config keys parse") {
  Config c;
  CHECK(c.limits.retention_period_ns == 720 * kHour);  // Fenrir's default: 30 days
  std::vector<std::string> unknown;
  REQUIRE(ParseConfig(R"(
limits_config:
  retention_period: 744h
  retention_stream:
  - selector: '{namespace="dev"}'
    priority: 1
    period: 24h
runtime_config:
  file: /etc/overrides.yaml
  period: 30s
compactor:
  working_directory: /data/compactor
  retention_enabled: true
  compaction_interval: 5m
  delete_request_cancel_period: 0s
fenrir:
  admin_token: abc
  admin_open: true
)", false, &c, &unknown).ok());
  CHECK(unknown.empty());
  CHECK(c.limits.retention_period_ns == 744 * kHour);
  REQUIRE(c.limits.retention_stream.size() == 1);
  CHECK(c.limits.retention_stream[0].selector == "{namespace=\"dev\"}");
  CHECK(c.limits.retention_stream[0].priority == 1);
  CHECK(c.limits.retention_stream[0].period_ns == 24 * kHour);
  CHECK(c.runtime_config_file == "/etc/overrides.yaml");
  CHECK(c.runtime_config_period_ns == 30'000'000'000);
  CHECK(c.compaction_interval_ns == 300'000'000'000);
  CHECK(c.delete_request_cancel_period_ns == 0);
  CHECK(c.admin_token == "abc");
  CHECK(c.admin_open);
  CHECK(ConfigToYaml(c).find("abc") == std::string::npos);  // the token is never echoed

  for (const char* bad : {"limits_config:\n  retention_stream: 3\n",
                          "limits_config:\n  retention_stream:\n  - priority: 1\n",
                          "limits_config:\n  retention_stream:\n  - selector: '{a=\"b\"}'\n    period: soon\n"}) {
    Config d;
    INFO(bad);
    CHECK_FALSE(ParseConfig(bad, false, &d, &unknown).ok());
  }
}

TEST_CASE("tenant overrides inherit the defaults key by key") {
  LimitsConfig defaults;
  defaults.retention_period_ns = 744 * kHour;
  defaults.retention_stream = {{"{namespace=\"dev\"}", 1, 24 * kHour}};
  auto overrides = ParseOverrides(R"(
overrides:
  "29":
    retention_period: 168h
    retention_stream:
    - selector: '{namespace="prod"}'
      priority: 2
      period: 336h
    - selector: '{container="loki"}'
      priority: 1
      period: 72h
  "30":
    retention_stream:
    - selector: '{container="nginx", level="debug"}'
      priority: 1
      period: 24h
  "31":
    retention_period: 48h
    ingestion_rate_mb: 10
)");
  REQUIRE(overrides.ok());
  auto policy = BuildRetentionPolicy(defaults, *overrides);
  REQUIRE(policy.ok());
  const storage::RetentionPolicy& p = **policy;
  CHECK(p.PeriodFor("29", L({{"namespace", "prod"}, {"container", "loki"}})) == 336 * kHour);
  CHECK(p.PeriodFor("29", L({{"container", "loki"}})) == 72 * kHour);
  CHECK(p.PeriodFor("29", L({{"namespace", "dev"}})) == 168 * kHour);
  CHECK(p.PeriodFor("30", L({{"container", "nginx"}, {"level", "debug"}})) == 24 * kHour);
  CHECK(p.PeriodFor("30", L({{"container", "nginx"}})) == 744 * kHour);  // default period
  CHECK(p.PeriodFor("31", L({{"namespace", "dev"}})) == 24 * kHour);     // default rules kept
  CHECK(p.PeriodFor("31", L({{"namespace", "x"}})) == 48 * kHour);
  CHECK(p.PeriodFor("32", L({{"namespace", "dev"}})) == 24 * kHour);

  CHECK(ParseOverrides("").ok());
  CHECK(ParseOverrides("overrides:\n").ok());
  CHECK_FALSE(ParseOverrides("overrides: [1]").ok());
  CHECK_FALSE(ParseOverrides("overrides:\n  a:\n    retention_period: forever\n").ok());
  auto bad_selector = ParseOverrides("overrides:\n  a:\n    retention_stream:\n    - selector: 'app'\n");
  REQUIRE(bad_selector.ok());
  CHECK_FALSE(BuildRetentionPolicy(defaults, *bad_selector).ok());
}

TEST_CASE("the overrides watcher hands changed overrides to the store") {
  storage::testing::TempDir dir;
  const int64_t now = 20000LL * 86400 * 1'000'000'000;
  storage::FakeClock clock(now);
  storage::StoreOptions o = storage::testing::TestOptions(dir.path() + "/data");
  o.clock = &clock;
  Config c;
  c.limits.retention_period_ns = 0;
  c.runtime_config_file = dir.path() + "/overrides.yaml";
  c.runtime_config_period_ns = 0;  // no thread: reload by hand
  std::ofstream(c.runtime_config_file) << "overrides:\n";
  auto policy = LoadRetentionPolicy(c);
  REQUIRE(policy.ok());
  o.retention = *policy;
  auto store = storage::Store::Open(o);
  REQUIRE(store.ok());
  const storage::Labels labels = L({{"app", "a"}});
  REQUIRE((*store)->Push("t", {storage::testing::MakeStream(labels, {{now - 50 * kHour, "old"}, {now - kHour, "new"}})},
                         nullptr).ok());
  OverridesWatcher watcher(&c, store->get());
  CHECK_FALSE(watcher.ReloadNow());  // unchanged
  CHECK(storage::testing::ReadAll(store->get(), "t", labels, 0, now).size() == 2);

  std::ofstream(c.runtime_config_file) << "overrides:\n  t:\n    retention_period: 24h\n";
  CHECK(watcher.ReloadNow());
  CHECK(storage::testing::ReadAll(store->get(), "t", labels, 0, now).size() == 1);

  std::ofstream(c.runtime_config_file) << "overrides: [broken";
  CHECK_FALSE(watcher.ReloadNow());  // the previous policy stays
  CHECK(storage::testing::ReadAll(store->get(), "t", labels, 0, now).size() == 1);
}

}  // namespace
}  // namespace fenrir::server
