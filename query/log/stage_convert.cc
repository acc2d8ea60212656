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

}  // namespace fenrir::query
