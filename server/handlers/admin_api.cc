#include "server/handlers/admin_api.h"

#include <map>

#include "base/prom_duration.h"
#include "query/syntax/parser.h"
#include "server/rfc3339.h"
#include "server/http/json_writer.h"
#include "server/http/params.h"
#include "server/tenant.h"
#include "storage/keys.h"

namespace fenrir::server {

namespace {

HttpResponse JsonError(int status, const std::string& message) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("error");
  w.String(message);
  w.EndObject();
  out.push_back('\n');
  return HttpResponse::Json(status, std::move(out), "application/json");
}

HttpResponse JsonOk(std::string body) {
  body.push_back('\n');
  return HttpResponse::Json(200, std::move(body), "application/json");
}

HttpResponse StatusError(const Status& st) { return JsonError(HttpStatusFor(st), st.message()); }

// Compares without an early exit, so the time taken does not reveal the matching prefix.
// REQUIRES: !want.empty().
bool SameSecret(std::string_view given, std::string_view want) {
  size_t diff = given.size() ^ want.size();
  for (size_t i = 0; i < given.size(); ++i) {
    diff |= static_cast<unsigned char>(given[i]) ^ static_cast<unsigned char>(want[i % want.size()]);
  }
  return diff == 0;
}

std::string Day(int64_t day) { return FormatRfc3339(day * storage::kNanosPerDay).substr(0, 10); }

// A time as both Unix ns and RFC3339 (0 -> absent markers).
void Time(JsonWriter* w, const char* key, int64_t ns) {
  w->Key(std::string(key) + "_ns");
  w->Int(ns);
  w->Key(key);
  if (ns == 0 || ns == INT64_MIN) {
    w->Null();
  } else {
    w->String(FormatRfc3339Nano(ns));
  }
}

void Usage(JsonWriter* w, const storage::PartitionUsage& u) {
  w->Key("streams");
  w->Uint(u.streams);
  w->Key("blocks");
  w->Uint(u.blocks);
  w->Key("entries");
  w->Uint(u.entries);
  w->Key("raw_bytes");
  w->Uint(u.raw_bytes);
  w->Key("compressed_bytes");
  w->Uint(u.compressed_bytes);
}

void Totals(storage::PartitionUsage* total, const storage::PartitionUsage& u) {
  total->streams += u.streams;
  total->blocks += u.blocks;
  total->entries += u.entries;
  total->raw_bytes += u.raw_bytes;
  total->compressed_bytes += u.compressed_bytes;
}

// Writes {"tenant":..., totals..., "days":[...]} for one tenant's partitions.
void TenantUsage(JsonWriter* w, const std::string& tenant,
                 const std::vector<storage::PartitionUsage>& parts) {
  storage::PartitionUsage total;
  for (const auto& u : parts) Totals(&total, u);
  w->BeginObject();
  w->Key("tenant");
  w->String(tenant);
  Usage(w, total);
  w->Key("days");
  w->BeginArray();
  for (const auto& u : parts) {
    w->BeginObject();
    w->Key("day");
    w->String(Day(u.day));
    Usage(w, u);
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

}  // namespace

std::optional<HttpResponse> CheckAdminAccess(const ServerContext& ctx, const HttpRequest& request) {
  const std::string& token = ctx.config->admin_token;
  if (token.empty()) {
    if (ctx.config->admin_open) return std::nullopt;
    HttpResponse r = JsonError(401, "admin API disabled: set fenrir.admin_token");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  std::string_view auth = request.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && auth.substr(0, kBearer.size()) == kBearer &&
      SameSecret(auth.substr(kBearer.size()), token)) {
    return std::nullopt;
  }
  HttpResponse r = JsonError(401, "unauthorized");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

HttpResponse HandleAdminTenants(const ServerContext& ctx, const HttpRequest& request) {
  if (auto denied = CheckAdminAccess(ctx, request)) return *denied;
  auto tenants = ctx.store->Tenants();
  if (!tenants.ok()) return StatusError(tenants.status());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("tenants");
  w.BeginArray();
  for (const auto& t : *tenants) w.String(t);
  w.EndArray();
  w.EndObject();
  return JsonOk(std::move(out));
}

HttpResponse HandleAdminRetention(const ServerContext& ctx, const HttpRequest& request,
                                  const std::string& tenant) {
  if (auto denied = CheckAdminAccess(ctx, request)) return *denied;
  if (Status st = ValidateTenantId(tenant); !st.ok() || tenant.empty()) {
    return JsonError(400, st.ok() ? "empty tenant ID" : st.message());
  }
  auto form = Form::Parse(request);
  if (!form.ok()) return StatusError(form.status());
  std::vector<storage::Matcher> matchers;
  if (std::string selector = form->Get("selector"); !selector.empty()) {
    auto parsed = query::ParseSelector(selector);
    if (!parsed.ok()) return StatusError(parsed.status());
    matchers = std::move(*parsed);
  }
  auto streams = ctx.store->RetentionStatus(tenant, matchers);
  if (!streams.ok()) return StatusError(streams.status());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("tenant");
  w.String(tenant);
  Time(&w, "now", ctx.clock->NowNanos());
  w.Key("streams");
  w.BeginArray();
  for (const auto& s : *streams) {
    w.BeginObject();
    w.Key("labels");
    w.String(s.labels.ToString());
    w.Key("retention_period");
    w.String(s.period_ns > 0 ? FormatPromDuration(s.period_ns) : "0s");
    w.Key("keep_forever");
    w.Bool(s.period_ns <= 0);
    Time(&w, "cutoff", s.period_ns > 0 ? s.cutoff_ns : 0);
    Time(&w, "oldest_kept", s.oldest_kept_ns);
    Time(&w, "newest", s.newest_ns);
    Time(&w, "next_expiry", s.next_expiry_ns);
    w.Key("entries");
    w.Uint(s.entries);
    w.Key("bytes");
    w.Uint(s.bytes);
    w.Key("expired_entries_pending");
    w.Uint(s.expired_entries);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return JsonOk(std::move(out));
}

HttpResponse HandleAdminTenantDiskUsage(const ServerContext& ctx, const HttpRequest& request,
                                        const std::string& tenant) {
  if (auto denied = CheckAdminAccess(ctx, request)) return *denied;
  if (Status st = ValidateTenantId(tenant); !st.ok() || tenant.empty()) {
    return JsonError(400, st.ok() ? "empty tenant ID" : st.message());
  }
  auto usage = ctx.store->DiskUsage(tenant);
  if (!usage.ok()) return StatusError(usage.status());
  std::string out;
  JsonWriter w(&out);
  TenantUsage(&w, tenant, *usage);
  return JsonOk(std::move(out));
}

HttpResponse HandleAdminDiskUsage(const ServerContext& ctx, const HttpRequest& request) {
  if (auto denied = CheckAdminAccess(ctx, request)) return *denied;
  auto usage = ctx.store->DiskUsage("");
  if (!usage.ok()) return StatusError(usage.status());
  std::map<std::string, std::vector<storage::PartitionUsage>> by_tenant;
  for (auto& u : *usage) by_tenant[u.tenant].push_back(std::move(u));
  const storage::StoreMetrics m = ctx.store->Metrics();
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("disk_bytes");
  w.Uint(m.disk_bytes);
  w.Key("head_bytes");
  w.Uint(m.head_bytes);
  w.Key("tenants");
  w.BeginArray();
  for (const auto& [tenant, parts] : by_tenant) TenantUsage(&w, tenant, parts);
  w.EndArray();
  w.EndObject();
  return JsonOk(std::move(out));
}

HttpResponse HandleAdminRunRetention(const ServerContext& ctx, const HttpRequest& request) {
  if (auto denied = CheckAdminAccess(ctx, request)) return *denied;
  auto r = ctx.store->RunMaintenance();
  if (!r.ok()) return StatusError(r.status());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  const std::pair<const char*, uint64_t> fields[] = {
      {"partitions_dropped", r->partitions_dropped},
      {"stream_days_dropped", r->stream_days_dropped},
      {"blocks_deleted", r->blocks_deleted},
      {"blocks_rewritten", r->blocks_rewritten},
      {"entries_deleted", r->entries_deleted},
      {"delete_requests_processed", r->delete_requests_processed},
      {"disk_bytes_before", r->disk_bytes_before},
      {"disk_bytes_after", r->disk_bytes_after},
  };
  for (const auto& [k, v] : fields) {
    w.Key(k);
    w.Uint(v);
  }
  w.Key("duration_seconds");
  w.Double(r->duration_ns / 1e9);
  w.EndObject();
  return JsonOk(std::move(out));
}

HttpResponse HandleAdminFlush(const ServerContext& ctx, const HttpRequest& request) {
  if (auto denied = CheckAdminAccess(ctx, request)) return *denied;
  if (Status st = ctx.store->Flush(); !st.ok()) return StatusError(st);
  return JsonOk("{\"status\":\"flushed\"}");
}

HttpResponse HandleAdminCompact(const ServerContext& ctx, const HttpRequest& request) {
  if (auto denied = CheckAdminAccess(ctx, request)) return *denied;
  const uint64_t before = ctx.store->Metrics().disk_bytes;
  if (Status st = ctx.store->Compact(); !st.ok()) return StatusError(st);
  const uint64_t after = ctx.store->Metrics().disk_bytes;
  return JsonOk("{\"status\":\"compacted\",\"disk_bytes_before\":" + std::to_string(before) +
                ",\"disk_bytes_after\":" + std::to_string(after) + "}");
}

}  // namespace fenrir::server
