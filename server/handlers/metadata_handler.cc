#include "server/handlers/metadata_handler.h"

#include <algorithm>
#include <map>
#include <set>

#include "base/label_name.h"
#include "query/syntax/parser.h"
#include "server/http/json_writer.h"
#include "server/http/params.h"
#include "server/handlers/result_encoder.h"
#include "server/tenant.h"

namespace fenrir::server {

namespace {

bool IsMatchAll(std::string_view s) {
  std::string compact;
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n') compact.push_back(c);
  }
  return compact.empty() || compact == "{}";
}

// A stream selector from a request parameter. "" and "{}" select everything. Grafana 10.x may
// encode the selector twice: when parsing fails and the text holds '%', decode once more.
Result<std::vector<storage::Matcher>> ParseMatchers(const std::string& text) {
  if (IsMatchAll(text)) return std::vector<storage::Matcher>{};
  auto m = query::ParseSelector(text);
  if (m.ok() || text.find('%') == std::string::npos) return m;
  auto decoded = PercentDecode(text, false);
  if (!decoded.ok()) return m;
  auto again = query::ParseSelector(*decoded);
  return again.ok() ? again : m;
}

struct Common {
  std::string tenant;
  Form form;
  Bounds bounds;
};

// Tenant, form and start/end/since with the end >= start rule.
Result<Common> ParseCommon(const ServerContext& ctx, const HttpRequest& request) {
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return tenant.status();
  auto form = Form::Parse(request);
  if (!form.ok()) return form.status();
  auto bounds = ParseBounds(*form, ctx.clock->NowNanos());
  if (!bounds.ok()) return bounds.status();
  if (bounds->end_ns < bounds->start_ns) {
    return Status::InvalidArgument("end timestamp must not be before or equal to start time");
  }
  return Common{std::move(*tenant), std::move(*form), *bounds};
}

HttpResponse JsonOk(std::string body) { return HttpResponse::Json(200, std::move(body)); }

}  // namespace

HttpResponse HandleLabels(const ServerContext& ctx, const HttpRequest& request, bool legacy) {
  auto c = ParseCommon(ctx, request);
  if (!c.ok()) return ErrorResponse(c.status());
  auto matchers = ParseMatchers(c->form.Get("query"));
  if (!matchers.ok()) return ErrorResponse(matchers.status());
  auto names = ctx.store->LabelNames(c->tenant, *matchers, c->bounds.start_ns, c->bounds.end_ns);
  if (!names.ok()) return ErrorResponse(names.status());
  return JsonOk(EncodeStringList(*names, legacy));
}

HttpResponse HandleLabelValues(const ServerContext& ctx, const HttpRequest& request,
                               const std::string& name, bool legacy) {
  // Only a Prometheus label name can have values; anything else (a path such as
  // "../../etc/passwd" decoded from %2F) is the client's mistake.
  if (!IsValidLabelName(name)) {
    return HttpResponse::Text(400, "invalid label name: " + name);
  }
  auto c = ParseCommon(ctx, request);
  if (!c.ok()) return ErrorResponse(c.status());
  auto matchers = ParseMatchers(c->form.Get("query"));
  if (!matchers.ok()) return ErrorResponse(matchers.status());
  auto values =
      ctx.store->LabelValues(c->tenant, name, *matchers, c->bounds.start_ns, c->bounds.end_ns);
  if (!values.ok()) return ErrorResponse(values.status());
  return JsonOk(EncodeStringList(*values, legacy));
}

