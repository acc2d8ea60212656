// Duration and byte-size literals as Loki's lexer accepts them.

#include <cctype>
#include <cmath>
#include <string>

#include "query/syntax/lexer.h"

namespace fenrir::query {

namespace {
constexpr int64_t kMs = 1'000'000;
constexpr int64_t kSec = 1'000'000'000;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
}  // namespace

bool ParsePromDuration(std::string_view s, int64_t* ns) {
  if (s == "0") {
    *ns = 0;
    return true;
  }
  if (s.empty()) return false;
  // Units in the only order Prometheus accepts them.
  struct Unit {
    std::string_view name;
    int64_t ns;
  };
  static const Unit kUnits[] = {{"y", 365 * kDay}, {"w", 7 * kDay}, {"d", kDay}, {"h", kHour},
                                {"m", kMin},       {"s", kSec},     {"ms", kMs}};
  size_t next_unit = 0;
  size_t i = 0;
  __int128 total = 0;
  while (i < s.size()) {
    size_t start = i;
    __int128 n = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      n = n * 10 + (s[i] - '0');
      // Bounding the count by INT64_MAX keeps n * unit (< 2^119) and the sum inside __int128.
      if (n > INT64_MAX) return false;
      ++i;
    }
    if (i == start || i == s.size()) return false;
    std::string_view unit;
    if (s[i] == 'm' && i + 1 < s.size() && s[i + 1] == 's') {
      unit = "ms";
    } else {
      unit = s.substr(i, 1);
    }
    i += unit.size();
    size_t k = next_unit;
    while (k < std::size(kUnits) && kUnits[k].name != unit) ++k;
    if (k == std::size(kUnits)) return false;
    next_unit = k + 1;
    total += n * kUnits[k].ns;
    if (total > INT64_MAX) return false;
  }
  *ns = static_cast<int64_t>(total);
  return true;
}

bool ParseGoDuration(std::string_view s, int64_t* ns) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") {
    *ns = 0;
    return true;
  }
  if (s.empty()) return false;
  long double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    long double v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) v = v * 10 + (s[i++] - '0');
    bool int_digits = i > start;
    bool frac_digits = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        v += scale * (s[i++] - '0');
        scale /= 10;
        frac_digits = true;
      }
    }
    if (!int_digits && !frac_digits) return false;
    size_t ustart = i;
    while (i < s.size() && s[i] != '.' && !std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    std::string_view unit = s.substr(ustart, i - ustart);
    int64_t mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") mult = 1000;
    else if (unit == "ms") mult = kMs;
    else if (unit == "s") mult = kSec;
    else if (unit == "m") mult = kMin;
    else if (unit == "h") mult = kHour;
    else return false;
    total += v * mult;
    if (total > static_cast<long double>(INT64_MAX)) return false;
  }
  int64_t r = static_cast<int64_t>(std::llroundl(total));
  *ns = neg ? -r : r;
  return true;
}

bool ParseDurationLiteral(std::string_view s, int64_t* ns) {
  return ParsePromDuration(s, ns) || ParseGoDuration(s, ns);
}

bool ParseBytesLiteral(std::string_view s, uint64_t* bytes) {
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  if (i == 0) return false;
  std::string num(s.substr(0, i));
  char* end = nullptr;
  double v = std::strtod(num.c_str(), &end);
  if (end != num.c_str() + num.size()) return false;
  while (i < s.size() && s[i] == ' ') ++i;
  std::string unit;
  for (; i < s.size(); ++i) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  static const struct {
    const char* name;
    double mult;
  } kUnits[] = {
      {"", 1},          {"b", 1},
      {"k", 1e3},       {"kb", 1e3},        {"ki", 1024.0},          {"kib", 1024.0},
      {"m", 1e6},       {"mb", 1e6},        {"mi", 1048576.0},       {"mib", 1048576.0},
      {"g", 1e9},       {"gb", 1e9},        {"gi", 1073741824.0},    {"gib", 1073741824.0},
      {"t", 1e12},      {"tb", 1e12},       {"ti", 1099511627776.0}, {"tib", 1099511627776.0},
      {"p", 1e15},      {"pb", 1e15},       {"pi", 1125899906842624.0},
      {"pib", 1125899906842624.0},
      {"e", 1e18},      {"eb", 1e18},       {"ei", 1152921504606846976.0},
      {"eib", 1152921504606846976.0},
  };
  for (const auto& u : kUnits) {
    if (unit == u.name) {
      long double r = static_cast<long double>(v) * u.mult;
      if (r >= 18446744073709551616.0L) return false;
      *bytes = static_cast<uint64_t>(r);
      return true;
    }
  }
  return false;
}

}  // namespace fenrir::query
