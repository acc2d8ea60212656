#pragma once
// POST /loki/api/v1/push and /api/prom/push.

#include "server/http/http_types.h"
#include "server/server_context.h"

namespace fenrir::server {

// 204 on success; 400 (decode / validation, partial success), 401, 429, 5xx as plain text.
HttpResponse HandlePush(const ServerContext& ctx, const HttpRequest& request, bool legacy);

}  // namespace fenrir::server
