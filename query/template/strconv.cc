#include "query/template/strconv.h"

#include <cstdio>

namespace fenrir::query::tmpl {

size_t DecodeRune(std::string_view s, uint32_t* rune) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  if (c < 0x80) {
    *rune = c;
    return 1;
  }
  size_t n;
  uint32_t r, min;
  if ((c & 0xE0) == 0xC0) {
    n = 2, r = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, r = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, r = c & 0x07, min = 0x10000;
  } else {
    *rune = kRuneError;
    return 1;
  }
  if (s.size() < n) {
    *rune = kRuneError;
    return 1;
  }
  for (size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) {
      *rune = kRuneError;
      return 1;
    }
    r = (r << 6) | (b(i) & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
    *rune = kRuneError;
    return 1;
  }
  *rune = r;
  return n;
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) {
    uint32_t r;
    i += DecodeRune(s.substr(i), &r);
  }
  return n;
}

void AppendRune(std::string* out, uint32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool IsPrintRune(uint32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r >= 0x80 && r < 0xA0) return false;
  if (r == 0xAD) return false;  // soft hyphen
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  if (r == 0xFFFD) return true;
  if (r >= 0xFFF9 && r <= 0xFFFF) return false;
  if (r >= 0x2028 && r <= 0x202E) return false;
  if (r >= 0x200B && r <= 0x200F) return false;
  if (r >= 0x2060 && r <= 0x206F) return false;
  if (r == 0xFEFF) return false;
  if (r >= 0xE000 && r <= 0xF8FF) return false;  // private use
  return r <= 0x10FFFF && r < 0xF0000;
}

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

namespace {

void AppendEscaped(std::string* out, uint32_t r, size_t width, char quote, std::string_view raw) {
  static const char* kHex = "0123456789abcdef";
  if (r == kRuneError && width == 1) {
    out->append("\\x");
    unsigned char c = static_cast<unsigned char>(raw[0]);
    out->push_back(kHex[c >> 4]);
    out->push_back(kHex[c & 15]);
    return;
  }
  if (r == static_cast<uint32_t>(quote) || r == '\\') {
    out->push_back('\\');
    out->push_back(static_cast<char>(r));
    return;
  }
  if (IsPrintRune(r)) {
    out->append(raw.substr(0, width));
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
  char buf[16];
  if (r < ' ' || r == 0x7F) {
    std::snprintf(buf, sizeof(buf), "\\x%02x", r);
  } else if (r < 0x10000) {
    std::snprintf(buf, sizeof(buf), "\\u%04x", r);
  } else {
    std::snprintf(buf, sizeof(buf), "\\U%08x", r);
  }
  out->append(buf);
}

}  // namespace

std::string GoQuotePrefix(std::string_view s, size_t n) {
  std::string out = "\"";
  size_t count = 0;
  for (size_t i = 0; i < s.size() && count < n; ++count) {
    uint32_t r;
    size_t w = DecodeRune(s.substr(i), &r);
    AppendEscaped(&out, r, w, '"', s.substr(i));
    i += w;
  }
  out.push_back('"');
  return out;
}

std::string GoQuote(std::string_view s) { return GoQuotePrefix(s, s.size()); }

std::string GoQuoteRune(uint32_t r) {
  std::string out = "'";
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  std::string enc;
  AppendRune(&enc, r);
  AppendEscaped(&out, r, enc.size(), '\'', enc);
  out.push_back('\'');
  return out;
}

namespace {

int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one (possibly escaped) character from s at *i. Sets *is_byte for \x and octal escapes,
// which produce raw bytes rather than runes.
bool UnquoteOne(std::string_view s, size_t* i, char quote, uint32_t* r, bool* is_byte) {
  *is_byte = false;
  if (*i >= s.size()) return false;
  char c = s[*i];
  if (c == quote && (quote == '\'' || quote == '"')) return false;
  if (c != '\\') {
    size_t w = DecodeRune(s.substr(*i), r);
    *i += w;
    return true;
  }
  if (*i + 1 >= s.size()) return false;
  char e = s[*i + 1];
  *i += 2;
  switch (e) {
    case 'a': *r = '\a'; return true;
    case 'b': *r = '\b'; return true;
    case 'f': *r = '\f'; return true;
    case 'n': *r = '\n'; return true;
    case 'r': *r = '\r'; return true;
    case 't': *r = '\t'; return true;
    case 'v': *r = '\v'; return true;
    case '\\': *r = '\\'; return true;
    case '\'':
    case '"':
      if (e != quote) return false;
      *r = static_cast<uint32_t>(e);
      return true;
    case 'x':
    case 'u':
    case 'U': {
      size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (*i + n > s.size()) return false;
      uint32_t v = 0;
      for (size_t k = 0; k < n; ++k) {
        int h = HexVal(s[*i + k]);
        if (h < 0) return false;
        v = v * 16 + static_cast<uint32_t>(h);
      }
      *i += n;
      if (e == 'x') {
        *is_byte = quote != '\'';
        *r = v;
        return true;
      }
      if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
      *r = v;
      return true;
    }
    default:
      if (e >= '0' && e <= '7') {
        if (*i + 2 > s.size()) return false;
        uint32_t v = static_cast<uint32_t>(e - '0');
        for (size_t k = 0; k < 2; ++k) {
          char d = s[*i + k];
          if (d < '0' || d > '7') return false;
          v = v * 8 + static_cast<uint32_t>(d - '0');
        }
        if (v > 255) return false;
        *i += 2;
        *is_byte = quote != '\'';
        *r = v;
        return true;
      }
      return false;
  }
}

}  // namespace

std::optional<std::string> GoUnquote(std::string_view lit) {
  if (lit.size() < 2) return std::nullopt;
  char q = lit[0];
  if (q != lit.back()) return std::nullopt;
  std::string_view body = lit.substr(1, lit.size() - 2);
  if (q == '`') {
    if (body.find('`') != std::string_view::npos) return std::nullopt;
    std::string out;
    for (char c : body) {
      if (c != '\r') out.push_back(c);
    }
    return out;
  }
  if (q == '\'') {
    auto r = GoUnquoteChar(lit);
    if (!r) return std::nullopt;
    std::string out;
    AppendRune(&out, *r);
    return out;
  }
  if (q != '"') return std::nullopt;
  std::string out;
  size_t i = 0;
  while (i < body.size()) {
    if (body[i] == '\n') return std::nullopt;
    uint32_t r;
    bool is_byte;
    if (!UnquoteOne(body, &i, '"', &r, &is_byte)) return std::nullopt;
    if (is_byte) {
      out.push_back(static_cast<char>(r));
    } else {
      AppendRune(&out, r);
    }
  }
  return out;
}

std::optional<uint32_t> GoUnquoteChar(std::string_view lit) {
  if (lit.size() < 3 || lit[0] != '\'' || lit.back() != '\'') return std::nullopt;
  std::string_view body = lit.substr(1, lit.size() - 2);
  size_t i = 0;
  uint32_t r;
  bool is_byte;
  if (!UnquoteOne(body, &i, '\'', &r, &is_byte)) return std::nullopt;
  if (i != body.size()) return std::nullopt;
  return r;
}

}  // namespace fenrir::query::tmpl
