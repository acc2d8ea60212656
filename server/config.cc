#include "server/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "base/go_duration.h"
#include "base/prom_duration.h"
#include "server/config_units.h"
#include "server/overrides.h"

namespace fenrir::server {

namespace {

using Setter = std::function<Status(const YAML::Node&, Config*)>;

Status TypeError(const std::string& want, const YAML::Node& n) {
  std::string got = n.IsScalar() ? n.Scalar() : "<non-scalar>";
  return Status::InvalidArgument("cannot parse \"" + got + "\" as " + want);
}

template <typename T>
Setter Scalar(T Config::*field, const char* want) {
  return [field, want](const YAML::Node& n, Config* c) -> Status {
    try {
      c->*field = n.as<T>();
      return Status::OK();
    } catch (const YAML::Exception&) {
      return TypeError(want, n);
    }
  };
}

template <typename T>
Setter Limit(T LimitsConfig::*field, const char* want) {
  return [field, want](const YAML::Node& n, Config* c) -> Status {
    try {
      c->limits.*field = n.as<T>();
      return Status::OK();
    } catch (const YAML::Exception&) {
      return TypeError(want, n);
    }
  };
}

Setter Duration(std::function<int64_t*(Config*)> field) {
  return [field](const YAML::Node& n, Config* c) -> Status {
    if (!n.IsScalar()) return TypeError("a duration", n);
    auto d = ParseConfigDuration(n.Scalar());
    if (!d.ok()) return d.status();
    *field(c) = *d;
    return Status::OK();
  };
}

Setter Size(std::function<uint64_t*(Config*)> field) {
  return [field](const YAML::Node& n, Config* c) -> Status {
    if (!n.IsScalar()) return TypeError("a size", n);
    auto d = ParseByteSize(n.Scalar());
    if (!d.ok()) return d.status();
    *field(c) = *d;
    return Status::OK();
  };
}

// limits_config.retention_stream: a list of {selector, priority, period} (server/overrides.h).
Status SetRetentionStream(const YAML::Node& n, Config* c) {
  return ParseRetentionStreams(n, &c->limits.retention_stream);
}

const std::map<std::string, Setter>& Setters() {
  static const auto* setters = new std::map<std::string, Setter>{
      {"auth_enabled", Scalar(&Config::auth_enabled, "a boolean")},
      {"server.http_listen_address", Scalar(&Config::http_listen_address, "a string")},
      {"server.http_listen_port", Scalar(&Config::http_listen_port, "an integer")},
      {"server.http_server_read_timeout",
       Duration([](Config* c) { return &c->http_server_read_timeout_ns; })},
      {"server.http_server_write_timeout",
       Duration([](Config* c) { return &c->http_server_write_timeout_ns; })},
      {"server.http_path_prefix", Scalar(&Config::http_path_prefix, "a string")},
      {"server.log_level", Scalar(&Config::log_level, "a string")},
      {"common.path_prefix", Scalar(&Config::path_prefix, "a string")},
      {"limits_config.reject_old_samples", Limit(&LimitsConfig::reject_old_samples, "a boolean")},
      {"limits_config.reject_old_samples_max_age",
       Duration([](Config* c) { return &c->limits.reject_old_samples_max_age_ns; })},
      {"limits_config.creation_grace_period",
       Duration([](Config* c) { return &c->limits.creation_grace_period_ns; })},
      {"limits_config.max_line_size", Size([](Config* c) { return &c->limits.max_line_size; })},
      {"limits_config.max_line_size_truncate",
       Limit(&LimitsConfig::max_line_size_truncate, "a boolean")},
      {"limits_config.max_label_names_per_series",
       Limit(&LimitsConfig::max_label_names_per_series, "an integer")},
      {"limits_config.max_label_name_length",
       Limit(&LimitsConfig::max_label_name_length, "an integer")},
      {"limits_config.max_label_value_length",
       Limit(&LimitsConfig::max_label_value_length, "an integer")},
      {"limits_config.ingestion_rate_mb", Limit(&LimitsConfig::ingestion_rate_mb, "a number")},
      {"limits_config.ingestion_burst_size_mb",
       Limit(&LimitsConfig::ingestion_burst_size_mb, "a number")},
      {"limits_config.max_streams_per_user",
       Limit(&LimitsConfig::max_streams_per_user, "an integer")},
      {"limits_config.max_global_streams_per_user",
       Limit(&LimitsConfig::max_global_streams_per_user, "an integer")},
      {"limits_config.max_entries_limit_per_query",
       Limit(&LimitsConfig::max_entries_limit_per_query, "an integer")},
      {"limits_config.max_query_series", Limit(&LimitsConfig::max_query_series, "an integer")},
      {"limits_config.query_timeout",
       Duration([](Config* c) { return &c->limits.query_timeout_ns; })},
      {"limits_config.max_query_length",
       Duration([](Config* c) { return &c->limits.max_query_length_ns; })},
      {"limits_config.max_query_bytes_read",
       Size([](Config* c) { return &c->limits.max_query_bytes_read; })},
      {"limits_config.retention_period",
       Duration([](Config* c) { return &c->limits.retention_period_ns; })},
      {"limits_config.volume_enabled", Limit(&LimitsConfig::volume_enabled, "a boolean")},
      {"limits_config.allow_structured_metadata",
       Limit(&LimitsConfig::allow_structured_metadata, "a boolean")},
      {"limits_config.max_concurrent_tail_requests",
       Limit(&LimitsConfig::max_concurrent_tail_requests, "an integer")},
      {"fenrir.sync_writes", Scalar(&Config::sync_writes, "a boolean")},
      {"fenrir.head_max_bytes", Size([](Config* c) { return &c->head_max_bytes; })},
      {"ingester.chunk_target_size", Size([](Config* c) { return &c->chunk_target_size; })},
      {"ingester.max_chunk_age", Duration([](Config* c) { return &c->max_chunk_age_ns; })},
      {"fenrir.max_request_body_bytes",
       Size([](Config* c) { return &c->max_request_body_bytes; })},
      {"fenrir.max_decompressed_body_bytes",
       Size([](Config* c) { return &c->max_decompressed_body_bytes; })},
      {"fenrir.query_workers", Scalar(&Config::query_workers, "an integer")},
      {"fenrir.io_threads", Scalar(&Config::io_threads, "an integer")},
      {"fenrir.max_outstanding_requests_per_tenant",
       Scalar(&Config::max_outstanding_requests_per_tenant, "an integer")},
      {"fenrir.max_query_result_bytes",
       Size([](Config* c) { return &c->max_query_result_bytes; })},
      {"fenrir.max_query_memory_bytes",
       Size([](Config* c) { return &c->max_query_memory_bytes; })},
      {"fenrir.max_total_query_memory_bytes",
       Size([](Config* c) { return &c->max_total_query_memory_bytes; })},
      {"fenrir.min_free_disk_bytes", Size([](Config* c) { return &c->min_free_disk_bytes; })},
      {"limits_config.retention_stream", SetRetentionStream},
      {"runtime_config.file", Scalar(&Config::runtime_config_file, "a string")},
      {"runtime_config.period",
       Duration([](Config* c) { return &c->runtime_config_period_ns; })},
      {"compactor.compaction_interval",
       Duration([](Config* c) { return &c->compaction_interval_ns; })},
      {"compactor.delete_request_cancel_period",
       Duration([](Config* c) { return &c->delete_request_cancel_period_ns; })},
      {"fenrir.admin_token", Scalar(&Config::admin_token, "a string")},
      {"fenrir.admin_open", Scalar(&Config::admin_open, "a boolean")},
      {"fenrir.admin_listen_address", Scalar(&Config::admin_listen_address, "a string")},
      {"fenrir.admin_listen_port", Scalar(&Config::admin_listen_port, "an integer")},
  };
  return *setters;
}

// Loki keys (or whole sections) Fenrir accepts and ignores without a warning.
const std::set<std::string>& IgnoredKeys() {
  static const auto* keys = new std::set<std::string>{
      // whole sections
      "schema_config", "storage_config", "ruler", "query_range", "querier", "ingester",
      "ingester_client", "analytics", "frontend", "frontend_worker",
      "query_scheduler", "memberlist", "distributor", "chunk_store_config", "table_manager",
      "tracing", "index_gateway", "bloom_gateway", "bloom_compactor",
      "pattern_ingester", "operational_config", "target", "ballast_bytes", "internal_server",
      "use_buffered_logger", "use_sync_logger", "overrides_exporter", "query_frontend",
      "shutdown_delay", "kafka_config", "profiling_enabled",
      // server
      "server.grpc_listen_port", "server.grpc_listen_address", "server.grpc_listen_network",
      "server.http_listen_network", "server.grpc_server_max_recv_msg_size",
      "server.grpc_server_max_send_msg_size", "server.grpc_server_max_concurrent_streams",
      "server.http_server_idle_timeout", "server.log_format", "server.register_instrumentation",
      "server.graceful_shutdown_timeout", "server.log_source_ips_enabled",
      "server.log_request_headers", "server.log_request_at_info_level_enabled",
      "server.grpc_server_max_connection_age", "server.grpc_server_max_connection_idle",
      "server.grpc_server_max_connection_age_grace", "server.grpc_server_keepalive_time",
      "server.grpc_server_keepalive_timeout", "server.grpc_server_min_time_between_pings",
      "server.grpc_server_ping_without_stream_allowed", "server.http_tls_config",
      "server.grpc_tls_config", "server.tls_cipher_suites", "server.tls_min_version",
      "server.http_listen_conn_limit", "server.grpc_listen_conn_limit",
      // compactor (retention and deletes always run in Fenrir; see docs/retention.md)
      "compactor.working_directory", "compactor.shared_store", "compactor.retention_enabled",
      "compactor.retention_delete_delay", "compactor.retention_delete_worker_count",
      "compactor.delete_request_store", "compactor.delete_max_interval",
      "compactor.delete_batch_size", "compactor.compactor_ring",
      "compactor.apply_retention_interval", "compactor.max_compaction_parallelism",
      "compactor.upload_parallelism", "compactor.retention_table_timeout",
      "compactor.shared_store_key_prefix", "compactor.delete_request_store_key_prefix",
      "compactor.run_once", "compactor.tables_to_compact", "compactor.skip_latest_n_tables",
      "compactor.compaction_interval_jitter",
      // runtime_config
      "runtime_config.multi_kv_config",
      // common
      "common.instance_addr", "common.storage", "common.replication_factor", "common.ring",
      "common.compactor_address", "common.compactor_grpc_address",
      "common.instance_interface_names", "common.persist_tokens", "common.instance_enable_ipv6",
      // limits_config
      "limits_config.unordered_writes", "limits_config.per_stream_rate_limit",
      "limits_config.per_stream_rate_limit_burst", "limits_config.split_queries_by_interval",
      "limits_config.max_query_parallelism", "limits_config.tsdb_max_query_parallelism",
      "limits_config.max_query_lookback",
      "limits_config.max_cache_freshness_per_query", "limits_config.cardinality_limit",
      "limits_config.max_streams_matchers_per_query", "limits_config.increment_duplicate_timestamp",
      "limits_config.discover_service_name", "limits_config.discover_log_levels",
      "limits_config.shard_streams", "limits_config.deletion_mode",
      "limits_config.per_tenant_override_config",
      "limits_config.per_tenant_override_period", "limits_config.query_ready_index_num_days",
      "limits_config.max_chunks_per_query",
      "limits_config.max_querier_bytes_read", "limits_config.max_structured_metadata_size",
      "limits_config.max_structured_metadata_entries_count",
      "limits_config.ingestion_rate_strategy", "limits_config.enforce_metric_name",
      "limits_config.max_cache_freshness", "limits_config.tail_max_duration",
      "limits_config.split_metadata_queries_by_interval", "limits_config.max_queriers_per_tenant",
      "limits_config.query_timeout_default", "limits_config.max_line_size_truncate_bytes",
      "limits_config.reject_old_samples_max_age_bytes", "limits_config.volume_max_series",
      "limits_config.min_sharding_lookback", "limits_config.bloom_gateway_enable_filtering",
  };
  return *keys;
}

// Whether some setter lives below `path` (a section Fenrir reads at least in part).
bool HasSetterBelow(const std::string& path) {
  auto lb = Setters().lower_bound(path + ".");
  return lb != Setters().end() && lb->first.rfind(path + ".", 0) == 0;
}

// `ignore_unknown`: inside an ignored section of which Fenrir honours a few keys (ingester).
void Walk(const YAML::Node& node, const std::string& path, Config* config,
          std::vector<std::string>* unknown, Status* status, bool ignore_unknown = false) {
  for (const auto& kv : node) {
    if (!status->ok()) return;
    std::string key = kv.first.as<std::string>();
    std::string full = path.empty() ? key : path + "." + key;
    if (IgnoredKeys().count(full)) {
      if (kv.second.IsMap() && HasSetterBelow(full)) {
        Walk(kv.second, full, config, unknown, status, /*ignore_unknown=*/true);
      }
      continue;
    }
    auto it = Setters().find(full);
    if (it != Setters().end()) {
      if (kv.second.IsNull()) continue;
      Status st = it->second(kv.second, config);
      if (!st.ok()) {
        *status = Status::InvalidArgument("config key " + full + ": " + st.message());
        return;
      }
      continue;
    }
    const bool is_section = HasSetterBelow(full);
    if (is_section && kv.second.IsMap()) {
      Walk(kv.second, full, config, unknown, status, ignore_unknown);
    } else if (is_section && kv.second.IsNull()) {
      continue;
    } else if (!ignore_unknown) {
      unknown->push_back(full);
    }
  }
}

std::string ExpandEnv(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '$' && i + 1 < in.size() && in[i + 1] == '{') {
      size_t close = in.find('}', i + 2);
      if (close != std::string_view::npos) {
        std::string expr(in.substr(i + 2, close - i - 2));
        std::string def;
        size_t colon = expr.find(":-");
        if (colon != std::string::npos) {
          def = expr.substr(colon + 2);
          expr.resize(colon);
        }
        const char* v = std::getenv(expr.c_str());
        out += (v && *v) ? std::string(v) : def;
        i = close;
        continue;
      }
    }
    out.push_back(in[i]);
  }
  return out;
}

}  // namespace

