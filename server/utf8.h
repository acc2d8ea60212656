#pragma once
// UTF-8 validation for text that Loki's Go parsers would reject (they decode runes and fail on
// utf8.RuneError): overlong forms, surrogates and values past U+10FFFF are invalid.

#include <cstddef>
#include <string_view>

namespace fenrir::server {

// Byte offset of the first invalid UTF-8 sequence in s, or std::string_view::npos.
inline size_t FirstInvalidUtf8(std::string_view s) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = b(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || i + n > s.size()) return i;
    for (size_t k = 1; k < n; ++k) {
      if ((b(i + k) & 0xC0) != 0x80) return i;
    }
    if (n == 3 && ((c == 0xE0 && b(i + 1) < 0xA0) || (c == 0xED && b(i + 1) >= 0xA0))) return i;
    if (n == 4 && ((c == 0xF0 && b(i + 1) < 0x90) || (c == 0xF4 && b(i + 1) >= 0x90))) return i;
    i += n;
  }
  return std::string_view::npos;
}

}  // namespace fenrir::server
