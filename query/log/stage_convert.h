#pragma once
// Go's value parsers as Loki applies them to label values, with Go's error texts (they end up in
// __error_details__): strconv.ParseFloat here; time.ParseDuration and go-humanize's ParseBytes
// are base/go_duration.h and base/humanize_bytes.h, included for the stages.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/go_duration.h"
#include "base/humanize_bytes.h"

namespace fenrir::query {

// strconv.ParseFloat(s, 64). On a range error `*out` is ±Inf and false is returned.
bool ParseGoFloat(std::string_view s, double* out, std::string* err);

}  // namespace fenrir::query
