#pragma once
// The duration and size values of Loki's YAML config, runtime overrides and flags. Go's and
// Prometheus' own duration text is base/go_duration.h and base/prom_duration.h. Pure functions;
// thread-safe.

#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace fenrir::server {

// Config durations: Prometheus form first (it has d/w/y), then Go's. Fails with InvalidArgument
// `invalid duration "<s>"`.
Result<int64_t> ParseConfigDuration(std::string_view s);

// Sizes: "1GB", "512MiB", "1048576", "64KB" (KB/MB/GB are 1024-based as in Loki's flagext).
Result<uint64_t> ParseByteSize(std::string_view s);

}  // namespace fenrir::server
