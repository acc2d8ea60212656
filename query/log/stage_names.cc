// Label-name helpers shared by the parser stages (Loki's sanitizeLabelKey / appendSanitized).
#include <cstdint>

#include "base/utf8.h"
#include "query/log/stage.h"

namespace fenrir::query {

namespace {

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
    size_t w = DecodeRune(s, &r);
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
    size_t w = DecodeRune(s.substr(start), &r);
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
    size_t w = DecodeRune(key.substr(i), &r);
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

}  // namespace fenrir::query
