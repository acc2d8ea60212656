#include "base/go_unquote.h"

#include "base/utf8.h"

namespace fenrir {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// strconv.UnquoteChar. `surrogates_ok` is the one difference of Prometheus' older copy: it only
// rejects \u and \U values past U+10FFFF, so a surrogate escape passes (and encodes as U+FFFD).
std::optional<UnquotedChar> UnquoteChar(std::string_view s, char quote, bool surrogates_ok) {
  if (s.empty()) return std::nullopt;
  const char c = s[0];
  if (c == quote && (quote == '\'' || quote == '"')) return std::nullopt;
  if (static_cast<unsigned char>(c) >= kRuneSelf) {
    UnquotedChar out;
    out.width = DecodeRune(s, &out.value);
    out.multibyte = true;
    return out;
  }
  if (c != '\\') return UnquotedChar{static_cast<unsigned char>(c), false, 1};
  if (s.size() <= 1) return std::nullopt;
  const char e = s[1];
  UnquotedChar out{0, false, 2};
  switch (e) {
    case 'a': out.value = '\a'; return out;
    case 'b': out.value = '\b'; return out;
    case 'f': out.value = '\f'; return out;
    case 'n': out.value = '\n'; return out;
    case 'r': out.value = '\r'; return out;
    case 't': out.value = '\t'; return out;
    case 'v': out.value = '\v'; return out;
    case '\\': out.value = '\\'; return out;
    case '\'':
    case '"':
      if (e != quote) return std::nullopt;
      out.value = static_cast<uint32_t>(e);
      return out;
    case 'x':
    case 'u':
    case 'U': {
      const size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (s.size() < 2 + n) return std::nullopt;
      uint32_t v = 0;
      for (size_t k = 0; k < n; ++k) {
        const int h = HexValue(s[2 + k]);
        if (h < 0) return std::nullopt;
        v = (v << 4) | static_cast<uint32_t>(h);
      }
      out.width = 2 + n;
      out.value = v;
      if (e == 'x') return out;  // a single byte, possibly not UTF-8
      if (v > kMaxRune || (!surrogates_ok && !IsValidRune(v))) return std::nullopt;
      out.multibyte = true;
      return out;
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
      if (s.size() < 4) return std::nullopt;
      uint32_t v = static_cast<uint32_t>(e - '0');
      for (size_t k = 2; k < 4; ++k) {
        if (s[k] < '0' || s[k] > '7') return std::nullopt;
        v = (v << 3) | static_cast<uint32_t>(s[k] - '0');
      }
      if (v > 255) return std::nullopt;
      out.width = 4;
      out.value = v;
      return out;
    }
    default:
      return std::nullopt;
  }
}

void AppendUnquoted(std::string* out, const UnquotedChar& c) {
  if (c.value < kRuneSelf || !c.multibyte) {
    out->push_back(static_cast<char>(c.value));
  } else {
    AppendRune(out, c.value);
  }
}

}  // namespace

std::optional<UnquotedChar> GoUnquoteChar(std::string_view s, char quote) {
  return UnquoteChar(s, quote, /*surrogates_ok=*/false);
}

std::optional<std::string> GoUnquote(std::string_view in) {
  if (in.size() < 2) return std::nullopt;
  const char quote = in[0];
  // Optimistically the literal ends at the next quote; escapes may push the end further.
  const size_t next = in.find(quote, 1);
  if (next == std::string_view::npos) return std::nullopt;
  const size_t end = next + 1;
  const std::string_view body = in.substr(1, end - 2);
  if (quote == '`') {
    if (end != in.size()) return std::nullopt;
    std::string out;
    out.reserve(body.size());
    for (char c : body) {
      if (c != '\r') out.push_back(c);  // Go drops carriage returns from raw strings
    }
    return out;
  }
  if (quote != '"' && quote != '\'') return std::nullopt;
  if (body.find_first_of("\\\n") == std::string_view::npos) {
    bool valid;
    if (quote == '"') {
      valid = IsValidUtf8(body);
    } else {
      uint32_t r;
      const size_t n = DecodeRune(body, &r);
      valid = n == body.size() && (r != kRuneError || n != 1);
    }
    if (valid) {
      if (end != in.size()) return std::nullopt;
      return std::string(body);
    }
  }
  std::string out;
  out.reserve(in.size());
  std::string_view rest = in.substr(1);
  while (!rest.empty() && rest[0] != quote) {
    if (rest[0] == '\n') return std::nullopt;
    auto c = GoUnquoteChar(rest, quote);
    if (!c) return std::nullopt;
    rest.remove_prefix(c->width);
    AppendUnquoted(&out, *c);
    if (quote == '\'') break;  // one character only
  }
  if (rest.size() != 1 || rest[0] != quote) return std::nullopt;
  return out;
}

std::optional<std::string> PromUnquote(std::string_view in) {
  if (in.size() < 2 || in[0] != in.back()) return std::nullopt;
  const char quote = in[0];
  std::string_view body = in.substr(1, in.size() - 2);
  if (quote == '`') {
    if (body.find('`') != std::string_view::npos) return std::nullopt;
    return std::string(body);
  }
  if (quote != '"' && quote != '\'') return std::nullopt;
  if (body.find('\n') != std::string_view::npos) return std::nullopt;
  if (body.find('\\') == std::string_view::npos && body.find(quote) == std::string_view::npos) {
    return std::string(body);
  }
  std::string out;
  out.reserve(body.size());
  while (!body.empty()) {
    auto c = UnquoteChar(body, quote, /*surrogates_ok=*/true);
    if (!c) return std::nullopt;
    body.remove_prefix(c->width);
    AppendUnquoted(&out, *c);
  }
  return out;
}

}  // namespace fenrir
