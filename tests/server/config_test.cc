#include <catch2/catch.hpp>

#include "base/go_duration.h"
#include "base/prom_duration.h"
#include "server/config.h"
#include "server/rfc3339.h"
#include "server/config_units.h"

using namespace fenrir::server;

namespace {
constexpr int64_t kSec = 1'000'000'000;

// k8s/monitoring/loki/configmap.yaml of the deployment plan (section 5.2).
const char* kSeedConfigMap = R"(auth_enabled: false

server:
  http_listen_port: 3100
  grpc_listen_port: 9096

common:
  instance_addr: 127.0.0.1
  path_prefix: /loki
  storage:
    filesystem:
      chunks_directory: /loki/chunks
      rules_directory: /loki/rules
  replication_factor: 1
  ring:
    kvstore:
      store: inmemory

query_range:
  results_cache:
    cache:
      embedded_cache:
        enabled: true
        max_size_mb: 100

schema_config:
  configs:
    - from: 2020-10-24
      store: tsdb
      object_store: filesystem
      schema: v13
      index:
        prefix: index_
        period: 24h

ruler:
  alertmanager_url: http://localhost:9093

limits_config:
  retention_period: 720h  # 30 days
)";

// The benchmark's Loki config (tools/bench-loki.yaml), placeholders filled in.
const char* kBenchConfig = R"(auth_enabled: false
server:
  http_listen_port: 3199
  grpc_listen_port: 9199
  http_server_read_timeout: 10m
  http_server_write_timeout: 10m
  grpc_server_max_recv_msg_size: 104857600
  grpc_server_max_send_msg_size: 104857600
  log_level: warn
common:
  instance_addr: 127.0.0.1
  path_prefix: /tmp/data
  storage:
    filesystem:
      chunks_directory: /tmp/data/chunks
      rules_directory: /tmp/data/rules
  replication_factor: 1
  ring:
    kvstore:
      store: inmemory
query_range:
  cache_results: false
  parallelise_shardable_queries: false
querier:
  query_ingesters_within: 0
ingester:
  query_store_max_look_back_period: -1ns
limits_config:
  retention_period: 0s
  reject_old_samples: false
  creation_grace_period: 8760h
  unordered_writes: true
  allow_structured_metadata: true
  max_entries_limit_per_query: 100000
  split_queries_by_interval: 0
  max_query_length: 0
  max_query_series: 100000
  query_timeout: 10m
  volume_enabled: true
  ingestion_rate_mb: 4096
  ingestion_burst_size_mb: 8192
  per_stream_rate_limit: 1GB
  per_stream_rate_limit_burst: 2GB
  max_global_streams_per_user: 1000000
  max_streams_per_user: 0
compactor:
  working_directory: /tmp/data/compactor
  shared_store: filesystem
  retention_enabled: false
analytics:
  reporting_enabled: false
)";
}  // namespace

TEST_CASE("the seed ConfigMap starts Fenrir", "[config]") {
  Config c;
  std::vector<std::string> unknown;
  REQUIRE(ParseConfig(kSeedConfigMap, false, &c, &unknown).ok());
  CHECK(unknown.empty());
  CHECK(c.http_listen_port == 3100);
  CHECK(c.path_prefix == "/loki");
  CHECK(!c.auth_enabled);
  CHECK(c.limits.retention_period_ns == 720LL * 3600 * kSec);
  CHECK(c.limits.reject_old_samples);  // Loki default kept
  CHECK(c.limits.max_entries_limit_per_query == 5000);
}

TEST_CASE("the benchmark config is honoured", "[config]") {
  Config c;
  std::vector<std::string> unknown;
  REQUIRE(ParseConfig(kBenchConfig, false, &c, &unknown).ok());
  CHECK(unknown.empty());
  CHECK(c.http_listen_port == 3199);
  CHECK(c.http_server_read_timeout_ns == 600 * kSec);
  CHECK(c.log_level == "warn");
  CHECK(!c.limits.reject_old_samples);
  CHECK(c.limits.creation_grace_period_ns == 8760LL * 3600 * kSec);
  CHECK(c.limits.max_entries_limit_per_query == 100000);
  CHECK(c.limits.max_query_length_ns == 0);
  CHECK(c.limits.query_timeout_ns == 600 * kSec);
  CHECK(c.limits.volume_enabled);
  CHECK(c.limits.ingestion_rate_mb == 4096);
  CHECK(c.limits.ingestion_burst_size_mb == 8192);
}

