#pragma once
// Go's value parsers as Loki applies them to label values, with Go's error texts (they end up in
// __error_details__): strconv.ParseFloat, time.ParseDuration and go-humanize's ParseBytes.

#include <cstdint>
#include <string>
#include <string_view>

namespace fenrir::query {

// strconv.ParseFloat(s, 64). On a range error `*out` is ±Inf and false is returned.
bool ParseGoFloat(std::string_view s, double* out, std::string* err);
// time.ParseDuration, in nanoseconds.
bool ParseGoDuration(std::string_view s, int64_t* ns, std::string* err);
// humanize.ParseBytes ("4.5MB", "10 KiB", "42").
bool ParseHumanBytes(std::string_view s, uint64_t* out, std::string* err);

}  // namespace fenrir::query
