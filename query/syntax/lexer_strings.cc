#include "query/syntax/lexer_strings.h"

#include "base/go_unquote.h"

namespace fenrir::query {

namespace {

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 16;
}

// text/scanner's scanEscape: checks the escape whose letter is at in[*i] and moves past it.
// Only the shape is checked (the letter and the count of digits), not the value.
bool ScanEscape(std::string_view in, size_t* i, char quote) {
  if (*i >= in.size()) return false;
  const char e = in[*i];
  int base = 0, digits = 0;
  switch (e) {
    case 'a': case 'b': case 'f': case 'n': case 'r': case 't': case 'v': case '\\':
      ++*i;
      return true;
    case 'x': base = 16, digits = 2, ++*i; break;
    case 'u': base = 16, digits = 4, ++*i; break;
    case 'U': base = 16, digits = 8, ++*i; break;
    default:
      if (e == quote) {
        ++*i;
        return true;
      }
      if (e < '0' || e > '7') return false;
      base = 8, digits = 3;  // the first digit is the escape letter itself
  }
  for (; digits > 0 && *i < in.size() && DigitValue(in[*i]) < base; --digits) ++*i;
  return digits == 0;
}

}  // namespace

Result<StringLiteral> ScanStringLiteral(std::string_view in) {
  const char quote = in[0];
  size_t end;
  if (quote == '`') {
    end = in.find('`', 1);
    if (end == std::string_view::npos) return Status::InvalidArgument("literal not terminated");
    ++end;
  } else {
    end = 1;
    while (true) {
      if (end >= in.size() || in[end] == '\n') {
        return Status::InvalidArgument("literal not terminated");
      }
      const char c = in[end++];
      if (c == quote) break;
      if (c == '\\' && !ScanEscape(in, &end, quote)) {
        return Status::InvalidArgument("invalid char escape");
      }
    }
  }
  auto value = PromUnquote(in.substr(0, end));
  if (!value) return Status::InvalidArgument("invalid syntax");
  return StringLiteral{std::move(*value), end};
}

}  // namespace fenrir::query
