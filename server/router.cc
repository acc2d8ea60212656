#include "server/router.h"

#include "server/handlers/admin_api.h"
#include "server/handlers/admin_handler.h"
#include "server/handlers/delete_handler.h"
#include "server/handlers/discovery_handler.h"
#include "server/handlers/metadata_handler.h"
#include "server/http/params.h"
#include "server/push/push_handler.h"
#include "server/handlers/query_handler.h"

namespace fenrir::server {

namespace {
const std::vector<std::string> kGetPost = {"GET", "POST"};
const std::vector<std::string> kGet = {"GET"};
const std::vector<std::string> kPost = {"POST"};
const std::vector<std::string> kDeleteApi = {"GET", "POST", "PUT", "DELETE"};
}  // namespace

Router::Router(const ServerContext* ctx) : ctx_(ctx), prefix_(ctx->config->http_path_prefix) {
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  const ServerContext& c = *ctx_;
  auto push = [&c](bool legacy) {
    return [&c, legacy](const HttpRequest& r, const std::string&) {
      return HandlePush(c, r, legacy);
    };
  };
  Add("/loki/api/v1/push", kPost, "loki_api_v1_push", false, push(false));
  Add("/api/prom/push", kPost, "api_prom_push", false, push(true));
  Add("/loki/api/v1/query_range", kGetPost, "loki_api_v1_query_range", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleQueryRange(c, r); });
  Add("/loki/api/v1/query", kGetPost, "loki_api_v1_query", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleInstantQuery(c, r); });
  Add("/api/prom/query", kGetPost, "api_prom_query", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleLegacyQuery(c, r); });
  auto labels = [&c](bool legacy) {
    return [&c, legacy](const HttpRequest& r, const std::string&) {
      return HandleLabels(c, r, legacy);
    };
  };
  Add("/loki/api/v1/labels", kGetPost, "loki_api_v1_labels", true, labels(false));
  Add("/loki/api/v1/label", kGetPost, "loki_api_v1_label", true, labels(false));
  Add("/api/prom/label", kGetPost, "api_prom_label", true, labels(true));
  auto values = [&c](bool legacy) {
    return [&c, legacy](const HttpRequest& r, const std::string& name) {
      return HandleLabelValues(c, r, name, legacy);
    };
  };
  Add("/loki/api/v1/label/{name}/values", kGetPost, "loki_api_v1_label_name_values", true,
      values(false));
  Add("/api/prom/label/{name}/values", kGetPost, "api_prom_label_name_values", true,
      values(true));
  auto series = [&c](const HttpRequest& r, const std::string&) { return HandleSeries(c, r); };
  Add("/loki/api/v1/series", kGetPost, "loki_api_v1_series", true, series);
  Add("/api/prom/series", kGetPost, "api_prom_series", true, series);
  Add("/loki/api/v1/index/stats", kGetPost, "loki_api_v1_index_stats", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleIndexStats(c, r); });
  Add("/loki/api/v1/index/volume", kGetPost, "loki_api_v1_index_volume", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleVolume(c, r, false); });
  Add("/loki/api/v1/index/volume_range", kGetPost, "loki_api_v1_index_volume_range", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleVolume(c, r, true); });
  Add("/loki/api/v1/detected_labels", kGetPost, "loki_api_v1_detected_labels", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleDetectedLabels(c, r); });
  Add("/loki/api/v1/detected_fields", kGetPost, "loki_api_v1_detected_fields", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleDetectedFields(c, r); });
  Add("/loki/api/v1/detected_field/{name}/values", kGetPost,
      "loki_api_v1_detected_field_name_values", true,
      [&c](const HttpRequest& r, const std::string& name) {
        return HandleDetectedFieldValues(c, r, name);
      });
  Add("/loki/api/v1/patterns", kGetPost, "loki_api_v1_patterns", true,
      [&c](const HttpRequest& r, const std::string&) { return HandlePatterns(c, r); });
  Add("/loki/api/v1/format_query", kGetPost, "loki_api_v1_format_query", false,
      [](const HttpRequest& r, const std::string&) { return HandleFormatQuery(r); });
  auto tail = [](const HttpRequest&, const std::string&) {
    // Reached only without an Upgrade header (the session upgrades real tail requests).
    return HttpResponse::Text(400,
                              "websocket: the client is not using the websocket protocol: "
                              "'upgrade' token not found in 'Connection' header");
  };
  Add("/loki/api/v1/tail", kGet, "loki_api_v1_tail", false, tail, true);
  Add("/api/prom/tail", kGet, "api_prom_tail", false, tail, true);
  Add("/ready", kGet, "ready", false,
      [&c](const HttpRequest&, const std::string&) { return HandleReady(c); });
  Add("/metrics", kGet, "metrics", false,
      [&c](const HttpRequest&, const std::string&) { return HandleMetrics(c); });
  Add("/loki/api/v1/status/buildinfo", kGet, "loki_api_v1_status_buildinfo", false,
      [](const HttpRequest&, const std::string&) { return HandleBuildInfo(); });
  Add("/config", kGet, "config", false,
      [&c](const HttpRequest&, const std::string&) { return HandleConfig(c); });
  Add("/services", kGet, "services", false,
      [&c](const HttpRequest&, const std::string&) { return HandleServices(c); });
  Add("/flush", kGetPost, "flush", true,
      [&c](const HttpRequest&, const std::string&) { return HandleFlush(c); });
  Add("/ingester/shutdown", kPost, "ingester_shutdown", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleShutdown(c, r, false); });
  Add("/ingester/flush_shutdown", kPost, "ingester_flush_shutdown", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleShutdown(c, r, true); });
  Add("/log_level", kGetPost, "log_level", false,
      [](const HttpRequest& r, const std::string&) { return HandleLogLevel(r); });
  // Deletion and the admin API (server/handlers/delete_handler.h, server/handlers/admin_api.h).
  Add("/loki/api/v1/delete", kDeleteApi, "loki_api_v1_delete", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleDelete(c, r); });
  Add("/admin/tenants", kGet, "admin_tenants", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleAdminTenants(c, r); });
  Add("/admin/tenants/{tenant}/retention", kGet, "admin_tenant_retention", true,
      [&c](const HttpRequest& r, const std::string& t) { return HandleAdminRetention(c, r, t); });
  Add("/admin/tenants/{tenant}/disk_usage", kGet, "admin_tenant_disk_usage", true,
      [&c](const HttpRequest& r, const std::string& t) {
        return HandleAdminTenantDiskUsage(c, r, t);
      });
  Add("/admin/disk_usage", kGet, "admin_disk_usage", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleAdminDiskUsage(c, r); });
  Add("/admin/retention/run", kPost, "admin_retention_run", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleAdminRunRetention(c, r); });
  Add("/admin/flush", kPost, "admin_flush", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleAdminFlush(c, r); });
  Add("/admin/compact", kPost, "admin_compact", true,
      [&c](const HttpRequest& r, const std::string&) { return HandleAdminCompact(c, r); });
}

