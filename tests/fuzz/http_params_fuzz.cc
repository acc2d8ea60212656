// Fuzzes HTTP parameter parsing: the input is a URL query string (form-encoded) given to
// query_range / query parameter parsing, and each of its values also goes through the
// timestamp, duration, byte-size and RFC3339 parsers. Never a crash or UB (integer overflow).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/go_duration.h"
#include "base/prom_duration.h"
#include "server/rfc3339.h"
#include "server/config_units.h"
#include "server/http/http_types.h"
#include "server/http/params.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return -1;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  constexpr int64_t kNow = 1'793'491'200'000'000'000;  // 2026-11-01T00:00:00Z

  fenrir::server::HttpRequest request;
  request.method = "GET";
  request.target = "/loki/api/v1/query_range?" + std::string(text);
  auto form = fenrir::server::Form::Parse(request);
  if (form.ok()) {
    (void)fenrir::server::ParseRangeQuery(*form, kNow);
    (void)fenrir::server::ParseInstantQuery(*form, kNow);
    (void)fenrir::server::ParseBounds(*form, kNow);
  }

  (void)fenrir::server::ParseTimestamp(text, kNow);
  (void)fenrir::server::ParseSecondsOrDuration(text);
  (void)fenrir::server::ParseInt(text, 0);
  (void)fenrir::ParsePromDuration(text);
  (void)fenrir::ParseGoDuration(text);
  (void)fenrir::server::ParseConfigDuration(text);
  (void)fenrir::server::ParseByteSize(text);
  (void)fenrir::server::ParseRfc3339(text);
  (void)fenrir::server::PercentDecode(text, true);
  auto ns = fenrir::ParseGoDuration(text);
  if (ns.ok()) (void)fenrir::FormatGoDuration(*ns);
  auto prom = fenrir::ParsePromDuration(text);
  if (prom.ok()) (void)fenrir::FormatPromDuration(*prom);
  auto t = fenrir::server::ParseRfc3339(text);
  if (t.ok()) {
    (void)fenrir::server::FormatRfc3339(*t);
    (void)fenrir::server::FormatRfc3339Nano(*t);
  }
  return 0;
}
