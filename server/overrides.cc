#include "server/overrides.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "query/syntax/parser.h"
#include "server/config_units.h"
#include "server/log.h"

namespace fenrir::server {

namespace {

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::InvalidArgument("cannot read runtime config file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<storage::TenantRetention> Compile(int64_t period_ns,
                                         const std::vector<RetentionStreamConfig>& rules) {
  storage::TenantRetention t;
  t.period_ns = period_ns;
  for (const auto& r : rules) {
    auto matchers = query::ParseSelector(r.selector);
    if (!matchers.ok()) {
      return Status::InvalidArgument("retention_stream selector " + r.selector + ": " +
                                     matchers.status().message());
    }
    t.streams.push_back({std::move(*matchers), r.priority, r.period_ns, r.selector});
  }
  return t;
}

}  // namespace

Status ParseRetentionStreams(const YAML::Node& n, std::vector<RetentionStreamConfig>* out) {
  if (!n.IsSequence()) return Status::InvalidArgument("retention_stream: want a list of rules");
  std::vector<RetentionStreamConfig> rules;
  for (const auto& item : n) {
    if (!item.IsMap()) return Status::InvalidArgument("retention_stream: want {selector, priority, period}");
    RetentionStreamConfig rule;
    try {
      if (item["selector"]) rule.selector = item["selector"].as<std::string>();
      if (item["priority"]) rule.priority = item["priority"].as<int64_t>();
    } catch (const YAML::Exception&) {
      return Status::InvalidArgument("retention_stream: bad selector or priority");
    }
    if (rule.selector.empty()) return Status::InvalidArgument("retention_stream: selector not set");
    if (item["period"]) {
      if (!item["period"].IsScalar()) return Status::InvalidArgument("retention_stream: bad period");
      auto d = ParseConfigDuration(item["period"].Scalar());
      if (!d.ok()) return d.status();
      rule.period_ns = *d;
    }
    rules.push_back(std::move(rule));
  }
  *out = std::move(rules);
  return Status::OK();
}

Result<std::map<std::string, TenantOverrides>> ParseOverrides(std::string_view yaml) {
  std::map<std::string, TenantOverrides> out;
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
    if (root.IsNull()) return out;
    if (!root.IsMap()) return Status::InvalidArgument("runtime config: top level must be a mapping");
    YAML::Node overrides = root["overrides"];
    if (!overrides || overrides.IsNull()) return out;
    if (!overrides.IsMap()) return Status::InvalidArgument("runtime config: overrides must be a mapping");
    for (const auto& kv : overrides) {
      const std::string tenant = kv.first.as<std::string>();
      TenantOverrides t;
      if (kv.second.IsNull()) {
        out[tenant] = t;
        continue;
      }
      if (!kv.second.IsMap()) {
        return Status::InvalidArgument("runtime config: overrides of " + tenant + " must be a mapping");
      }
      if (YAML::Node p = kv.second["retention_period"]; p && !p.IsNull()) {
        if (!p.IsScalar()) return Status::InvalidArgument("runtime config: bad retention_period");
        auto d = ParseConfigDuration(p.Scalar());
        if (!d.ok()) return Status::InvalidArgument("runtime config: " + d.status().message());
        t.retention_period_ns = *d;
      }
      if (YAML::Node r = kv.second["retention_stream"]; r && !r.IsNull()) {
        std::vector<RetentionStreamConfig> rules;
        FENRIR_RETURN_IF_ERROR(ParseRetentionStreams(r, &rules));
        t.retention_stream = std::move(rules);
      }
      out[tenant] = std::move(t);
    }
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(std::string("runtime config: ") + e.what());
  }
  return out;
}

Result<std::shared_ptr<const storage::RetentionPolicy>> BuildRetentionPolicy(
    const LimitsConfig& defaults, const std::map<std::string, TenantOverrides>& overrides) {
  auto base = Compile(defaults.retention_period_ns, defaults.retention_stream);
  if (!base.ok()) return base.status();
  std::map<std::string, storage::TenantRetention, std::less<>> tenants;
  for (const auto& [tenant, o] : overrides) {
    auto t = Compile(o.retention_period_ns.value_or(defaults.retention_period_ns),
                     o.retention_stream.value_or(defaults.retention_stream));
    if (!t.ok()) return t.status();
    tenants[tenant] = std::move(*t);
  }
  return std::shared_ptr<const storage::RetentionPolicy>(
      std::make_shared<storage::RetentionPolicy>(std::move(*base), std::move(tenants)));
}

Result<std::shared_ptr<const storage::RetentionPolicy>> LoadRetentionPolicy(const Config& config) {
  std::map<std::string, TenantOverrides> overrides;
  if (!config.runtime_config_file.empty()) {
    auto text = ReadFile(config.runtime_config_file);
    if (!text.ok()) return text.status();
    auto parsed = ParseOverrides(*text);
    if (!parsed.ok()) return parsed.status();
    overrides = std::move(*parsed);
  }
  return BuildRetentionPolicy(config.limits, overrides);
}

OverridesWatcher::OverridesWatcher(const Config* config, storage::Store* store)
    : config_(config), store_(store) {
  if (config_->runtime_config_file.empty()) return;
  if (auto text = ReadFile(config_->runtime_config_file); text.ok()) last_text_ = *text;
  if (config_->runtime_config_period_ns > 0) thread_ = std::thread([this] { Loop(); });
}

OverridesWatcher::~OverridesWatcher() { Stop(); }

void OverridesWatcher::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool OverridesWatcher::ReloadNow() {
  if (config_->runtime_config_file.empty()) return false;
  auto text = ReadFile(config_->runtime_config_file);
  if (!text.ok()) {
    Log(LogLevel::kWarn, "runtime config: " + text.status().message() + " (keeping the previous overrides)");
    return false;
  }
  {
    std::lock_guard<std::mutex> l(mu_);
    if (*text == last_text_) return false;
  }
  auto parsed = ParseOverrides(*text);
  Result<std::shared_ptr<const storage::RetentionPolicy>> policy =
      parsed.ok() ? BuildRetentionPolicy(config_->limits, *parsed)
                  : Result<std::shared_ptr<const storage::RetentionPolicy>>(parsed.status());
  if (!policy.ok()) {
    Log(LogLevel::kWarn, policy.status().message() + " (keeping the previous overrides)");
    return false;
  }
  store_->SetRetentionPolicy(*policy);
  std::lock_guard<std::mutex> l(mu_);
  last_text_ = std::move(*text);
  Log(LogLevel::kInfo, "runtime config reloaded: " + std::to_string(parsed->size()) + " tenant overrides");
  return true;
}

void OverridesWatcher::Loop() {
  std::unique_lock<std::mutex> l(mu_);
  while (!stopping_) {
    if (cv_.wait_for(l, std::chrono::nanoseconds(config_->runtime_config_period_ns),
                     [this] { return stopping_; })) {
      break;
    }
    l.unlock();
    ReloadNow();
    l.lock();
  }
}

}  // namespace fenrir::server
