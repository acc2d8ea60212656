#pragma once
// Go's time.Duration text, once for the whole tree: time.ParseDuration and Duration.String, with
// Go's arithmetic (integer nanoseconds; a fraction is scaled in float64 and truncated, so
// "1.9999999999s" is 1999999999ns) and Go's error texts, which Loki passes on to clients
// ("time: unknown unit \"d\" in duration \"1d\"", also in __error_details__).
//
// Durations are int64 nanoseconds. Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir {

// time.ParseDuration: a possibly signed sequence of decimal numbers, each with an optional
// fraction and a unit (ns, us, µs, μs, ms, s, m, h), such as "300ms", "-1.5h" or "2h45m"; "0"
// needs no unit. Fails with InvalidArgument and Go's text:
//   time: invalid duration "<s>"            (syntax, or outside int64: "9223372036854775808ns")
//   time: missing unit in duration "<s>"
//   time: unknown unit "<u>" in duration "<s>"
// where the strings are quoted as Go's time package does (non-ASCII bytes as \xNN).
Result<int64_t> ParseGoDuration(std::string_view s);

// The same, for per-line callers that keep Go's text as data (__error_details__, a template
// error): false and *error on failure.
bool ParseGoDuration(std::string_view s, int64_t* ns, std::string* error);

// Duration.String: "1h2m3.5s", "1.5s", "250ms", "1.5µs", "7ns", "0s", "-2m0s".
std::string FormatGoDuration(int64_t ns);

}  // namespace fenrir
