#include "base/go_quote.h"

#include <algorithm>

#include "base/unicode_print_table.h"
#include "base/utf8.h"

namespace fenrir {

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

void AppendHex(std::string* out, uint32_t v, int digits) {
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    out->push_back(kLowerHex[(v >> shift) & 0xF]);
  }
}

// strconv's appendEscapedRune: one valid rune, escaped as needed inside a `quote`-quoted literal.
void AppendEscapedRune(std::string* out, uint32_t r, char quote) {
  if (r == static_cast<uint32_t>(quote) || r == '\\') {
    out->push_back('\\');
    out->push_back(static_cast<char>(r));
    return;
  }
  if (IsPrintRune(r)) {
    AppendRune(out, r);
    return;
  }
  switch (r) {
    case '\a': out->append("\\a"); return;
    case '\b': out->append("\\b"); return;
    case '\f': out->append("\\f"); return;
    case '\n': out->append("\\n"); return;
    case '\r': out->append("\\r"); return;
    case '\t': out->append("\\t"); return;
    case '\v': out->append("\\v"); return;
  }
  if (r < ' ' || r == 0x7F) {
    out->append("\\x");
    AppendHex(out, r, 2);
  } else if (r < 0x10000) {
    out->append("\\u");
    AppendHex(out, r, 4);
  } else {
    out->append("\\U");
    AppendHex(out, r, 8);
  }
}

}  // namespace

bool IsPrintRune(uint32_t r) {
  // Latin-1 first, as Go does: the common case needs no table.
  if (r <= 0xFF) return (r >= 0x20 && r <= 0x7E) || (r >= 0xA1 && r != 0xAD);
  using unicode_table::kPrintRangeCount;
  using unicode_table::kPrintRanges;
  const auto* end = kPrintRanges + kPrintRangeCount;
  // The first range that ends at or after r; r is printable when that range also starts by r.
  const auto* it = std::lower_bound(kPrintRanges, end, r,
                                    [](const unicode_table::RuneRange& range, uint32_t v) {
                                      return range.hi < v;
                                    });
  return it != end && it->lo <= r;
}

void AppendGoQuote(std::string* out, std::string_view s) {
  out->reserve(out->size() + s.size() + 2);
  out->push_back('"');
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    // Printable ASCII other than the two escaped characters is by far the common case.
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out->push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    uint32_t r;
    const size_t width = DecodeRune(s.substr(i), &r);
    if (r == kRuneError && width == 1) {
      out->append("\\x");
      AppendHex(out, c, 2);
    } else {
      AppendEscapedRune(out, r, '"');
    }
    i += width;
  }
  out->push_back('"');
}

std::string GoQuote(std::string_view s) {
  std::string out;
  AppendGoQuote(&out, s);
  return out;
}

std::string GoQuoteRune(uint32_t r) {
  std::string out = "'";
  AppendEscapedRune(&out, IsValidRune(r) ? r : kRuneError, '\'');
  out.push_back('\'');
  return out;
}

}  // namespace fenrir
