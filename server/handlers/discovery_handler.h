#pragma once
// Grafana 11+ / Logs Drilldown discovery routes (Loki 3.x, reference §1.12), computed on the fly:
// detected_labels from the index, detected_fields and detected_field values from a sample of
// the newest `line_limit` lines, patterns mined from a sample of the window's lines.

#include <string>

#include "server/http/http_types.h"
#include "server/server_context.h"

namespace fenrir::server {

// {"detectedLabels":[{"label":"app","cardinality":3},...]}; `query` optional selector.
HttpResponse HandleDetectedLabels(const ServerContext& ctx, const HttpRequest& request);
// {"fields":[{"label":..,"type":..,"cardinality":..,"parsers":[..]|null,"jsonPath":[..]}],
//  "limit":N}; `query` required (log query), `line_limit` (1000), `limit`/`field_limit` (1000).
HttpResponse HandleDetectedFields(const ServerContext& ctx, const HttpRequest& request);
// {"values":[..],"limit":N} for one field (`name` already percent-decoded).
HttpResponse HandleDetectedFieldValues(const ServerContext& ctx, const HttpRequest& request,
                                       const std::string& name);
// {"status":"success","data":[{"pattern":..,"level":..,"samples":[[sec,count],..]}]}.
HttpResponse HandlePatterns(const ServerContext& ctx, const HttpRequest& request);

}  // namespace fenrir::server
