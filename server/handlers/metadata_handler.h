#pragma once
// Index routes: labels, label values, series, index/stats, index/volume(_range), format_query.

#include <string>

#include "server/http/http_types.h"
#include "server/server_context.h"

namespace fenrir::server {

// /loki/api/v1/labels (legacy /api/prom/label when legacy).
HttpResponse HandleLabels(const ServerContext& ctx, const HttpRequest& request, bool legacy);
// /loki/api/v1/label/{name}/values; `name` already percent-decoded.
HttpResponse HandleLabelValues(const ServerContext& ctx, const HttpRequest& request,
                               const std::string& name, bool legacy);
// /loki/api/v1/series (and /api/prom/series): match[] and match, union of the selectors.
HttpResponse HandleSeries(const ServerContext& ctx, const HttpRequest& request);
// /loki/api/v1/index/stats: {"streams":..,"chunks":..,"bytes":..,"entries":..}.
HttpResponse HandleIndexStats(const ServerContext& ctx, const HttpRequest& request);
// /loki/api/v1/index/volume and volume_range (404 "not found" unless volume_enabled).
HttpResponse HandleVolume(const ServerContext& ctx, const HttpRequest& request, bool range);
// /loki/api/v1/format_query: the canonical LogQL text.
HttpResponse HandleFormatQuery(const HttpRequest& request);

}  // namespace fenrir::server
