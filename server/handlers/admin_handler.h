#pragma once
// Operational routes: /ready, /metrics, buildinfo, /config, /services, /flush, /log_level.

#include "server/http/http_types.h"
#include "server/server_context.h"

namespace fenrir::server {

HttpResponse HandleReady(const ServerContext& ctx);
HttpResponse HandleMetrics(const ServerContext& ctx);
HttpResponse HandleBuildInfo();
HttpResponse HandleConfig(const ServerContext& ctx);
HttpResponse HandleServices(const ServerContext& ctx);
HttpResponse HandleFlush(const ServerContext& ctx);
// POST /ingester/shutdown (flush=true, terminate=true form fields) and
// /ingester/flush_shutdown: flush, then stop the process gracefully; 204.
HttpResponse HandleShutdown(const ServerContext& ctx, const HttpRequest& request,
                            bool always_flush);
// GET reports the level; POST (form field log_level) sets it. JSON {"message":...} bodies.
HttpResponse HandleLogLevel(const HttpRequest& request);

}  // namespace fenrir::server
