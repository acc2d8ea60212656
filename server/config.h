#pragma once
// Fenrir's configuration: a Loki 2.9 YAML file (the keys Fenrir honours) plus a `fenrir:`
// section for Fenrir-only options, and the command-line flags that select and override it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace fenrir::server {

// One limits_config.retention_stream rule (Loki's StreamRetention): a stream selector, its
// priority (higher wins) and period (0 = keep forever). Compiled by server/overrides.
struct RetentionStreamConfig {
  std::string selector;
  int64_t priority = 0;
  int64_t period_ns = 0;
};

// Per-tenant limits (Loki's limits_config). Defaults are Loki 2.9's, except
// allow_structured_metadata (true: Fenrir's store always supports it).
struct LimitsConfig {
  bool reject_old_samples = true;
  int64_t reject_old_samples_max_age_ns = 168LL * 3600 * 1'000'000'000;
  int64_t creation_grace_period_ns = 10LL * 60 * 1'000'000'000;
  uint64_t max_line_size = 0;  // 0 = unlimited
  bool max_line_size_truncate = false;
  int max_label_names_per_series = 30;
  int max_label_name_length = 1024;
  int max_label_value_length = 2048;
  double ingestion_rate_mb = 4;
  double ingestion_burst_size_mb = 6;
  int64_t max_streams_per_user = 0;            // 0 = no local limit
  int64_t max_global_streams_per_user = 5000;  // 0 = no global limit
  uint32_t max_entries_limit_per_query = 5000;
  uint32_t max_query_series = 500;
  int64_t query_timeout_ns = 60LL * 1'000'000'000;
  int64_t max_query_length_ns = 721LL * 3600 * 1'000'000'000;  // 0 = unlimited
  // Refuse (400) queries whose selectors match more line bytes than this, per index stats,
  // before running them. 0 = unlimited (Loki's default).
  uint64_t max_query_bytes_read = 0;
  // Fenrir applies retention without compactor.retention_enabled: 30 days unless the config
  // says otherwise; 0 = keep forever.
  int64_t retention_period_ns = 720LL * 3600 * 1'000'000'000;
  std::vector<RetentionStreamConfig> retention_stream;
  bool volume_enabled = false;
  bool allow_structured_metadata = true;
  int max_concurrent_tail_requests = 10;  // per tenant; <= 0: unlimited
};

struct Config {
  // server:
  std::string http_listen_address = "0.0.0.0";
  int http_listen_port = 3100;
  int64_t http_server_read_timeout_ns = 30LL * 1'000'000'000;
  int64_t http_server_write_timeout_ns = 30LL * 1'000'000'000;
  std::string http_path_prefix;  // prepended to every route
  std::string log_level = "info";
  // common.path_prefix: the data directory.
  std::string path_prefix = "./fenrir-data";
  // Loki defaults to true; Fenrir's built-in default is a single-tenant server.
  bool auth_enabled = false;
  LimitsConfig limits;
  // fenrir: (Fenrir-only)
  bool sync_writes = false;
  // fenrir.head_max_bytes: memory budget of the head (entries not yet cut into blocks). From
  // 3/4 of it the background cutter persists the largest open blocks; pushes that would pass
  // it get 429 (storage/store.h StoreOptions::head_max_bytes).
  uint64_t head_max_bytes = 192ULL << 20;
  // ingester.chunk_target_size / ingester.max_chunk_age (Loki keys, mapped onto the store's
  // block_target_bytes / head_max_age_ns); 0: the store's defaults (1 MiB, 1 min).
  uint64_t chunk_target_size = 0;
  int64_t max_chunk_age_ns = 0;
  uint64_t max_request_body_bytes = 64ULL << 20;      // per HTTP request body, as received
  uint64_t max_decompressed_body_bytes = 256ULL << 20;  // push bodies after gzip/deflate/snappy
  int query_workers = 2;   // worker pool running queries
  int io_threads = 2;      // Beast I/O threads
  // Queries a tenant may have queued or running (Loki's frontend max_outstanding_per_tenant);
  // past it: 429 "too many outstanding requests". <= 0: unlimited.
  int64_t max_outstanding_requests_per_tenant = 2048;
  // Memory budget of one query's materialized result (0 = unlimited); past it: 400.
  uint64_t max_query_result_bytes = 1ULL << 30;
  // Live memory one query may hold while it is evaluated (query/eval/memory_budget.h; 0 =
  // unlimited); past it the query stops at once with 400 "query would use too much memory".
  uint64_t max_query_memory_bytes = 512ULL << 20;
  // Sum of the memory all running queries may hold (0 = unlimited); past it queries fail with
  // 429 "too many outstanding requests".
  uint64_t max_total_query_memory_bytes = 0;
  // Free space kept on the data directory's file system (capped at a tenth of its size);
  // pushes that would eat into it fail with 500 (docs/reliability.md). 0 disables the check.
  uint64_t min_free_disk_bytes = 64ULL << 20;
  // Retention, deletion and the admin API (docs/retention.md).
  std::string runtime_config_file;  // runtime_config.file: per-tenant overrides, reloaded
  int64_t runtime_config_period_ns = 10LL * 1'000'000'000;  // runtime_config.period
  int64_t compaction_interval_ns = 10LL * 60 * 1'000'000'000;  // compactor.compaction_interval
  int64_t delete_request_cancel_period_ns = 24LL * 3600 * 1'000'000'000;  // compactor.*
  std::string admin_token;  // fenrir.admin_token: Bearer token of the /admin/ routes
  bool admin_open = false;  // fenrir.admin_open: serve /admin/ without a token when none is set
  // fenrir.admin_listen_address / admin_listen_port: when the port is set, /admin/ routes are
  // served only there (e.g. bound to 127.0.0.1) and the main port answers 404 for them.
  std::string admin_listen_address = "127.0.0.1";
  int admin_listen_port = 0;
};

// Parses YAML text into *config (starting from its current values). Unknown keys add one
// "<path>" entry each to *unknown_keys; keys Loki has but Fenrir ignores are accepted silently.
// `expand_env` replaces ${VAR} and ${VAR:-default} first (Loki's -config.expand-env).
// Errors: InvalidArgument for YAML syntax errors or values of the wrong type.
Status ParseConfig(std::string_view yaml, bool expand_env, Config* config,
                   std::vector<std::string>* unknown_keys);

// Effective configuration as YAML (GET /config).
std::string ConfigToYaml(const Config& config);

// Command-line flags (Go flag syntax: -name=value, --name=value, -name value).
struct Flags {
  std::string config_file;
  bool expand_env = false;
  bool version = false;
  bool help = false;
  std::optional<int> http_listen_port;
  std::optional<std::string> path_prefix;
  std::optional<std::string> log_level;
  std::optional<bool> auth_enabled;
  std::vector<std::string> unknown;  // flags Fenrir ignores (warned about)
};

Result<Flags> ParseFlags(int argc, const char* const* argv);

// Reads the file named by flags (or uses built-in defaults), then applies flag overrides.
// Warnings (unknown keys and flags) are appended to *warnings.
Result<Config> LoadConfig(const Flags& flags, std::vector<std::string>* warnings);

}  // namespace fenrir::server
