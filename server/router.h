#pragma once
// Routing (the server library's public face): (method, path) -> handler, Loki's exact-path
// semantics: unknown path 404 "404 page not found", known path with a wrong method 405 (empty
// body). Handlers are synchronous; `slow` routes (queries and index reads) are the ones the
// session runs on the worker pool instead of an I/O thread. Thread-safe after construction.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/http_types.h"
#include "server/server_context.h"

namespace fenrir::server {

class Router {
 public:
  // ctx must outlive the router.
  explicit Router(const ServerContext* ctx);

  struct Match {
    int status = 200;            // 404 / 405 when no handler applies
    std::string route;           // metrics label, e.g. loki_api_v1_query_range
    bool slow = false;           // run on the worker pool
    bool websocket = false;      // needs an upgrade (tail)
    std::function<HttpResponse(const HttpRequest&)> handler;  // bound to path parameters
  };

  Match Resolve(std::string_view method, std::string_view path) const;

  // Resolve + run (used by tests and by the session's worker tasks).
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  using Handler = std::function<HttpResponse(const HttpRequest&, const std::string& param)>;
  struct Route {
    std::string pattern;  // exact path, or with one "{name}" segment
    std::vector<std::string> methods;
    std::string name;
    bool slow = false;
    bool websocket = false;
    Handler handler;
  };

  void Add(std::string pattern, std::vector<std::string> methods, std::string name, bool slow,
           Handler handler, bool websocket = false);
  // Matches path against a pattern; fills *param for a "{x}" segment.
  static bool PathMatches(std::string_view pattern, std::string_view path, std::string* param);

  const ServerContext* ctx_;
  std::string prefix_;
  std::vector<Route> routes_;
};

}  // namespace fenrir::server
