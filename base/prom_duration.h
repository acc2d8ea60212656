#pragma once
// Prometheus' model.Duration text (prometheus/common v0.43.0, the version Loki 2.9 vendors), once
// for the whole tree: LogQL range literals ([5m]), the `since` and `step` HTTP parameters and
// config durations use it. Units are y w d h m s ms, integers only, each at most once and from
// the largest down; a year is 365 days.
//
// Durations are int64 nanoseconds. Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir {

// model.ParseDuration: "1y2w3d4h5m6s7ms", "90d", "0". Fails with InvalidArgument and
// Prometheus' text:
//   empty duration string
//   not a valid duration string: "<s>"         (syntax, units out of order or repeated)
//   unknown unit "<u>" in duration "<s>"       ("1.5h" has the unit ".")
//   duration out of range                      (past INT64_MAX nanoseconds, ~292 years)
// with the strings quoted by strconv.Quote.
Result<int64_t> ParsePromDuration(std::string_view s);

// model.Duration.String: "30d1h", "1w", "90d" (weeks and years only when they divide the
// duration), "1m30s", "0s". Millisecond precision, truncated. A negative duration prints as ""
// in Prometheus, and so here.
std::string FormatPromDuration(int64_t ns);

}  // namespace fenrir