TEST_CASE("unknown keys are reported by path, never fatal", "[config]") {
  Config c;
  std::vector<std::string> unknown;
  const char* yaml = R"(
bogus_top: 1
server:
  http_listen_port: 4000
  not_a_server_key: x
limits_config:
  max_line_size: 256KB
  weird:
    nested: true
fenrir:
  sync_writes: true
  query_workers: 3
  mystery: 1
)";
  REQUIRE(ParseConfig(yaml, false, &c, &unknown).ok());
  CHECK(unknown == std::vector<std::string>{"bogus_top", "server.not_a_server_key",
                                            "limits_config.weird", "fenrir.mystery"});
  CHECK(c.http_listen_port == 4000);
  CHECK(c.limits.max_line_size == 256 * 1024);
  CHECK(c.sync_writes);
  CHECK(c.query_workers == 3);
}

TEST_CASE("bad values and bad YAML are errors", "[config]") {
  Config c;
  std::vector<std::string> unknown;
  CHECK(!ParseConfig("server:\n  http_listen_port: abc\n", false, &c, &unknown).ok());
  CHECK(!ParseConfig("limits_config:\n  query_timeout: soon\n", false, &c, &unknown).ok());
  CHECK(!ParseConfig("server: [unclosed\n", false, &c, &unknown).ok());
  CHECK(ParseConfig("", false, &c, &unknown).ok());
}

TEST_CASE("environment expansion with -config.expand-env", "[config]") {
  setenv("FENRIR_TEST_PORT", "4555", 1);
  Config c;
  std::vector<std::string> unknown;
  REQUIRE(ParseConfig("server:\n  http_listen_port: ${FENRIR_TEST_PORT}\ncommon:\n  path_prefix: "
                      "${FENRIR_UNSET_VAR:-/data}\n",
                      true, &c, &unknown)
              .ok());
  CHECK(c.http_listen_port == 4555);
  CHECK(c.path_prefix == "/data");
}

TEST_CASE("durations and sizes in config syntax", "[config]") {
  CHECK(*ParseConfigDuration("720h") == 720LL * 3600 * kSec);
  CHECK(*ParseConfigDuration("30d1h") == (30LL * 24 + 1) * 3600 * kSec);
  CHECK(*ParseConfigDuration("0s") == 0);
  CHECK(*ParseConfigDuration("0") == 0);
  CHECK(*ParseConfigDuration("1.5h") == 5400 * kSec);
  CHECK(*ParseConfigDuration("-1ns") == -1);
  CHECK(*ParseConfigDuration("1w") == 7 * 86400 * kSec);
  CHECK(!ParseConfigDuration("soon").ok());
  CHECK(*ParseByteSize("1GB") == 1ULL << 30);
  CHECK(*ParseByteSize("512MiB") == 512ULL << 20);
  CHECK(*ParseByteSize("1048576") == 1048576);
  CHECK(!ParseByteSize("lots").ok());
  CHECK(fenrir::FormatPromDuration(721LL * 3600 * kSec) == "30d1h");
  CHECK(fenrir::FormatPromDuration(168LL * 3600 * kSec) == "1w");
  CHECK(fenrir::FormatGoDuration(745LL * 3600 * kSec) == "745h0m0s");
  CHECK(fenrir::FormatGoDuration(1500LL * 1000 * 1000) == "1.5s");
  CHECK(FormatRfc3339(1700000000LL * kSec) == "2023-11-14T22:13:20Z");
}

