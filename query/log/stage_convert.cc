#include "query/log/stage_convert.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "storage/labels.h"

namespace fenrir::query {

namespace {

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Go's float syntax (decimal or hexadecimal mantissa with p exponent), without specials.
bool ValidFloatSyntax(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool hex = i + 1 < s.size() && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X');
  if (hex) i += 2;
  auto is_d = [&](char c) { return hex ? IsHexDigit(c) : IsDigit(c); };
  size_t digits = 0;
  while (i < s.size() && is_d(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_d(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (hex ? (s[i] == 'p' || s[i] == 'P') : (s[i] == 'e' || s[i] == 'E'))) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp;
    if (exp == 0) return false;
  } else if (hex) {
    return false;  // Go requires the p exponent
  }
  return i == s.size();
}

// time.quote: ASCII printable kept (with " and \ escaped), other bytes as \xNN.
std::string TimeQuote(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c >= 0x80 || c < ' ') {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(static_cast<char>(c));
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

bool ParseGoFloat(std::string_view s, double* out, std::string* err) {
  *out = 0;
  auto syntax = [&] {
    *err = "strconv.ParseFloat: parsing " + storage::GoQuote(s) + ": invalid syntax";
    return false;
  };
  if (s.empty()) return syntax();
  std::string_view body = s;
  double sign = 1;
  if (body[0] == '+' || body[0] == '-') {
    sign = body[0] == '-' ? -1 : 1;
    body.remove_prefix(1);
    if (EqualFold(body, "inf") || EqualFold(body, "infinity")) {
      *out = sign * std::numeric_limits<double>::infinity();
      return true;
    }
  } else if (EqualFold(body, "inf") || EqualFold(body, "infinity")) {
    *out = std::numeric_limits<double>::infinity();
    return true;
  } else if (EqualFold(body, "nan")) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  if (!ValidFloatSyntax(s)) return syntax();
  std::string tmp(s);
  errno = 0;
  double v = std::strtod(tmp.c_str(), nullptr);
  *out = v;
  if (std::isinf(v)) {
    *err = "strconv.ParseFloat: parsing " + storage::GoQuote(s) + ": value out of range";
    return false;
  }
  return true;
}

bool ParseGoDuration(std::string_view s, int64_t* ns, std::string* err) {
  const std::string_view orig = s;
  auto invalid = [&] {
    *err = "time: invalid duration " + TimeQuote(orig);
    return false;
  };
  constexpr uint64_t kMax = uint64_t{1} << 63;
  uint64_t d = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    *ns = 0;
    return true;
  }
  if (s.empty()) return invalid();
  while (!s.empty()) {
    uint64_t v = 0, f = 0;
    double scale = 1;
    if (!(s[0] == '.' || IsDigit(s[0]))) return invalid();
    size_t i = 0;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      if (v > (kMax - 1) / 10) return invalid();
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kMax) return invalid();
    }
    bool pre = i > 0;
    s.remove_prefix(i);
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && IsDigit(s[j]); ++j) {
        if (overflow) continue;
        if (f > (kMax - 1) / 10) {
          overflow = true;
          continue;
        }
        uint64_t y = f * 10 + static_cast<uint64_t>(s[j] - '0');
        if (y > kMax) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return invalid();
    size_t k = 0;
    while (k < s.size() && s[k] != '.' && !IsDigit(s[k])) ++k;
    if (k == 0) {
      *err = "time: missing unit in duration " + TimeQuote(orig);
      return false;
    }
    std::string_view u = s.substr(0, k);
    s.remove_prefix(k);
    uint64_t unit;
    if (u == "ns") unit = 1;
    else if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") unit = 1000;
    else if (u == "ms") unit = 1000000;
    else if (u == "s") unit = 1000000000ULL;
    else if (u == "m") unit = 60ULL * 1000000000ULL;
    else if (u == "h") unit = 3600ULL * 1000000000ULL;
    else {
      *err = "time: unknown unit " + TimeQuote(u) + " in duration " + TimeQuote(orig);
      return false;
    }
    if (v > kMax / unit) return invalid();
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kMax) return invalid();
    }
    d += v;
    if (d > kMax) return invalid();
  }
  if (neg) {
    *ns = d == kMax ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(d);
    return true;
  }
  if (d > kMax - 1) return invalid();
  *ns = static_cast<int64_t>(d);
  return true;
}

bool ParseHumanBytes(std::string_view s, uint64_t* out, std::string* err) {
  size_t last = 0;
  bool comma = false;
  while (last < s.size() && (IsDigit(s[last]) || s[last] == '.' || s[last] == ',')) {
    if (s[last] == ',') comma = true;
    ++last;
  }
  std::string num(s.substr(0, last));
  if (comma) {
    std::string no_comma;
    for (char c : num) {
      if (c != ',') no_comma.push_back(c);
    }
    num = no_comma;
  }
  double f;
  if (!ParseGoFloat(num, &f, err)) return false;
  std::string_view rest = s.substr(last);
  while (!rest.empty() && (rest.front() == ' ' || (rest.front() >= '\t' && rest.front() <= '\r'))) {
    rest.remove_prefix(1);
  }
  while (!rest.empty() && (rest.back() == ' ' || (rest.back() >= '\t' && rest.back() <= '\r'))) {
    rest.remove_suffix(1);
  }
  std::string extra(rest);
  for (char& c : extra) {
    if (c >= 'A' && c <= 'Z') c += 32;
  }
  static const struct {
    const char* name;
    double mult;
  } kTable[] = {
      {"b", 1}, {"", 1},
      {"kib", 1024.0}, {"ki", 1024.0}, {"kb", 1e3}, {"k", 1e3},
      {"mib", 1048576.0}, {"mi", 1048576.0}, {"mb", 1e6}, {"m", 1e6},
      {"gib", 1073741824.0}, {"gi", 1073741824.0}, {"gb", 1e9}, {"g", 1e9},
      {"tib", 1099511627776.0}, {"ti", 1099511627776.0}, {"tb", 1e12}, {"t", 1e12},
      {"pib", 1125899906842624.0}, {"pi", 1125899906842624.0}, {"pb", 1e15}, {"p", 1e15},
      {"eib", 1152921504606846976.0}, {"ei", 1152921504606846976.0}, {"eb", 1e18}, {"e", 1e18},
  };
  for (const auto& e : kTable) {
    if (extra == e.name) {
      f *= e.mult;
      if (f >= 18446744073709551615.0) {
        *err = "too large: " + std::string(s);
        return false;
      }
      *out = static_cast<uint64_t>(f);
      return true;
    }
  }
  *err = "unhandled size name: " + extra;
  return false;
}

}  // namespace fenrir::query
