#pragma once
// Fenrir's admin API under /admin/ (docs/retention.md): JSON views of retention and disk usage,
// and operations (retention pass, flush, compaction).
//
// Access: with fenrir.admin_token set, every admin route requires
// `Authorization: Bearer <token>` (401 otherwise). Without a token the routes answer 401
// unless fenrir.admin_open is true (for a trusted network only). Tenant path segments must be
// valid tenant ids (400); paths outside the listed routes are 404 (exact routing).
//
//   GET  /admin/tenants                           {"tenants":[...]}
//   GET  /admin/tenants/{tenant}/retention        per stream: period, cutoff, oldest kept,
//        [?selector={...}]                        entries, bytes, next expiry
//   GET  /admin/tenants/{tenant}/disk_usage       per day of the tenant
//   GET  /admin/disk_usage                        every tenant by day, plus the store's disk bytes
//   POST /admin/retention/run                     one retention + delete pass; its report
//   POST /admin/flush                             cut every open block
//   POST /admin/compact                           compact the whole database

#include <optional>
#include <string>

#include "server/http/http_types.h"
#include "server/server_context.h"

namespace fenrir::server {

// The 401 response when the request may not use the admin API, else nullopt.
std::optional<HttpResponse> CheckAdminAccess(const ServerContext& ctx, const HttpRequest& request);

HttpResponse HandleAdminTenants(const ServerContext& ctx, const HttpRequest& request);
HttpResponse HandleAdminRetention(const ServerContext& ctx, const HttpRequest& request,
                                  const std::string& tenant);
HttpResponse HandleAdminTenantDiskUsage(const ServerContext& ctx, const HttpRequest& request,
                                        const std::string& tenant);
HttpResponse HandleAdminDiskUsage(const ServerContext& ctx, const HttpRequest& request);
HttpResponse HandleAdminRunRetention(const ServerContext& ctx, const HttpRequest& request);
HttpResponse HandleAdminFlush(const ServerContext& ctx, const HttpRequest& request);
HttpResponse HandleAdminCompact(const ServerContext& ctx, const HttpRequest& request);

}  // namespace fenrir::server
