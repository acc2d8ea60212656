#pragma once
// RFC 3339 time text as Loki's HTTP API reads and writes it (Go's time.RFC3339 and RFC3339Nano
// layouts, UTC on output). Times are int64 Unix nanoseconds. Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir::server {

// RFC3339 with second precision in UTC: 2023-01-01T00:00:00Z (Go time.RFC3339).
std::string FormatRfc3339(int64_t ns);
// RFC3339Nano in UTC with trailing zeros of the fraction trimmed.
std::string FormatRfc3339Nano(int64_t ns);
// Parses RFC3339 / RFC3339Nano (any offset). Fails with InvalidArgument, also for times whose
// Unix nanoseconds do not fit int64 (before 1677-09-21 or after 2262-04-11).
Result<int64_t> ParseRfc3339(std::string_view s);

}  // namespace fenrir::server