void Router::Add(std::string pattern, std::vector<std::string> methods, std::string name,
                 bool slow, Handler handler, bool websocket) {
  routes_.push_back(
      {prefix_ + pattern, std::move(methods), std::move(name), slow, websocket, std::move(handler)});
}

bool Router::PathMatches(std::string_view pattern, std::string_view path, std::string* param) {
  size_t open = pattern.find('{');
  if (open == std::string_view::npos) return pattern == path;
  size_t close = pattern.find('}', open);
  std::string_view head = pattern.substr(0, open);
  std::string_view tail = pattern.substr(close + 1);
  if (path.size() <= head.size() + tail.size()) return false;
  if (path.substr(0, head.size()) != head) return false;
  if (path.substr(path.size() - tail.size()) != tail) return false;
  std::string_view segment = path.substr(head.size(), path.size() - head.size() - tail.size());
  if (segment.find('/') != std::string_view::npos) return false;
  auto decoded = PercentDecode(segment, false);
  if (!decoded.ok()) return false;
  *param = std::move(*decoded);
  return true;
}

Router::Match Router::Resolve(std::string_view method, std::string_view path) const {
  Match m;
  m.status = 404;
  m.route = "notfound";
  for (const Route& r : routes_) {
    std::string param;
    if (!PathMatches(r.pattern, path, &param)) continue;
    bool allowed = false;
    for (const auto& meth : r.methods) allowed |= meth == method;
    if (!allowed) {
      m.status = 405;
      m.route = r.name;
      continue;
    }
    m.status = 200;
    m.route = r.name;
    m.slow = r.slow;
    m.websocket = r.websocket;
    Handler h = r.handler;
    m.handler = [h, param = std::move(param)](const HttpRequest& req) { return h(req, param); };
    return m;
  }
  return m;
}

HttpResponse Router::Handle(const HttpRequest& request) const {
  Match m = Resolve(request.method, request.Path());
  if (m.status == 404) return HttpResponse::Text(404, "404 page not found");
  if (m.status == 405) return HttpResponse{405, "", "", {}};
  return m.handler(request);
}

}  // namespace fenrir::server
