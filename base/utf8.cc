#include "base/utf8.h"

#include <cstring>

namespace fenrir {

namespace {

// Length of the leading run of ASCII bytes in s, eight bytes at a time.
size_t AsciiPrefix(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
  }
  while (i < s.size() && static_cast<unsigned char>(s[i]) < kRuneSelf) ++i;
  return i;
}

}  // namespace

size_t DecodeRune(std::string_view s, uint32_t* rune) {
  *rune = kRuneError;
  if (s.empty()) return 0;
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c0 = b(0);
  if (c0 < kRuneSelf) {
    *rune = c0;
    return 1;
  }
  // The first byte fixes the length and the range of the second byte (which is where overlong
  // forms, surrogates and values past U+10FFFF show); the others are plain continuations.
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c0 < 0xC2) {
    return 1;  // a continuation byte, or the overlong lead bytes C0 and C1
  } else if (c0 < 0xE0) {
    n = 2;
  } else if (c0 < 0xF0) {
    n = 3;
    if (c0 == 0xE0) lo = 0xA0;
    if (c0 == 0xED) hi = 0x9F;
  } else if (c0 < 0xF5) {
    n = 4;
    if (c0 == 0xF0) lo = 0x90;
    if (c0 == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  if (s.size() < n || b(1) < lo || b(1) > hi) return 1;
  for (size_t k = 2; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 1;
  }
  uint32_t r = c0 & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) r = (r << 6) | (b(k) & 0x3F);
  *rune = r;
  return n;
}

size_t RuneLen(uint32_t r) {
  if (!IsValidRune(r)) r = kRuneError;
  return r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4;
}

void AppendRune(std::string* out, uint32_t r) {
  if (r < kRuneSelf) {
    out->push_back(static_cast<char>(r));
    return;
  }
  if (!IsValidRune(r)) r = kRuneError;
  char buf[4];
  size_t n;
  if (r < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (r >> 6));
    n = 2;
  } else if (r < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (r >> 12));
    buf[1] = static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    n = 3;
  } else {
    buf[0] = static_cast<char>(0xF0 | (r >> 18));
    buf[1] = static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    n = 4;
  }
  buf[n - 1] = static_cast<char>(0x80 | (r & 0x3F));
  out->append(buf, n);
}

size_t RuneCount(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size();) {
    const size_t ascii = AsciiPrefix(s.substr(i));
    i += ascii;
    count += ascii;
    if (i == s.size()) break;
    uint32_t r;
    i += DecodeRune(s.substr(i), &r);
    ++count;
  }
  return count;
}

size_t FirstInvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    i += AsciiPrefix(s.substr(i));
    if (i == s.size()) break;
    uint32_t r;
    const size_t width = DecodeRune(s.substr(i), &r);
    if (r == kRuneError && width == 1) return i;
    i += width;
  }
  return std::string_view::npos;
}

bool IsValidUtf8(std::string_view s) { return FirstInvalidUtf8(s) == std::string_view::npos; }

bool ContainsRuneError(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    i += AsciiPrefix(s.substr(i));
    if (i == s.size()) break;
    uint32_t r;
    i += DecodeRune(s.substr(i), &r);
    if (r == kRuneError) return true;
  }
  return false;
}

}  // namespace fenrir
