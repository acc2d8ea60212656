// Label-name helpers shared by the parser stages (Loki's sanitizeLabelKey / appendSanitized).
#include <cstdint>

#include "query/log/stage.h"

namespace fenrir::query {

namespace {

// Length of the UTF-8 rune at s[i] (1 for invalid bytes, as Go's range loop yields RuneError
// with width 1) and its code point.
size_t RuneAt(std::string_view s, size_t i, uint32_t* cp) {
  unsigned char c = s[i];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    *cp = 0xFFFD;
    return 1;
  }
  uint32_t v = c & (0x7f >> n);
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = s[i + k];
    if ((cc & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (cc & 0x3f);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < kMin[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = v;
  return n;
}

bool IsUnicodeSpace(uint32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F:
    case 0x205F: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

// Go's strings.TrimSpace.
std::string_view TrimSpace(std::string_view s) {
  while (!s.empty()) {
    uint32_t r;
    size_t w = RuneAt(s, 0, &r);
    if (!IsUnicodeSpace(r)) break;
    s.remove_prefix(w);
  }
  while (!s.empty()) {
    // Find the start of the last rune.
    size_t start = s.size() - 1;
    while (start > 0 && s.size() - start < 4 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
      --start;
    }
    uint32_t r;
    size_t w = RuneAt(s, start, &r);
    if (start + w != s.size()) {  // not a whole rune: a lone continuation byte
      break;
    }
    if (!IsUnicodeSpace(r)) break;
    s.remove_suffix(w);
  }
  return s;
}

bool IsAlnumUnderscore(uint32_t r) {
  return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_' || (r >= '0' && r <= '9');
}

void AppendMapped(std::string* to, std::string_view key) {
  for (size_t i = 0; i < key.size();) {
    uint32_t r;
    size_t w = RuneAt(key, i, &r);
    to->push_back(IsAlnumUnderscore(r) ? static_cast<char>(r) : '_');
    i += w;
  }
}

}  // namespace

std::string SanitizeLabelKey(std::string_view key, bool is_prefix) {
  std::string out;
  key = TrimSpace(key);
  if (key.empty()) return out;
  out.reserve(key.size() + 1);
  if (is_prefix && key[0] >= '0' && key[0] <= '9') out.push_back('_');
  AppendMapped(&out, key);
  return out;
}

void AppendSanitized(std::string* to, std::string_view key) {
  if (key.empty()) return;
  key = TrimSpace(key);
  if (key.empty()) return;
  if (to->empty() && key[0] >= '0' && key[0] <= '9') to->push_back('_');
  AppendMapped(to, key);
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace fenrir::query