TEST_CASE("flags: config file forms, version, overrides", "[config]") {
  {
    const char* argv[] = {"fenrir", "-config.file=a.yaml"};
    auto f = ParseFlags(2, argv);
    REQUIRE(f.ok());
    CHECK(f->config_file == "a.yaml");
  }
  {
    const char* argv[] = {"fenrir", "--config.file", "b.yaml", "-target=all"};
    auto f = ParseFlags(4, argv);
    REQUIRE(f.ok());
    CHECK(f->config_file == "b.yaml");
    CHECK(f->unknown == std::vector<std::string>{"-target"});
  }
  {
    const char* argv[] = {"fenrir", "-version", "-server.http-listen-port=3333",
                          "-common.path-prefix=/tmp/x"};
    auto f = ParseFlags(4, argv);
    REQUIRE(f.ok());
    CHECK(f->version);
    std::vector<std::string> warnings;
    auto c = LoadConfig(*f, &warnings);
    REQUIRE(c.ok());
    CHECK(c->http_listen_port == 3333);
    CHECK(c->path_prefix == "/tmp/x");
  }
  {
    const char* argv[] = {"fenrir", "-server.http-listen-port=abc"};
    CHECK(!ParseFlags(2, argv).ok());
  }
  {
    const char* argv[] = {"fenrir"};
    auto f = ParseFlags(1, argv);
    std::vector<std::string> warnings;
    auto c = LoadConfig(*f, &warnings);
    REQUIRE(c.ok());
    CHECK(c->http_listen_port == 3100);
    CHECK(c->http_listen_address == "0.0.0.0");
    CHECK(c->path_prefix == "./fenrir-data");
    CHECK(!c->auth_enabled);
  }
}

TEST_CASE("effective config dumps as YAML that parses back", "[config]") {
  Config c;
  c.http_listen_port = 4242;
  c.limits.volume_enabled = true;
  c.limits.retention_period_ns = 720LL * 3600 * kSec;
  std::string yaml = ConfigToYaml(c);
  Config back;
  std::vector<std::string> unknown;
  REQUIRE(ParseConfig(yaml, false, &back, &unknown).ok());
  CHECK(unknown.empty());
  CHECK(back.http_listen_port == 4242);
  CHECK(back.limits.volume_enabled);
  CHECK(back.limits.retention_period_ns == c.limits.retention_period_ns);
}

TEST_CASE("query memory and bytes-read limits parse, default and dump", "[config]") {
  Config defaults;
  CHECK(defaults.max_query_memory_bytes == 512ULL << 20);
  CHECK(defaults.max_total_query_memory_bytes == 0);
  CHECK(defaults.limits.max_query_bytes_read == 0);
  Config c;
  std::vector<std::string> unknown;
  REQUIRE(ParseConfig("limits_config:\n  max_query_bytes_read: 2GB\nfenrir:\n"
                      "  max_query_memory_bytes: 64MB\n  max_total_query_memory_bytes: 1GB\n",
                      false, &c, &unknown)
              .ok());
  CHECK(unknown.empty());
  CHECK(c.limits.max_query_bytes_read == 2ULL << 30);
  CHECK(c.max_query_memory_bytes == 64ULL << 20);
  CHECK(c.max_total_query_memory_bytes == 1ULL << 30);
  Config back;
  REQUIRE(ParseConfig(ConfigToYaml(c), false, &back, &unknown).ok());
  CHECK(unknown.empty());
  CHECK(back.limits.max_query_bytes_read == c.limits.max_query_bytes_read);
  CHECK(back.max_query_memory_bytes == c.max_query_memory_bytes);
  CHECK(back.max_total_query_memory_bytes == c.max_total_query_memory_bytes);
}

TEST_CASE("head budget and Loki's chunk keys", "[config]") {
  Config c;
  std::vector<std::string> unknown;
  REQUIRE(ParseConfig("fenrir:\n  head_max_bytes: 64MB\n"
                      "ingester:\n  chunk_target_size: 262144\n  max_chunk_age: 2h\n"
                      "  chunk_encoding: snappy\n  wal:\n    enabled: true\n",
                      false, &c, &unknown)
              .ok());
  CHECK(unknown.empty());
  CHECK(c.head_max_bytes == 64ULL * 1024 * 1024);
  CHECK(c.chunk_target_size == 262144);
  CHECK(c.max_chunk_age_ns == 2 * 3600 * kSec);
  Config defaults;
  CHECK(defaults.chunk_target_size == 0);  // unset: the store's own default
}
