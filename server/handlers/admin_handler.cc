#include "server/handlers/admin_handler.h"

#include "server/http/json_writer.h"
#include "server/log.h"
#include "server/http/params.h"

namespace fenrir::server {

namespace {
HttpResponse Message(int status, const std::string& message) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("message");
  w.String(message);
  w.EndObject();
  out.push_back('\n');
  return HttpResponse::Json(status, std::move(out), "application/json");
}
}  // namespace

HttpResponse HandleReady(const ServerContext& ctx) {
  if (ctx.ready && !ctx.ready->load()) return HttpResponse::Text(503, "Application is stopping");
  HttpResponse r;
  r.status = 200;
  r.content_type = "text/plain; charset=utf-8";
  r.body = "ready\n";
  return r;
}

HttpResponse HandleMetrics(const ServerContext& ctx) {
  HttpResponse r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  if (ctx.metrics) {
    storage::StoreMetrics m;
    if (ctx.store) m = ctx.store->Metrics();
    r.body = ctx.metrics->Serialize(ctx.store ? &m : nullptr);
  }
  return r;
}

HttpResponse HandleBuildInfo() {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("version");
  w.String(FENRIR_VERSION);
  w.Key("revision");
  w.String("");
  w.Key("branch");
  w.String("");
  w.Key("buildUser");
  w.String("");
  w.Key("buildDate");
  w.String("");
  w.Key("goVersion");
  w.String("");
  w.EndObject();
  out.push_back('\n');
  return HttpResponse::Json(200, std::move(out), "application/json");
}

HttpResponse HandleConfig(const ServerContext& ctx) {
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = ConfigToYaml(*ctx.config);
  return r;
}

HttpResponse HandleServices(const ServerContext& ctx) {
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  const char* state = (ctx.ready && !ctx.ready->load()) ? "Stopping" : "Running";
  for (const char* module : {"server", "store", "distributor", "ingester", "querier",
                             "query-frontend"}) {
    r.body += std::string(module) + " => " + state + "\n";
  }
  return r;
}

HttpResponse HandleFlush(const ServerContext& ctx) {
  Status st = ctx.store->Flush();
  if (!st.ok()) return ErrorResponse(st);
  return HttpResponse::NoContent();
}

HttpResponse HandleShutdown(const ServerContext& ctx, const HttpRequest& request,
                            bool always_flush) {
  auto form = Form::Parse(request);
  if (!form.ok()) return ErrorResponse(form.status());
  if (ctx.ready && !ctx.ready->load()) {
    return HttpResponse::Text(503, "Ingester is stopping or already stopped.");
  }
  std::string flush = form->Get("flush");
  std::string terminate = form->Get("terminate");
  if (always_flush || flush != "false") {
    Status st = ctx.store->Flush();
    if (!st.ok()) return ErrorResponse(st);
  }
  if (terminate != "false" && ctx.request_stop) ctx.request_stop();
  return HttpResponse::NoContent();
}

HttpResponse HandleLogLevel(const HttpRequest& request) {
  if (request.method == "GET") {
    return Message(200, "Current log level is " + std::string(LogLevelName(GetLogLevel())));
  }
  auto form = Form::Parse(request);
  if (!form.ok()) return Message(400, form.status().message());
  std::string text = form->Get("log_level");
  LogLevel level;
  if (!ParseLogLevel(text, &level)) {
    return Message(400, "unrecognized log level \"" + text + "\"");
  }
  SetLogLevel(level);
  return Message(200, "Log level set to " + text);
}

}  // namespace fenrir::server