Status ParseConfig(std::string_view yaml, bool expand_env, Config* config,
                   std::vector<std::string>* unknown_keys) {
  YAML::Node root;
  try {
    root = YAML::Load(expand_env ? ExpandEnv(yaml) : std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string("config: invalid YAML: ") + e.what());
  }
  if (root.IsNull()) return Status::OK();
  if (!root.IsMap()) return Status::InvalidArgument("config: top level must be a mapping");
  Status status;
  try {
    Walk(root, "", config, unknown_keys, &status);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string("config: ") + e.what());
  }
  return status;
}

std::string ConfigToYaml(const Config& c) {
  YAML::Emitter out;
  const LimitsConfig& l = c.limits;
  out << YAML::BeginMap;
  out << YAML::Key << "auth_enabled" << YAML::Value << c.auth_enabled;
  out << YAML::Key << "server" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "http_listen_address" << YAML::Value << c.http_listen_address;
  out << YAML::Key << "http_listen_port" << YAML::Value << c.http_listen_port;
  out << YAML::Key << "http_server_read_timeout" << YAML::Value
      << FormatGoDuration(c.http_server_read_timeout_ns);
  out << YAML::Key << "http_server_write_timeout" << YAML::Value
      << FormatGoDuration(c.http_server_write_timeout_ns);
  out << YAML::Key << "http_path_prefix" << YAML::Value << c.http_path_prefix;
  out << YAML::Key << "log_level" << YAML::Value << c.log_level;
  out << YAML::EndMap;
  out << YAML::Key << "common" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "path_prefix" << YAML::Value << c.path_prefix;
  out << YAML::EndMap;
  out << YAML::Key << "limits_config" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "reject_old_samples" << YAML::Value << l.reject_old_samples;
  out << YAML::Key << "reject_old_samples_max_age" << YAML::Value
      << FormatPromDuration(l.reject_old_samples_max_age_ns);
  out << YAML::Key << "creation_grace_period" << YAML::Value
      << FormatPromDuration(l.creation_grace_period_ns);
  out << YAML::Key << "max_line_size" << YAML::Value << l.max_line_size;
  out << YAML::Key << "max_line_size_truncate" << YAML::Value << l.max_line_size_truncate;
  out << YAML::Key << "max_label_names_per_series" << YAML::Value << l.max_label_names_per_series;
  out << YAML::Key << "max_label_name_length" << YAML::Value << l.max_label_name_length;
  out << YAML::Key << "max_label_value_length" << YAML::Value << l.max_label_value_length;
  out << YAML::Key << "ingestion_rate_mb" << YAML::Value << l.ingestion_rate_mb;
  out << YAML::Key << "ingestion_burst_size_mb" << YAML::Value << l.ingestion_burst_size_mb;
  out << YAML::Key << "max_streams_per_user" << YAML::Value << l.max_streams_per_user;
  out << YAML::Key << "max_global_streams_per_user" << YAML::Value
      << l.max_global_streams_per_user;
  out << YAML::Key << "max_entries_limit_per_query" << YAML::Value
      << l.max_entries_limit_per_query;
  out << YAML::Key << "max_query_series" << YAML::Value << l.max_query_series;
  out << YAML::Key << "max_concurrent_tail_requests" << YAML::Value << l.max_concurrent_tail_requests;
  out << YAML::Key << "query_timeout" << YAML::Value << FormatPromDuration(l.query_timeout_ns);
  out << YAML::Key << "max_query_length" << YAML::Value
      << FormatPromDuration(l.max_query_length_ns);
  out << YAML::Key << "max_query_bytes_read" << YAML::Value << l.max_query_bytes_read;
  out << YAML::Key << "retention_period" << YAML::Value
      << FormatPromDuration(l.retention_period_ns);
  if (!l.retention_stream.empty()) {
    out << YAML::Key << "retention_stream" << YAML::Value << YAML::BeginSeq;
    for (const auto& r : l.retention_stream) {
      out << YAML::BeginMap << YAML::Key << "selector" << YAML::Value << r.selector;
      out << YAML::Key << "priority" << YAML::Value << r.priority;
      out << YAML::Key << "period" << YAML::Value << FormatPromDuration(r.period_ns);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::Key << "volume_enabled" << YAML::Value << l.volume_enabled;
  out << YAML::Key << "allow_structured_metadata" << YAML::Value << l.allow_structured_metadata;
  out << YAML::EndMap;
  out << YAML::Key << "fenrir" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "sync_writes" << YAML::Value << c.sync_writes;
  out << YAML::Key << "head_max_bytes" << YAML::Value << c.head_max_bytes;
  out << YAML::Key << "max_request_body_bytes" << YAML::Value << c.max_request_body_bytes;
  out << YAML::Key << "max_decompressed_body_bytes" << YAML::Value
      << c.max_decompressed_body_bytes;
  out << YAML::Key << "query_workers" << YAML::Value << c.query_workers;
  out << YAML::Key << "io_threads" << YAML::Value << c.io_threads;
  out << YAML::Key << "max_outstanding_requests_per_tenant" << YAML::Value
      << c.max_outstanding_requests_per_tenant;
  out << YAML::Key << "max_query_result_bytes" << YAML::Value << c.max_query_result_bytes;
  out << YAML::Key << "max_query_memory_bytes" << YAML::Value << c.max_query_memory_bytes;
  out << YAML::Key << "max_total_query_memory_bytes" << YAML::Value
      << c.max_total_query_memory_bytes;
  out << YAML::Key << "min_free_disk_bytes" << YAML::Value << c.min_free_disk_bytes;
  out << YAML::Key << "admin_open" << YAML::Value << c.admin_open;  // the token is never shown
  out << YAML::EndMap;
  out << YAML::Key << "runtime_config" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "file" << YAML::Value << c.runtime_config_file;
  out << YAML::Key << "period" << YAML::Value << FormatPromDuration(c.runtime_config_period_ns);
  out << YAML::EndMap;
  out << YAML::Key << "compactor" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "compaction_interval" << YAML::Value
      << FormatPromDuration(c.compaction_interval_ns);
  out << YAML::Key << "delete_request_cancel_period" << YAML::Value
      << FormatPromDuration(c.delete_request_cancel_period_ns);
  out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

Result<Flags> ParseFlags(int argc, const char* const* argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-') {
      return Status::InvalidArgument("unexpected argument: " + arg);
    }
    std::string name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string> value;
    size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto bool_value = [&](bool* out) -> Status {
      if (!value || *value == "true" || *value == "1") *out = true;
      else if (*value == "false" || *value == "0") *out = false;
      else return Status::InvalidArgument("invalid boolean value for -" + name);
      return Status::OK();
    };
    auto string_value = [&]() -> Result<std::string> {
      if (value) return *value;
      if (i + 1 >= argc) return Status::InvalidArgument("flag needs an argument: -" + name);
      return std::string(argv[++i]);
    };
    if (name == "version") {
      FENRIR_RETURN_IF_ERROR(bool_value(&flags.version));
    } else if (name == "h" || name == "help") {
      flags.help = true;
    } else if (name == "config.expand-env") {
      FENRIR_RETURN_IF_ERROR(bool_value(&flags.expand_env));
    } else if (name == "auth.enabled") {
      bool b = true;
      FENRIR_RETURN_IF_ERROR(bool_value(&b));
      flags.auth_enabled = b;
    } else if (name == "config.file" || name == "server.http-listen-port" ||
               name == "common.path-prefix" || name == "log.level") {
      auto v = string_value();
      if (!v.ok()) return v.status();
      if (name == "config.file") {
        flags.config_file = *v;
      } else if (name == "common.path-prefix") {
        flags.path_prefix = *v;
      } else if (name == "log.level") {
        flags.log_level = *v;
      } else {
        char* end = nullptr;
        long port = std::strtol(v->c_str(), &end, 10);
        if (v->empty() || *end != '\0' || port < 0 || port > 65535) {
          return Status::InvalidArgument("invalid value \"" + *v +
                                         "\" for flag -server.http-listen-port");
        }
        flags.http_listen_port = static_cast<int>(port);
      }
    } else {
      // Loki has hundreds of flags (-target=all, ...); accept them with a warning.
      flags.unknown.push_back("-" + name);
    }
  }
  return flags;
}

Result<Config> LoadConfig(const Flags& flags, std::vector<std::string>* warnings) {
  Config config;
  if (!flags.config_file.empty()) {
    std::ifstream in(flags.config_file);
    if (!in) return Status::InvalidArgument("cannot read config file " + flags.config_file);
    std::stringstream ss;
    ss << in.rdbuf();
    std::vector<std::string> unknown;
    FENRIR_RETURN_IF_ERROR(ParseConfig(ss.str(), flags.expand_env, &config, &unknown));
    for (const auto& k : unknown) {
      warnings->push_back("unknown config key " + k + " (ignored)");
    }
  }
  for (const auto& f : flags.unknown) warnings->push_back("unknown flag " + f + " (ignored)");
  if (flags.http_listen_port) config.http_listen_port = *flags.http_listen_port;
  if (flags.path_prefix) config.path_prefix = *flags.path_prefix;
  if (flags.log_level) config.log_level = *flags.log_level;
  if (flags.auth_enabled) config.auth_enabled = *flags.auth_enabled;
  return config;
}

}  // namespace fenrir::server
