#include "query/template/number.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "query/template/node.h"
#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

char Lower(char c) { return static_cast<char>(c | 0x20); }

bool UnderscoreOk(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' &&
      (Lower(s[1]) == 'b' || Lower(s[1]) == 'o' || Lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = Lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && Lower(c) >= 'a' && Lower(c) <= 'f')) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

int DigitVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = Lower(c);
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  return 99;
}

}  // namespace

bool ParseGoUint(std::string_view s, int base, uint64_t* out) {
  if (s.empty()) return false;
  std::string_view orig = s;
  bool base0 = base == 0;
  if (base == 0) {
    base = 10;
    if (s[0] == '0') {
      if (s.size() >= 3 && Lower(s[1]) == 'b') {
        base = 2, s.remove_prefix(2);
      } else if (s.size() >= 3 && Lower(s[1]) == 'o') {
        base = 8, s.remove_prefix(2);
      } else if (s.size() >= 3 && Lower(s[1]) == 'x') {
        base = 16, s.remove_prefix(2);
      } else {
        base = 8, s.remove_prefix(1);
      }
    }
  }
  bool underscores = false;
  uint64_t n = 0;
  for (char c : s) {
    if (c == '_' && base0) {
      underscores = true;
      continue;
    }
    int d = DigitVal(c);
    if (d >= base) return false;
    if (n > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return false;
    n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  if (underscores && !UnderscoreOk(orig)) return false;
  *out = n;
  return true;
}

bool ParseGoInt(std::string_view s, int base, int64_t* out) {
  if (s.empty()) return false;
  bool neg = false;
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  uint64_t u;
  if (!ParseGoUint(body, base, &u)) return false;
  if (!neg && u > static_cast<uint64_t>(INT64_MAX)) return false;
  if (neg && u > static_cast<uint64_t>(INT64_MAX) + 1) return false;
  *out = neg ? static_cast<int64_t>(0 - u) : static_cast<int64_t>(u);
  return true;
}

bool ParseGoFloat(std::string_view s, double* out) {
  if (s.empty()) return false;
  std::string_view body = s;
  bool neg = false;
  if (body[0] == '+' || body[0] == '-') {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string low;
  for (char c : body) low.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (low == "inf" || low == "infinity") {
    *out = neg ? -HUGE_VAL : HUGE_VAL;
    return true;
  }
  if (low == "nan") {
    *out = NAN;
    return true;
  }
  // Validate Go's grammar before handing the digits to strtod.
  bool hex = low.size() >= 2 && low[0] == '0' && low[1] == 'x';
  size_t i = hex ? 2 : 0;
  bool digits = false, underscores = false;
  auto is_digit = [&](char c) {
    return (c >= '0' && c <= '9') || (hex && c >= 'a' && c <= 'f');
  };
  std::string clean = neg ? "-" : "";
  if (hex) clean += "0x";
  for (; i < low.size() && (is_digit(low[i]) || low[i] == '_'); ++i) {
    if (low[i] == '_') {
      underscores = true;
    } else {
      digits = true;
      clean.push_back(low[i]);
    }
  }
  if (i < low.size() && low[i] == '.') {
    clean.push_back('.');
    for (++i; i < low.size() && (is_digit(low[i]) || low[i] == '_'); ++i) {
      if (low[i] == '_') {
        underscores = true;
      } else {
        digits = true;
        clean.push_back(low[i]);
      }
    }
  }
  if (!digits) return false;
  char exp_char = hex ? 'p' : 'e';
  if (i < low.size() && low[i] == exp_char) {
    clean.push_back(exp_char);
    ++i;
    if (i < low.size() && (low[i] == '+' || low[i] == '-')) clean.push_back(low[i++]);
    bool exp_digits = false;
    for (; i < low.size() && ((low[i] >= '0' && low[i] <= '9') || low[i] == '_'); ++i) {
      if (low[i] == '_') {
        underscores = true;
      } else {
        exp_digits = true;
        clean.push_back(low[i]);
      }
    }
    if (!exp_digits) return false;
  } else if (hex) {
    return false;  // hex floats need a p exponent
  }
  if (i != low.size()) return false;
  if (underscores && !UnderscoreOk(s)) return false;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(clean.c_str(), &end);
  if (errno == ERANGE && std::isinf(v)) return false;
  *out = v;
  return true;
}

bool ParseNumber(std::string_view text, bool is_char, bool is_complex, NumberNode* n,
                 std::string* err) {
  if (is_char) {
    auto r = GoUnquoteChar(text);
    if (!r) {
      *err = "malformed character constant: " + std::string(text);
      return false;
    }
    n->is_int = n->is_uint = n->is_float = true;
    n->i = *r;
    n->u = *r;
    n->f = *r;
    return true;
  }
  if (is_complex || (!text.empty() && text.back() == 'i')) {
    *err = "complex numbers are not supported: " + GoQuote(text);
    return false;
  }
  uint64_t u;
  if (ParseGoUint(text, 0, &u)) {
    n->is_uint = true;
    n->u = u;
  }
  int64_t i;
  if (ParseGoInt(text, 0, &i)) {
    n->is_int = true;
    n->i = i;
    if (i == 0) {
      n->is_uint = true;
      n->u = 0;
    }
  }
  if (n->is_int) {
    n->is_float = true;
    n->f = static_cast<double>(n->i);
  } else if (n->is_uint) {
    n->is_float = true;
    n->f = static_cast<double>(n->u);
  } else {
    double f;
    if (ParseGoFloat(text, &f)) {
      if (text.find_first_of(".eEpP") == std::string_view::npos) {
        *err = "integer overflow: " + GoQuote(text);
        return false;
      }
      n->is_float = true;
      n->f = f;
      if (f == std::trunc(f) && std::fabs(f) < 9.2e18) {
        n->is_int = true;
        n->i = static_cast<int64_t>(f);
      }
      if (f == std::trunc(f) && f >= 0 && f < 1.8e19) {
        n->is_uint = true;
        n->u = static_cast<uint64_t>(f);
      }
    }
  }
  if (!n->is_int && !n->is_uint && !n->is_float) {
    *err = "illegal number syntax: " + GoQuote(text);
    return false;
  }
  return true;
}

}  // namespace fenrir::query::tmpl
