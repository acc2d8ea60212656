#include "query/template/strconv.h"

#include <cstdio>

namespace fenrir::query::tmpl {

std::string FormatRuneU(uint32_t r) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "U+%04X", r);
  std::string s = buf;
  if (IsPrintRune(r)) {
    s += " '";
    AppendRune(&s, r);
    s += "'";
  }
  return s;
}

std::string GoQuotePrefix(std::string_view s, size_t n) {
  // fmt truncates to n runes, then quotes.
  size_t end = 0;
  for (size_t count = 0; end < s.size() && count < n; ++count) {
    uint32_t r;
    end += DecodeRune(s.substr(end), &r);
  }
  return GoQuote(s.substr(0, end));
}

std::optional<uint32_t> GoUnquoteChar(std::string_view lit) {
  // text/template: strconv.UnquoteChar(lit[1:], lit[0]) must leave exactly the closing quote.
  if (lit.size() < 3 || lit[0] != '\'' || lit.back() != '\'') return std::nullopt;
  auto c = fenrir::GoUnquoteChar(lit.substr(1), '\'');
  if (!c || c->width != lit.size() - 2) return std::nullopt;
  return c->value;
}

}  // namespace fenrir::query::tmpl
