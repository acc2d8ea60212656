#pragma once
// The pieces of Go's fmt and text/template quoting that only templates need. Rune decoding,
// strconv.Quote, QuoteRune, IsPrint and Unquote are Go's, from base/ (utf8.h, go_quote.h,
// go_unquote.h), and are used through this header.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/go_quote.h"
#include "base/go_unquote.h"
#include "base/utf8.h"

namespace fenrir::query::tmpl {

// %#U: "U+0041 'A'".
std::string FormatRuneU(uint32_t r);
// The %.Nq form: the first n runes of s, quoted.
std::string GoQuotePrefix(std::string_view s, size_t n);
// The value of a character literal ('a', '\n', '\u00e9'); nullopt when malformed.
std::optional<uint32_t> GoUnquoteChar(std::string_view lit);

}  // namespace fenrir::query::tmpl
