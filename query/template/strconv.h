#pragma once
// The pieces of Go's strconv and unicode/utf8 that templates need: rune decoding, quoting as %q
// does, and unquoting Go string and character literals.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fenrir::query::tmpl {

constexpr uint32_t kRuneError = 0xFFFD;

// Decodes the rune at the start of s (non-empty); invalid bytes give kRuneError with width 1.
size_t DecodeRune(std::string_view s, uint32_t* rune);
size_t RuneCount(std::string_view s);
void AppendRune(std::string* out, uint32_t r);
// unicode.IsPrint, approximated for non-ASCII (controls and invalid code points are not).
bool IsPrintRune(uint32_t r);
// %#U: "U+0041 'A'".
std::string FormatRuneU(uint32_t r);
// strconv.Quote, and the %.Nq form (the first n runes, quoted).
std::string GoQuote(std::string_view s);
std::string GoQuotePrefix(std::string_view s, size_t n);
// strconv.QuoteRune (%q of an integer).
std::string GoQuoteRune(uint32_t r);
// strconv.Unquote of a "...", `...` or '...' literal; nullopt means "invalid syntax".
std::optional<std::string> GoUnquote(std::string_view lit);
// The value of a character literal ('a', '\n', '\u00e9'); nullopt when malformed.
std::optional<uint32_t> GoUnquoteChar(std::string_view lit);

}  // namespace fenrir::query::tmpl
