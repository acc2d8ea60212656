#pragma once
// String literals as Loki's lexer reads them (lexer.cc's helper): Go's text/scanner finds where a
// "..." or `...` literal ends and checks its escapes, then Prometheus' strutil.Unquote
// (base/go_unquote.h) gives its value. Pure; thread-safe.

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir::query {

struct StringLiteral {
  std::string value;  // the unquoted text
  size_t length = 0;  // bytes of the input the literal takes, quotes included
};

// Reads the literal at the start of `in`. Fails with InvalidArgument and text/scanner's or
// strconv's reason: "literal not terminated", "invalid char escape" (an escape text/scanner does
// not know, or too few digits) or "invalid syntax" (an escape whose value is out of range).
// REQUIRES: `in` starts with '"' or '`'.
Result<StringLiteral> ScanStringLiteral(std::string_view in);

}  // namespace fenrir::query