HttpResponse HandleSeries(const ServerContext& ctx, const HttpRequest& request) {
  auto c = ParseCommon(ctx, request);
  if (!c.ok()) return ErrorResponse(c.status());
  std::vector<std::string> selectors = c->form.GetAll("match[]");
  for (auto& s : c->form.GetAll("match")) selectors.push_back(std::move(s));
  std::sort(selectors.begin(), selectors.end());
  selectors.erase(std::unique(selectors.begin(), selectors.end()), selectors.end());
  std::vector<std::vector<storage::Matcher>> sets;
  for (const auto& s : selectors) {
    auto m = ParseMatchers(s);
    if (!m.ok()) return ErrorResponse(m.status());
    sets.push_back(std::move(*m));
  }
  if (sets.empty()) sets.emplace_back();
  std::map<storage::Labels, bool> found;  // sorted, deduplicated
  for (const auto& set : sets) {
    auto series = ctx.store->SelectSeries(c->tenant, set, c->bounds.start_ns, c->bounds.end_ns);
    if (!series.ok()) return ErrorResponse(series.status());
    for (auto& s : *series) found.emplace(std::move(s.labels), true);
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String("success");
  w.Key("data");
  w.BeginArray();
  for (const auto& [labels, unused] : found) WriteLabels(w, labels);
  w.EndArray();
  w.EndObject();
  out.push_back('\n');
  return JsonOk(std::move(out));
}

HttpResponse HandleIndexStats(const ServerContext& ctx, const HttpRequest& request) {
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return ErrorResponse(tenant.status());
  auto form = Form::Parse(request);
  if (!form.ok()) return ErrorResponse(form.status());
  auto r = ParseRangeQuery(*form, ctx.clock->NowNanos());
  if (!r.ok()) return ErrorResponse(r.status());
  auto matchers = ParseMatchers(r->query);
  if (!matchers.ok()) {
    if (query::ParseExpr(r->query).ok()) {
      return ErrorResponse(Status::InvalidArgument("only label matchers is supported"));
    }
    return ErrorResponse(matchers.status());
  }
  auto stats = ctx.store->Stats(*tenant, *matchers, r->start_ns, r->end_ns);
  if (!stats.ok()) return ErrorResponse(stats.status());
  uint64_t chunks = 0, bytes = 0, entries = 0;
  for (const auto& s : *stats) {
    chunks += s.chunks;
    bytes += s.bytes;
    entries += s.entries;
  }
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("streams");
  w.Uint(stats->size());
  w.Key("chunks");
  w.Uint(chunks);
  w.Key("bytes");
  w.Uint(bytes);
  w.Key("entries");
  w.Uint(entries);
  w.EndObject();
  out.push_back('\n');
  return JsonOk(std::move(out));
}

HttpResponse HandleVolume(const ServerContext& ctx, const HttpRequest& request, bool range) {
  if (!ctx.config->limits.volume_enabled) return HttpResponse::Text(404, "not found");
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return ErrorResponse(tenant.status());
  auto form = Form::Parse(request);
  if (!form.ok()) return ErrorResponse(form.status());
  auto limit_value = ParseInt(form->Get("limit"), 100);
  if (!limit_value.ok()) return ErrorResponse(limit_value.status());
  if (*limit_value < 0) {
    return ErrorResponse(Status::InvalidArgument("limit must be a positive value"));
  }
  int64_t limit = *limit_value == 0 ? 100 : *limit_value;
  int64_t now = ctx.clock->NowNanos();
  int64_t start, end, step = 0;
  std::string text = form->Get("query");
  if (range) {
    Form f;
    for (const char* k : {"start", "end", "since", "step", "direction", "interval"}) {
      if (form->Has(k)) f.Add(k, form->Get(k));
    }
    auto r = ParseRangeQuery(f, now);
    if (!r.ok()) return ErrorResponse(r.status());
    start = r->start_ns;
    end = r->end_ns;
    step = r->step_ns;
  } else {
    auto d = ParseDirection(*form);
    if (!d.ok()) return ErrorResponse(d.status());
    auto b = ParseBounds(*form, now);
    if (!b.ok()) return ErrorResponse(b.status());
    if (b->end_ns < b->start_ns) {
      return ErrorResponse(
          Status::InvalidArgument("end timestamp must not be before or equal to start time"));
    }
    start = b->start_ns;
    end = b->end_ns;
  }
  std::string aggregate_by = form->Get("aggregateBy");
  if (aggregate_by.empty()) aggregate_by = "series";
  if (aggregate_by != "series" && aggregate_by != "labels") {
    return ErrorResponse(Status::InvalidArgument("invalid aggregation option"));
  }
  auto matchers = ParseMatchers(text);
  if (!matchers.ok()) return ErrorResponse(matchers.status());
  std::set<std::string> targets;
  std::string target_text = form->Get("targetLabels");
  for (size_t pos = 0; !target_text.empty() && pos <= target_text.size();) {
    size_t comma = target_text.find(',', pos);
    std::string t = target_text.substr(pos, comma == std::string::npos ? std::string::npos
                                                                        : comma - pos);
    if (!t.empty()) targets.insert(t);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  std::set<std::string> group_names = targets;
  if (group_names.empty()) {
    for (const auto& m : *matchers) group_names.insert(m.name());
  }

  // Volume per group key for one window.
  auto volumes = [&](int64_t from, int64_t through) -> Result<std::map<storage::Labels, uint64_t>> {
    auto stats = ctx.store->Stats(*tenant, *matchers, from, through);
    if (!stats.ok()) return stats.status();
    std::map<storage::Labels, uint64_t> out;
    for (const auto& s : *stats) {
      if (aggregate_by == "labels") {
        for (const auto& l : s.series.labels) {
          if (!targets.empty() && !targets.count(l.name)) continue;
          out[storage::Labels({{l.name, ""}})] += s.bytes;
        }
      } else {
        std::vector<storage::Label> key;
        for (const auto& l : s.series.labels) {
          if (group_names.count(l.name)) key.push_back(l);
        }
        out[storage::Labels(std::move(key))] += s.bytes;
      }
    }
    return out;
  };

  query::QueryResult result;
  result.type = query::QueryResult::Type::kVector;
  auto top = [&](std::map<storage::Labels, uint64_t>& v) {
    std::vector<std::pair<storage::Labels, uint64_t>> sorted(v.begin(), v.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    if (static_cast<int64_t>(sorted.size()) > limit) sorted.resize(limit);
    return sorted;
  };
  if (!range) {
    auto v = volumes(start, end);
    if (!v.ok()) return ErrorResponse(v.status());
    for (auto& [labels, bytes] : top(*v)) {
      result.series.push_back({labels, {{end / 1'000'000, static_cast<double>(bytes)}}});
    }
  } else {
    std::map<storage::Labels, std::vector<query::Point>> by_series;
    for (int64_t b = start; b < end || (b == start && b == end); b += step) {
      auto v = volumes(b, std::min(b + step, end));
      if (!v.ok()) return ErrorResponse(v.status());
      for (auto& [labels, bytes] : top(*v)) {
        by_series[labels].push_back({b / 1'000'000, static_cast<double>(bytes)});
      }
      if (b + step <= b) break;
    }
    bool matrix = false;
    for (auto& [labels, points] : by_series) {
      if (points.size() > 1) matrix = true;
      result.series.push_back({labels, std::move(points)});
    }
    if (matrix) result.type = query::QueryResult::Type::kMatrix;
  }
  return HttpResponse::Json(200, EncodeQueryResponse(result, false), "application/json");
}

HttpResponse HandleFormatQuery(const HttpRequest& request) {
  auto form = Form::Parse(request);
  if (!form.ok()) return ErrorResponse(form.status());
  auto expr = query::ParseExpr(form->Get("query"));
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  if (!expr.ok()) {
    w.String("invalid-query");
    w.Key("error");
    w.String(expr.status().message());
    w.EndObject();
    out.push_back('\n');
    return HttpResponse::Json(400, std::move(out));
  }
  w.String("success");
  w.Key("data");
  w.String(query::Print(*expr));
  w.EndObject();
  out.push_back('\n');
  return JsonOk(std::move(out));
}

}  // namespace fenrir::server
