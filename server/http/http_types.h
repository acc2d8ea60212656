#pragma once
// Socket-free request and response values: handlers map HttpRequest -> HttpResponse, so they
// are testable without Beast. The session converts to and from Beast messages.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace fenrir::server {

struct HttpRequest {
  std::string method = "GET";  // upper case
  std::string target;          // path plus optional ?query, still percent-encoded
  // Header names are stored lower-cased; repeated headers keep every value.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // First value of a header (name compared case-insensitively), or "".
  std::string_view Header(std::string_view name) const;
  void SetHeader(std::string_view name, std::string value);
  std::string_view Path() const;         // target before '?'
  std::string_view RawQuery() const;     // target after '?', or ""
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  // Go http.Error: text/plain, nosniff, message + "\n".
  static HttpResponse Text(int status, std::string_view message);
  static HttpResponse Json(int status, std::string body,
                           std::string content_type = "application/json; charset=UTF-8");
  static HttpResponse NoContent() { return HttpResponse{204, "", "", {}}; }
};

// The one place where a Status becomes an HTTP status code (STYLE.md rule 7). `push` selects
// push-side semantics (ResourceExhausted is a rate limit: 429) over query-side ones (400).
int HttpStatusFor(const Status& status, bool push = false);

// Text error response for a non-OK status.
HttpResponse ErrorResponse(const Status& status, bool push = false);

}  // namespace fenrir::server
