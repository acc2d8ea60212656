#pragma once
// Reading Go string literals back, once for the whole tree. Two variants exist in Loki's code and
// both are here, each exact:
//   - GoUnquote: strconv.Unquote of Go 1.21 (text/template's strings, for example). Escapes
//     must name valid runes (\ud800 is a syntax error), '...' holds exactly one character, and
//     carriage returns are dropped from `raw` strings.
//   - PromUnquote: Prometheus' util/strutil.Unquote, which LogQL and PromQL string literals and
//     the push API's series selectors go through. It is an older copy of strconv.Unquote: a
//     surrogate escape is accepted (and written as U+FFFD), '...' may hold any number of
//     characters, and `raw` strings keep their carriage returns.
// Both answer nullopt where Go returns strconv.ErrSyntax ("invalid syntax"). \x and octal
// escapes produce single bytes (possibly invalid UTF-8); other escapes produce UTF-8.
//
// Pure functions; thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fenrir {

// One character of a quoted literal's body, as strconv.UnquoteChar decodes it.
struct UnquotedChar {
  uint32_t value = 0;      // the rune, or the byte value of a \x or octal escape
  bool multibyte = false;  // value is a rune to encode as UTF-8, not a single byte
  size_t width = 0;        // bytes of the input the character took
};

// strconv.UnquoteChar(s, quote) (Go 1.21): decodes the first character or escape sequence of s,
// the body of a literal quoted with `quote`. That quote must be escaped; the other one must not.
// A non-ASCII byte decodes as a rune (invalid UTF-8 as U+FFFD, width 1).
std::optional<UnquotedChar> GoUnquoteChar(std::string_view s, char quote);

// strconv.Unquote (Go 1.21): the value of a "...", '...' or `...` literal.
std::optional<std::string> GoUnquote(std::string_view literal);

// Prometheus util/strutil.Unquote, as vendored by Loki 2.9 (see the file comment).
std::optional<std::string> PromUnquote(std::string_view literal);

}  // namespace fenrir
