#pragma once
// Retention configuration: limits_config.retention_period / retention_stream as defaults, and
// the runtime overrides file (Loki's runtime_config: {file, period}) whose
//   overrides: {<tenant>: {retention_period: <duration>, retention_stream: [...]}}
// replace them per tenant key by key (an override without retention_stream keeps the default
// rules, one without retention_period keeps the default period; other limits in the file are
// accepted and ignored). The result is a storage::RetentionPolicy the store applies.

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/config.h"
#include "storage/retention_policy.h"
#include "storage/store.h"

namespace YAML {
class Node;
}

namespace fenrir::server {

// Parses a retention_stream list ([{selector, priority, period}, ...]). InvalidArgument on a
// malformed rule (selectors are checked when the policy is built).
Status ParseRetentionStreams(const YAML::Node& node, std::vector<RetentionStreamConfig>* out);

// One tenant's entry of the overrides file: only the keys that were set.
struct TenantOverrides {
  std::optional<int64_t> retention_period_ns;
  std::optional<std::vector<RetentionStreamConfig>> retention_stream;
};

// Parses the overrides file's text (empty text or no `overrides:` = no override).
Result<std::map<std::string, TenantOverrides>> ParseOverrides(std::string_view yaml);

// Defaults plus overrides -> policy. InvalidArgument naming the rule when a selector does not
// parse as a LogQL stream selector.
Result<std::shared_ptr<const storage::RetentionPolicy>> BuildRetentionPolicy(
    const LimitsConfig& defaults, const std::map<std::string, TenantOverrides>& overrides);

// The policy from the config and its overrides file (read now; errors fail startup).
Result<std::shared_ptr<const storage::RetentionPolicy>> LoadRetentionPolicy(const Config& config);

// Re-reads the overrides file every runtime_config.period and hands a changed policy to the
// store; a file that fails to parse keeps the previous policy (logged). No thread when no file
// is configured. Thread-safe; Stop() (or the destructor) joins.
class OverridesWatcher {
 public:
  // REQUIRES: config and store outlive the watcher.
  OverridesWatcher(const Config* config, storage::Store* store);
  ~OverridesWatcher();
  // Reads the file now; true when the store received a new policy.
  bool ReloadNow();
  void Stop();

 private:
  void Loop();

  const Config* config_;
  storage::Store* store_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;      // guarded by mu_
  std::string last_text_;      // guarded by mu_: the file content behind the current policy
  std::thread thread_;
};

}  // namespace fenrir::server
