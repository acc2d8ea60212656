#include "server/handlers/discovery_handler.h"

#include <algorithm>
#include <map>
#include <set>

#include "query/syntax/parser.h"
#include "server/handlers/field_detector.h"
#include "server/http/json_writer.h"
#include "server/http/params.h"
#include "server/handlers/pattern_miner.h"
#include "server/tenant.h"

namespace fenrir::server {

namespace {

constexpr uint32_t kDefaultLineLimit = 1000;
constexpr int64_t kDefaultFieldLimit = 1000;
constexpr uint32_t kPatternSampleLines = 5000;
constexpr size_t kMaxPatterns = 100;

struct Request {
  std::string tenant;
  Form form;
  Bounds bounds;
};

Result<Request> ParseRequest(const ServerContext& ctx, const HttpRequest& http) {
  auto tenant = ResolveTenant(http, ctx.config->auth_enabled);
  if (!tenant.ok()) return tenant.status();
  auto form = Form::Parse(http);
  if (!form.ok()) return form.status();
  auto bounds = ParseBounds(*form, ctx.clock->NowNanos());
  if (!bounds.ok()) return bounds.status();
  if (bounds->end_ns < bounds->start_ns) {
    return Status::InvalidArgument("end timestamp must not be before or equal to start time");
  }
  return Request{std::move(*tenant), std::move(*form), *bounds};
}

// The newest `lines` entries of the log query in the window (categorized labels, so
// structured metadata stays separate from the stream).
Result<query::QueryResult> Sample(const ServerContext& ctx, const Request& r, uint32_t lines) {
  std::string q = r.form.Get("query");
  if (q.empty()) return Status::InvalidArgument("query parameter is required");
  auto expr = query::ParseExpr(q);
  if (!expr.ok()) return expr.status();
  if (!expr->IsLogQuery()) {
    return Status::InvalidArgument("only log queries are supported, not metric queries");
  }
  query::QueryParams p;
  p.tenant = r.tenant;
  p.query = q;
  p.start_ns = r.bounds.start_ns;
  p.end_ns = r.bounds.end_ns;
  p.limit = std::max<uint32_t>(1, std::min(lines, ctx.config->limits.max_entries_limit_per_query));
  p.direction = storage::Direction::kBackward;
  p.step_ns = 1'000'000'000;
  p.categorize_labels = true;
  return ctx.run_query(p);
}

Result<FieldDetector> DetectFields(const ServerContext& ctx, const Request& r) {
  auto line_limit = ParseInt(r.form.Get("line_limit"), kDefaultLineLimit);
  if (!line_limit.ok()) return line_limit.status();
  if (*line_limit <= 0) return Status::InvalidArgument("line_limit must be a positive value");
  auto sample = Sample(ctx, r, static_cast<uint32_t>(std::min<int64_t>(*line_limit, 1 << 30)));
  if (!sample.ok()) return sample.status();
  FieldDetector d;
  for (const auto& s : sample->streams) {
    for (const auto& e : s.entries) d.AddLine(e.line, e.metadata);
  }
  return d;
}

Result<int64_t> FieldLimit(const Form& form) {
  std::string v = form.Get("field_limit");
  if (v.empty()) v = form.Get("limit");
  auto n = ParseInt(v, kDefaultFieldLimit);
  if (!n.ok()) return n.status();
  if (*n <= 0) return Status::InvalidArgument("limit must be a positive value");
  return *n;
}

}  // namespace

HttpResponse HandleDetectedLabels(const ServerContext& ctx, const HttpRequest& request) {
  auto r = ParseRequest(ctx, request);
  if (!r.ok()) return ErrorResponse(r.status());
  std::vector<storage::Matcher> matchers;
  std::string q = r->form.Get("query");
  std::string compact;
  for (char c : q) {
    if (!isspace(static_cast<unsigned char>(c))) compact.push_back(c);
  }
  if (!compact.empty() && compact != "{}") {
    auto expr = query::ParseExpr(q);
    if (!expr.ok()) return ErrorResponse(expr.status());
    auto* sel = std::get_if<query::LogSelector>(&expr->node);
    if (sel == nullptr) {
      return ErrorResponse(Status::InvalidArgument("only log queries are supported"));
    }
    matchers = sel->matchers;
  }
  auto series = ctx.store->SelectSeries(r->tenant, matchers, r->bounds.start_ns, r->bounds.end_ns);
  if (!series.ok()) return ErrorResponse(series.status());
  std::map<std::string, std::set<std::string>> values;
  for (const auto& s : *series) {
    for (const auto& l : s.labels) values[l.name].insert(l.value);
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("detectedLabels");
  w.BeginArray();
  for (const auto& [name, vals] : values) {
    if (name.rfind("__", 0) == 0) continue;
    w.BeginObject();
    w.Key("label");
    w.String(name);
    w.Key("cardinality");
    w.Uint(vals.size());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return HttpResponse::Json(200, std::move(out));
}

HttpResponse HandleDetectedFields(const ServerContext& ctx, const HttpRequest& request) {
  auto r = ParseRequest(ctx, request);
  if (!r.ok()) return ErrorResponse(r.status());
  auto limit = FieldLimit(r->form);
  if (!limit.ok()) return ErrorResponse(limit.status());
  auto d = DetectFields(ctx, *r);
  if (!d.ok()) return ErrorResponse(d.status());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("fields");
  w.BeginArray();
  int64_t n = 0;
  for (const auto& f : d->Fields()) {
    if (n++ >= *limit) break;
    w.BeginObject();
    w.Key("label");
    w.String(f.name);
    w.Key("type");
    w.String(f.type);
    w.Key("cardinality");
    w.Uint(f.cardinality);
    w.Key("parsers");
    if (f.parsers.empty()) {
      w.Null();
    } else {
      w.BeginArray();
      for (const auto& p : f.parsers) w.String(p);
      w.EndArray();
    }
    if (!f.json_path.empty()) {
      w.Key("jsonPath");
      w.BeginArray();
      for (const auto& p : f.json_path) w.String(p);
      w.EndArray();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("limit");
  w.Int(*limit);
  w.EndObject();
  return HttpResponse::Json(200, std::move(out));
}

HttpResponse HandleDetectedFieldValues(const ServerContext& ctx, const HttpRequest& request,
                                       const std::string& name) {
  auto r = ParseRequest(ctx, request);
  if (!r.ok()) return ErrorResponse(r.status());
  auto limit = FieldLimit(r->form);
  if (!limit.ok()) return ErrorResponse(limit.status());
  auto d = DetectFields(ctx, *r);
  if (!d.ok()) return ErrorResponse(d.status());
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("values");
  w.BeginArray();
  for (const auto& f : d->Fields()) {
    if (f.name != name) continue;
    int64_t n = 0;
    for (const auto& v : f.values) {
      if (n++ >= *limit) break;
      w.String(v);
    }
  }
  w.EndArray();
  w.Key("limit");
  w.Int(*limit);
  w.EndObject();
  return HttpResponse::Json(200, std::move(out));
}

HttpResponse HandlePatterns(const ServerContext& ctx, const HttpRequest& request) {
  auto r = ParseRequest(ctx, request);
  if (!r.ok()) return ErrorResponse(r.status());
  int64_t step = std::max<int64_t>(1'000'000'000, (r->bounds.end_ns - r->bounds.start_ns) / 250);
  if (r->form.Has("step")) {
    auto s = ParseSecondsOrDuration(r->form.Get("step"));
    if (!s.ok()) return ErrorResponse(s.status());
    if (*s <= 0) {
      return ErrorResponse(Status::InvalidArgument(
          "zero or negative query resolution step widths are not accepted. Try a positive "
          "integer"));
    }
    step = *s;
  }
  auto sample = Sample(ctx, *r, kPatternSampleLines);
  if (!sample.ok()) return ErrorResponse(sample.status());
  PatternMiner miner(r->bounds.start_ns, step);
  for (const auto& s : sample->streams) {
    const std::string* label_level = s.labels.Get("level");
    if (label_level == nullptr) label_level = s.labels.Get("detected_level");
    for (const auto& e : s.entries) {
      std::string level = label_level ? *label_level : PatternMiner::DetectLevel(e.line);
      miner.Add(e.timestamp_ns, e.line, level);
    }
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String("success");
  w.Key("data");
  w.BeginArray();
  for (const auto& p : miner.Patterns(kMaxPatterns)) {
    w.BeginObject();
    w.Key("pattern");
    w.String(p.pattern);
    w.Key("level");
    w.String(p.level);
    w.Key("samples");
    w.BeginArray();
    for (const auto& [sec, count] : p.samples) {
      w.BeginArray();
      w.Int(sec);
      w.Int(count);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return HttpResponse::Json(200, std::move(out));
}

}  // namespace fenrir::server
