#pragma once
// Loki's log deletion API, /loki/api/v1/delete (reference §1.15), served whether or not
// compactor.retention_enabled is set:
//   POST|PUT  query, start (required), end (default now), max_interval -> 204
//   GET       the tenant's requests as [{request_id,start_time,end_time,query,status,created_at}]
//   DELETE    request_id -> 204 (cancels a request not processed yet)
// Parameters come from the URL query string only. Errors are Loki's texts, 400 / 404.
// The query is compiled here (the query layer) into the storage::DeleteFilter storage applies.

#include <string_view>

#include "server/http/http_types.h"
#include "server/server_context.h"
#include "storage/delete_request.h"

namespace fenrir::server {

// A LogQL log selector with an optional pipeline -> stream matchers plus a per-stream
// predicate (true when the pipeline keeps the line, i.e. the line is deleted). Anything else
// is InvalidArgument "invalid query expression". Usable as StoreOptions::delete_compiler.
Result<storage::DeleteFilter> CompileDeleteQuery(std::string_view query);

HttpResponse HandleDelete(const ServerContext& ctx, const HttpRequest& request);

}  // namespace fenrir::server
