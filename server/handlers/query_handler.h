#pragma once
// LogQL query routes: /loki/api/v1/query_range, /loki/api/v1/query, legacy /api/prom/query.

#include "server/http/http_types.h"
#include "server/server_context.h"

namespace fenrir::server {

HttpResponse HandleQueryRange(const ServerContext& ctx, const HttpRequest& request);
HttpResponse HandleInstantQuery(const ServerContext& ctx, const HttpRequest& request);
// Legacy: range parameters plus `regexp`; streams only, legacy shape.
HttpResponse HandleLegacyQuery(const ServerContext& ctx, const HttpRequest& request);

// True when the X-Loki-Response-Encoding-Flags header lists categorize-labels.
bool WantsCategorizedLabels(const HttpRequest& request);

}  // namespace fenrir::server
