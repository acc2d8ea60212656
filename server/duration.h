#pragma once
// Go / Prometheus duration and byte-size text, as Loki's flags, config and HTTP params use them.
// All durations are int64 nanoseconds.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir::server {

// Prometheus model.ParseDuration: "1y2w3d4h5m6s7ms", units in that order, integers only, "0"
// allowed. Error text: not a valid duration string: "<s>".
Result<int64_t> ParsePromDuration(std::string_view s);

// Go time.ParseDuration: "1h30m", "1.5h", "-1ns", "250ms", "0". Units ns us µs ms s m h.
Result<int64_t> ParseGoDuration(std::string_view s);

// Config durations: Prometheus form first (it has d/w/y), then Go's.
Result<int64_t> ParseConfigDuration(std::string_view s);

// Sizes: "1GB", "512MiB", "1048576", "64KB" (KB/MB/GB are 1024-based as in Loki's flagext).
Result<uint64_t> ParseByteSize(std::string_view s);

// Prometheus model.Duration.String(): "30d1h", "720h"... "0s".
std::string FormatPromDuration(int64_t ns);
// Go time.Duration.String(): "745h0m0s", "1.5s", "250ms", "0s".
std::string FormatGoDuration(int64_t ns);

// RFC3339 with second precision in UTC: 2023-01-01T00:00:00Z (Go time.RFC3339).
std::string FormatRfc3339(int64_t ns);
// RFC3339Nano in UTC with trailing zeros of the fraction trimmed.
std::string FormatRfc3339Nano(int64_t ns);
// Parses RFC3339 / RFC3339Nano (any offset). Fails with InvalidArgument, also for times whose
// Unix nanoseconds do not fit int64 (before 1677-09-21 or after 2262-04-11).
Result<int64_t> ParseRfc3339(std::string_view s);

}  // namespace fenrir::server
