#include "server/handlers/delete_handler.h"

#include <memory>

#include "base/go_duration.h"
#include "query/syntax/parser.h"
#include "query/log/pipeline.h"
#include "server/rfc3339.h"
#include "server/http/json_writer.h"
#include "server/http/params.h"
#include "server/tenant.h"

namespace fenrir::server {

namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kNanosPerMilli = 1'000'000;

Status InvalidQuery() { return Status::InvalidArgument("invalid query expression"); }

// Loki's deletion parseTime: "" -> now; RFC3339; else exactly 10 digits of Unix seconds.
// Result in ms precision, as Loki keeps model.Time.
Result<int64_t> ParseDeleteTime(std::string_view text, int64_t now_ns, const char* what) {
  const std::string error = std::string("invalid ") + what +
                            " time: require unix seconds or RFC3339 format";
  if (text.empty()) return now_ns / kNanosPerMilli * kNanosPerMilli;
  if (auto t = ParseRfc3339(text); t.ok()) return *t / kNanosPerMilli * kNanosPerMilli;
  if (text.size() != 10) return Status::InvalidArgument(error);
  int64_t seconds = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return Status::InvalidArgument(error);
    seconds = seconds * 10 + (c - '0');
  }
  return seconds * kNanosPerSecond;
}

HttpResponse AddRequest(const ServerContext& ctx, const std::string& tenant, const Form& params) {
  const std::string query = params.Get("query");
  if (query.empty()) return ErrorResponse(Status::InvalidArgument("query not set"));
  auto filter = CompileDeleteQuery(query);
  if (!filter.ok()) return ErrorResponse(filter.status());
  const std::string start_text = params.Get("start");
  if (start_text.empty()) return ErrorResponse(Status::InvalidArgument("start time not set"));
  const int64_t now = ctx.clock->NowNanos();
  auto start = ParseDeleteTime(start_text, now, "start");
  if (!start.ok()) return ErrorResponse(start.status());
  auto end = ParseDeleteTime(params.Get("end"), now, "end");
  if (!end.ok()) return ErrorResponse(end.status());
  if (*end > now) return ErrorResponse(Status::InvalidArgument("deletes in the future are not allowed"));
  if (*start > *end) {
    return ErrorResponse(Status::InvalidArgument("start time can't be greater than end time"));
  }
  const std::string max_interval = params.Get("max_interval");
  if (!max_interval.empty()) {
    auto interval = ParseGoDuration(max_interval);
    if (!interval.ok() || *interval < kNanosPerSecond) {
      return ErrorResponse(
          Status::InvalidArgument("invalid max_interval: valid time units are 's', 'm', 'h'"));
    }
    if (*interval > *end - *start) {
      return ErrorResponse(Status::InvalidArgument(
          "max_interval can't be greater than the interval to be deleted (" +
          FormatGoDuration(*end - *start) + ")"));
    }
  } else if (*end - *start < kNanosPerSecond) {
    return ErrorResponse(Status::InvalidArgument(
        "difference between start time and end time must be at least one second"));
  }
  auto added = ctx.store->AddDeleteRequest(tenant, query, *start, *end, std::move(*filter));
  if (!added.ok()) return ErrorResponse(added.status());
  return HttpResponse::NoContent();
}

HttpResponse ListRequests(const ServerContext& ctx, const std::string& tenant) {
  auto list = ctx.store->DeleteRequests(tenant);
  if (!list.ok()) return ErrorResponse(list.status());
  std::string out;
  JsonWriter w(&out);
  w.BeginArray();
  for (const auto& r : *list) {
    w.BeginObject();
    w.Key("request_id");
    w.String(r.id);
    w.Key("start_time");
    w.SampleTime(r.start_ns / kNanosPerMilli);
    w.Key("end_time");
    w.SampleTime(r.end_ns / kNanosPerMilli);
    w.Key("query");
    w.String(r.query);
    w.Key("status");
    w.String(storage::DeleteStatusName(r.status));
    w.Key("created_at");
    w.SampleTime(r.created_ns / kNanosPerMilli);
    w.EndObject();
  }
  w.EndArray();
  out.push_back('\n');
  return HttpResponse::Json(200, std::move(out), "application/json");
}

}  // namespace

Result<storage::DeleteFilter> CompileDeleteQuery(std::string_view query) {
  auto expr = query::ParseExpr(query);
  if (!expr.ok() || !expr->IsLogQuery()) return InvalidQuery();
  auto& selector = std::get<query::LogSelector>(expr->node);
  storage::DeleteFilter filter;
  filter.matchers = selector.matchers;
  if (selector.stages.empty()) return filter;
  auto built = query::Pipeline::Build(selector.stages);
  if (!built.ok()) return InvalidQuery();
  std::shared_ptr<const query::Pipeline> pipeline(std::move(*built));
  filter.for_stream = [pipeline](const storage::Labels& stream) -> storage::DeletePredicate {
    std::shared_ptr<query::StreamPipeline> sp(pipeline->ForStream(stream));
    return [sp](int64_t ts, std::string_view line, const storage::Labels& metadata) {
      return sp->Process(ts, line, metadata);
    };
  };
  return filter;
}

HttpResponse HandleDelete(const ServerContext& ctx, const HttpRequest& request) {
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) {
    // Loki answers every tenant failure of this API with 400, except the missing header.
    return ErrorResponse(tenant.status());
  }
  // URL query string only (Loki reads r.URL.Query()), never a form body.
  Form params;
  Status st = params.AddEncoded(request.RawQuery());
  if (!st.ok()) return ErrorResponse(st);
  if (request.method == "GET") return ListRequests(ctx, *tenant);
  if (request.method == "DELETE") {
    st = ctx.store->CancelDeleteRequest(*tenant, params.Get("request_id"));
    if (!st.ok()) return ErrorResponse(st);
    return HttpResponse::NoContent();
  }
  return AddRequest(ctx, *tenant, params);
}

}  // namespace fenrir::server
