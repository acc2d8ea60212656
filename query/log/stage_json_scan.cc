#include "query/log/stage_json_scan.h"

#include <cstring>

#include "base/utf8.h"

namespace fenrir::query::json {

namespace {

// jsonparser.stringEnd on the bytes after an opening quote: offset past the closing quote or -1.
int64_t StringEnd(std::string_view d) {
  bool escaped = false;
  for (size_t i = 0; i < d.size(); ++i) {
    char c = d[i];
    if (c == '"') {
      if (!escaped) return static_cast<int64_t>(i + 1);
      size_t n = 0;
      size_t j = i;
      while (j > 0 && d[j - 1] == '\\') {
        --j;
        ++n;
      }
      if (n % 2 == 0) return static_cast<int64_t>(i + 1);
    } else if (c == '\\') {
      escaped = true;
    }
  }
  return -1;
}

int64_t BlockEnd(std::string_view d, char open, char close) {
  int level = 0;
  size_t i = 0;
  while (i < d.size()) {
    char c = d[i];
    if (c == '"') {
      int64_t se = StringEnd(d.substr(i + 1));
      if (se < 0) return -1;
      i += se;
    } else if (c == open) {
      ++level;
    } else if (c == close) {
      if (--level == 0) return static_cast<int64_t>(i + 1);
    }
    ++i;
  }
  return -1;
}

size_t TokenEnd(std::string_view d) {
  for (size_t i = 0; i < d.size(); ++i) {
    switch (d[i]) {
      case ' ': case '\n': case '\r': case '\t': case ',': case '}': case ']':
        return i;
      default:
        break;
    }
  }
  return d.size();
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Hex4(std::string_view in, size_t i, uint32_t* r) {
  if (i + 6 > in.size()) return false;
  uint32_t v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int h = Hex(in[k]);
    if (h < 0) return false;
    v = (v << 4) | static_cast<uint32_t>(h);
  }
  *r = v;
  return true;
}

}  // namespace

int64_t NextToken(std::string_view d) {
  for (size_t i = 0; i < d.size(); ++i) {
    char c = d[i];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return static_cast<int64_t>(i);
  }
  return -1;
}

std::string_view GetValue(std::string_view d, std::string_view* value, Type* type, size_t* end) {
  int64_t t = NextToken(d);
  if (t < 0) return kMalformedJson;
  size_t off = t;
  char c = d[off];
  if (c == '"') {
    int64_t se = StringEnd(d.substr(off + 1));
    if (se < 0) return kMalformedString;
    *type = Type::kString;
    *value = d.substr(off + 1, se - 1);
    *end = off + 1 + se;
    return {};
  }
  if (c == '[' || c == '{') {
    int64_t be = BlockEnd(d.substr(off), c, c == '[' ? ']' : '}');
    if (be < 0) return c == '[' ? kMalformedArray : kMalformedObject;
    *type = c == '[' ? Type::kArray : Type::kObject;
    *value = d.substr(off, be);
    *end = off + be;
    return {};
  }
  size_t te = TokenEnd(d.substr(off));
  std::string_view v = d.substr(off, te);
  switch (c) {
    case 't': case 'f':
      if (v != "true" && v != "false") return kUnknownValueType;
      *type = Type::kBoolean;
      break;
    case 'u': case 'n':
      if (v != "null") return kUnknownValueType;
      *type = Type::kNull;
      break;
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8':
    case '9': case '-':
      *type = Type::kNumber;
      break;
    default:
      return kUnknownValueType;
  }
  *value = v;
  *end = off + te;
  return {};
}

bool Unescape(std::string_view in, std::string* out) {
  out->clear();
  size_t i = 0;
  while (i < in.size()) {
    const char* bs = static_cast<const char*>(std::memchr(in.data() + i, '\\', in.size() - i));
    size_t next = bs ? static_cast<size_t>(bs - in.data()) : in.size();
    out->append(in.data() + i, next - i);
    i = next;
    if (i >= in.size()) break;
    if (i + 1 >= in.size()) return false;
    char e = in[i + 1];
    switch (e) {
      case '"': out->push_back('"'); i += 2; continue;
      case '\\': out->push_back('\\'); i += 2; continue;
      case '/': out->push_back('/'); i += 2; continue;
      case 'b': out->push_back('\b'); i += 2; continue;
      case 'f': out->push_back('\f'); i += 2; continue;
      case 'n': out->push_back('\n'); i += 2; continue;
      case 'r': out->push_back('\r'); i += 2; continue;
      case 't': out->push_back('\t'); i += 2; continue;
      case 'u': {
        uint32_t r;
        if (!Hex4(in, i, &r)) return false;
        if (r <= 0xFFFF && !(r >= 0xD800 && r <= 0xDFFF)) {
          AppendRune(out, r);
          i += 6;
          continue;
        }
        uint32_t r2;
        if (!Hex4(in, i + 6, &r2) || r2 < 0xDC00) return false;
        AppendRune(out, 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00));
        i += 12;
        continue;
      }
      default:
        return false;
    }
  }
  return true;
}

void UnescapeValue(std::string_view raw, std::string* out) {
  if (std::memchr(raw.data(), '\\', raw.size()) == nullptr) {
    if (!ContainsRuneError(raw)) {
      out->assign(raw);
    } else {
      out->clear();
    }
    return;
  }
  if (!Unescape(raw, out) || ContainsRuneError(*out)) out->clear();
}

}  // namespace fenrir::query::json
