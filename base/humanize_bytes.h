#pragma once
// go-humanize's ParseBytes (github.com/dustin/go-humanize), once for the whole tree: LogQL byte
// literals (`| size > 20MB`) and the bytes() label conversion use it. Decimal (kB = 1000) and
// binary (KiB = 1024) units, any case, an optional space, commas in the number ("1,024"). Pure
// functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir {

// humanize.ParseBytes: "42", "4.5MB", "10 KiB", "1,024 kb", "5b". Fails with InvalidArgument
// and go-humanize's text, which Loki passes on in __error_details__:
//   strconv.ParseFloat: parsing "<number>": invalid syntax      (no number: "MB", "-5")
//   strconv.ParseFloat: parsing "<number>": value out of range
//   unhandled size name: <unit, lower-cased>
//   too large: <s>                                            (2^64 bytes and up)
Result<uint64_t> ParseHumanBytes(std::string_view s);

// The same, for per-line callers that keep the error text as data: false and *error on failure.
bool ParseHumanBytes(std::string_view s, uint64_t* bytes, std::string* error);

}  // namespace fenrir
