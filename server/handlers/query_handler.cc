#include "server/handlers/query_handler.h"

#include "base/go_duration.h"
#include "base/prom_duration.h"
#include "server/http/params.h"
#include "server/handlers/result_encoder.h"
#include "server/tenant.h"

namespace fenrir::server {

namespace {

Status CheckQueryLength(const ServerContext& ctx, int64_t start_ns, int64_t end_ns) {
  int64_t max = ctx.config->limits.max_query_length_ns;
  if (max > 0 && end_ns - start_ns > max) {
    return Status::InvalidArgument("the query time range exceeds the limit (query length: " +
                                   FormatGoDuration(end_ns - start_ns) +
                                   ", limit: " + FormatPromDuration(max) + ")");
  }
  return Status::OK();
}

// Engine errors. ResourceExhausted there means the process-wide query memory is taken: 429,
// which clients retry, unlike the query-side limits (400).
HttpResponse QueryErrorResponse(const Status& status) {
  if (status.code() == StatusCode::kResourceExhausted) {
    return HttpResponse::Text(429, status.message());
  }
  return ErrorResponse(status);
}

query::QueryParams RangeParams(const std::string& tenant, const RangeQueryRequest& r) {
  query::QueryParams p;
  p.tenant = tenant;
  p.query = r.query;
  p.start_ns = r.start_ns;
  p.end_ns = r.end_ns;
  p.step_ns = r.step_ns;
  p.interval_ns = r.interval_ns;
  p.limit = r.limit;
  p.direction = r.direction;
  return p;
}

}  // namespace

bool WantsCategorizedLabels(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name != "x-loki-response-encoding-flags") continue;
    std::string_view v = value;
    while (!v.empty()) {
      size_t comma = v.find(',');
      std::string_view flag = v.substr(0, comma);
      while (!flag.empty() && flag.front() == ' ') flag.remove_prefix(1);
      while (!flag.empty() && flag.back() == ' ') flag.remove_suffix(1);
      if (flag == "categorize-labels") return true;
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  return false;
}

HttpResponse HandleQueryRange(const ServerContext& ctx, const HttpRequest& request) {
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return ErrorResponse(tenant.status());
  auto form = Form::Parse(request);
  if (!form.ok()) return ErrorResponse(form.status());
  auto r = ParseRangeQuery(*form, ctx.clock->NowNanos());
  if (!r.ok()) return ErrorResponse(r.status());
  Status st = CheckQueryLength(ctx, r->start_ns, r->end_ns);
  if (!st.ok()) return ErrorResponse(st);
  query::QueryParams p = RangeParams(*tenant, *r);
  p.categorize_labels = WantsCategorizedLabels(request);
  auto result = ctx.run_query(p);
  if (!result.ok()) return QueryErrorResponse(result.status());
  bool streams = result->type == query::QueryResult::Type::kStreams;
  return HttpResponse::Json(200, EncodeQueryResponse(*result, p.categorize_labels),
                            streams ? "application/json; charset=UTF-8" : "application/json");
}

HttpResponse HandleInstantQuery(const ServerContext& ctx, const HttpRequest& request) {
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return ErrorResponse(tenant.status());
  auto form = Form::Parse(request);
  if (!form.ok()) return ErrorResponse(form.status());
  auto r = ParseInstantQuery(*form, ctx.clock->NowNanos());
  if (!r.ok()) return ErrorResponse(r.status());
  query::QueryParams p;
  p.tenant = *tenant;
  p.query = r->query;
  p.start_ns = r->time_ns;
  p.end_ns = r->time_ns;
  p.limit = r->limit;
  p.direction = r->direction;
  p.instant = true;
  p.categorize_labels = WantsCategorizedLabels(request);
  auto result = ctx.run_query(p);
  if (!result.ok()) return QueryErrorResponse(result.status());
  bool streams = result->type == query::QueryResult::Type::kStreams;
  return HttpResponse::Json(200, EncodeQueryResponse(*result, p.categorize_labels),
                            streams ? "application/json; charset=UTF-8" : "application/json");
}

HttpResponse HandleLegacyQuery(const ServerContext& ctx, const HttpRequest& request) {
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return ErrorResponse(tenant.status());
  auto form = Form::Parse(request);
  if (!form.ok()) return ErrorResponse(form.status());
  auto r = ParseRangeQuery(*form, ctx.clock->NowNanos());
  if (!r.ok()) return ErrorResponse(r.status());
  std::string regexp = form->Get("regexp");
  if (!regexp.empty()) r->query += " |~ " + storage::GoQuote(regexp);
  Status st = CheckQueryLength(ctx, r->start_ns, r->end_ns);
  if (!st.ok()) return ErrorResponse(st);
  auto result = ctx.run_query(RangeParams(*tenant, *r));
  if (!result.ok()) return QueryErrorResponse(result.status());
  if (result->type != query::QueryResult::Type::kStreams) {
    return ErrorResponse(
        Status::InvalidArgument("legacy endpoints only support streams result type"));
  }
  return HttpResponse::Json(200, EncodeLegacyQueryResponse(*result));
}

}  // namespace fenrir::server
