#pragma once
// HTTP parameters with Loki's pkg/loghttp semantics: Go ParseForm merging, timestamps,
// durations, limit, direction and the bounds/step rules of query_range. Error texts are Loki's.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/http_types.h"
#include "storage/entry_iterator.h"
#include "base/status.h"

namespace fenrir::server {

// Go url.Values after Request.ParseForm: form-body values first, then URL query values.
class Form {
 public:
  // Parses the URL query and, for POST/PUT/PATCH with Content-Type
  // application/x-www-form-urlencoded, the body. Bad escapes -> InvalidArgument.
  static Result<Form> Parse(const HttpRequest& request);
  // Parses one application/x-www-form-urlencoded string into this form.
  Status AddEncoded(std::string_view encoded);

  // First value of `key`, or "" (Go's Form.Get).
  std::string Get(std::string_view key) const;
  bool Has(std::string_view key) const;
  std::vector<std::string> GetAll(std::string_view key) const;
  void Add(std::string key, std::string value) { values_.emplace_back(std::move(key), std::move(value)); }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// Percent-decoding (`+` is a space when plus_is_space). Fails on a bad escape with Go's text:
// invalid URL escape "%zz".
Result<std::string> PercentDecode(std::string_view s, bool plus_is_space);

// Loki's parseTimestamp: "" -> def; value with '.' -> float seconds (fraction rounded to ms);
// integer of <= 10 characters -> seconds, longer -> ns; else RFC3339Nano. The error is the
// strconv text, e.g. strconv.ParseInt: parsing "x": invalid syntax.
Result<int64_t> ParseTimestamp(std::string_view value, int64_t def_ns);

// Float seconds or a Prometheus duration, in ns: cannot parse "x" to a valid duration.
Result<int64_t> ParseSecondsOrDuration(std::string_view value);

// Go strconv.Atoi with its error texts; "" -> def.
Result<int64_t> ParseInt(std::string_view value, int64_t def);

// limit: default 100, must be > 0.
Result<uint32_t> ParseLimit(const Form& form);
// direction: forward / backward in any case; default backward.
Result<storage::Direction> ParseDirection(const Form& form);

struct Bounds {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
};
// start / end / since, defaults end = now, start = min(end, now) - since (1h).
Result<Bounds> ParseBounds(const Form& form, int64_t now_ns);

struct RangeQueryRequest {
  std::string query;
  int64_t start_ns = 0;
  int64_t end_ns = 0;
  int64_t step_ns = 0;
  int64_t interval_ns = 0;
  uint32_t limit = 100;
  storage::Direction direction = storage::Direction::kBackward;
};
// query_range (and index/stats, volume_range): bounds, end >= start, limit, direction, step
// (default max(floor((end-start)/250s), 1s)), step > 0, <= 11000 points, interval >= 0.
Result<RangeQueryRequest> ParseRangeQuery(const Form& form, int64_t now_ns);

struct InstantQueryRequest {
  std::string query;
  int64_t time_ns = 0;
  uint32_t limit = 100;
  storage::Direction direction = storage::Direction::kBackward;
};
Result<InstantQueryRequest> ParseInstantQuery(const Form& form, int64_t now_ns);

}  // namespace fenrir::server
