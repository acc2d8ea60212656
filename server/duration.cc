#include "server/duration.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>

namespace fenrir::server {

namespace {

constexpr int64_t kNs = 1;
constexpr int64_t kUs = 1000;
constexpr int64_t kMs = 1000 * kUs;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kWeek = 7 * kDay;
constexpr int64_t kYear = 365 * kDay;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status NotPromDuration(std::string_view s) {
  return Status::InvalidArgument("not a valid duration string: \"" + std::string(s) + "\"");
}

// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

}  // namespace

Result<int64_t> ParsePromDuration(std::string_view s) {
  if (s.empty()) return Status::InvalidArgument("empty duration string");
  if (s == "0") return int64_t{0};
  static constexpr struct {
    std::string_view unit;
    int64_t mult;
  } kUnits[] = {{"y", kYear}, {"w", kWeek}, {"d", kDay}, {"h", kHour},
                {"m", kMin},  {"s", kSec},  {"ms", kMs}};
  size_t pos = 0, next_unit = 0;
  int64_t total = 0;
  while (pos < s.size()) {
    size_t start = pos;
    while (pos < s.size() && IsDigit(s[pos])) ++pos;
    if (pos == start) return NotPromDuration(s);
    size_t ustart = pos;
    while (pos < s.size() && !IsDigit(s[pos])) ++pos;
    std::string_view unit = s.substr(ustart, pos - ustart);
    size_t i = next_unit;
    while (i < std::size(kUnits) && kUnits[i].unit != unit) ++i;
    if (i == std::size(kUnits)) return NotPromDuration(s);
    next_unit = i + 1;
    int64_t n = 0;
    for (size_t k = start; k < ustart; ++k) {
      if (n > (std::numeric_limits<int64_t>::max() - 9) / 10) return NotPromDuration(s);
      n = n * 10 + (s[k] - '0');
    }
    if (n > std::numeric_limits<int64_t>::max() / kUnits[i].mult) return NotPromDuration(s);
    total += n * kUnits[i].mult;
    if (total < 0) return NotPromDuration(s);
  }
  return total;
}

Result<int64_t> ParseGoDuration(std::string_view s) {
  std::string orig(s);
  auto bad = [&] { return Status::InvalidArgument("time: invalid duration \"" + orig + "\""); };
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return int64_t{0};
  if (s.empty()) return bad();
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && (IsDigit(s[i]) || s[i] == '.')) ++i;
    if (i == 0 || (i == 1 && s[0] == '.')) return bad();
    std::string num(s.substr(0, i));
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !IsDigit(s[u]) && s[u] != '.') ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    int64_t mult;
    if (unit == "ns") mult = kNs;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") mult = kUs;
    else if (unit == "ms") mult = kMs;
    else if (unit == "s") mult = kSec;
    else if (unit == "m") mult = kMin;
    else if (unit == "h") mult = kHour;
    else if (unit.empty())
      return Status::InvalidArgument("time: missing unit in duration \"" + orig + "\"");
    else
      return Status::InvalidArgument("time: unknown unit \"" + std::string(unit) +
                                     "\" in duration \"" + orig + "\"");
    char* end = nullptr;
    long double v = std::strtold(num.c_str(), &end);
    if (end != num.c_str() + num.size()) return bad();
    total += v * mult;
  }
  if (total > static_cast<long double>(std::numeric_limits<int64_t>::max())) return bad();
  int64_t r = static_cast<int64_t>(total);
  return neg ? -r : r;
}

Result<int64_t> ParseConfigDuration(std::string_view s) {
  auto p = ParsePromDuration(s);
  if (p.ok()) return p;
  auto g = ParseGoDuration(s);
  if (g.ok()) return g;
  return Status::InvalidArgument("invalid duration \"" + std::string(s) + "\"");
}

Result<uint64_t> ParseByteSize(std::string_view s) {
  std::string text(s);
  size_t i = 0;
  while (i < text.size() && (IsDigit(text[i]) || text[i] == '.')) ++i;
  if (i == 0) return Status::InvalidArgument("invalid size \"" + text + "\"");
  double v = std::strtod(text.substr(0, i).c_str(), nullptr);
  std::string unit;
  for (size_t k = i; k < text.size(); ++k) {
    if (text[k] == ' ') continue;
    unit.push_back(static_cast<char>(toupper(static_cast<unsigned char>(text[k]))));
  }
  double mult;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KB" || unit == "KIB" || unit == "K") mult = 1024.0;
  else if (unit == "MB" || unit == "MIB" || unit == "M") mult = 1024.0 * 1024;
  else if (unit == "GB" || unit == "GIB" || unit == "G") mult = 1024.0 * 1024 * 1024;
  else if (unit == "TB" || unit == "TIB" || unit == "T") mult = 1024.0 * 1024 * 1024 * 1024;
  else return Status::InvalidArgument("invalid size \"" + text + "\"");
  // 2^64 and up (or inf) do not fit: converting them would be UB.
  if (!(v * mult < 18446744073709551616.0)) {
    return Status::InvalidArgument("invalid size \"" + text + "\": too large");
  }
  return static_cast<uint64_t>(v * mult);
}

std::string FormatPromDuration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string out;
  if (ns < 0) {
    out = "-";
    ns = -ns;
  }
  int64_t ms = ns / kMs;
  static constexpr struct {
    char unit[3];
    int64_t ms;
  } kUnits[] = {{"y", 365LL * 24 * 3600 * 1000}, {"w", 7LL * 24 * 3600 * 1000},
                {"d", 24LL * 3600 * 1000},       {"h", 3600LL * 1000},
                {"m", 60LL * 1000},              {"s", 1000},
                {"ms", 1}};
  for (const auto& u : kUnits) {
    // Prometheus prints years and weeks only when they divide the duration exactly.
    if ((u.unit[0] == 'w' || u.unit[0] == 'y') && ms % u.ms != 0) continue;
    if (ms >= u.ms) {
      out += std::to_string(ms / u.ms) + u.unit;
      ms %= u.ms;
    }
  }
  return out.empty() ? "0s" : out;
}

std::string FormatGoDuration(int64_t ns) {
  if (ns == 0) return "0s";
  std::string sign = ns < 0 ? "-" : "";
  uint64_t u = ns < 0 ? static_cast<uint64_t>(-(ns + 1)) + 1 : static_cast<uint64_t>(ns);
  auto frac = [](uint64_t v, uint64_t unit, int digits) {
    std::string s = std::to_string(v / unit);
    uint64_t f = v % unit;
    if (f != 0) {
      std::string fs = std::to_string(f);
      fs.insert(0, digits - fs.size(), '0');
      while (!fs.empty() && fs.back() == '0') fs.pop_back();
      s += "." + fs;
    }
    return s;
  };
  if (u < 1000) return sign + std::to_string(u) + "ns";
  if (u < 1000000) return sign + frac(u, 1000, 3) + "\xC2\xB5s";
  if (u < 1000000000) return sign + frac(u, 1000000, 6) + "ms";
  uint64_t secs_ns = u % (60ULL * 1000000000);
  uint64_t total_min = u / (60ULL * 1000000000);
  std::string s = frac(secs_ns, 1000000000, 9) + "s";
  if (total_min == 0) return sign + s;
  uint64_t h = total_min / 60, m = total_min % 60;
  if (h == 0) return sign + std::to_string(m) + "m" + s;
  return sign + std::to_string(h) + "h" + std::to_string(m) + "m" + s;
}

std::string FormatRfc3339(int64_t ns) {
  // Floor division; negating ns would overflow for INT64_MIN.
  int64_t secs = ns / kSec - (ns % kSec < 0 ? 1 : 0);
  int64_t days = secs / 86400 - (secs % 86400 < 0 ? 1 : 0);
  int64_t rem = secs - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m,
           d, static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
           static_cast<long long>(rem % 60));
  return buf;
}

std::string FormatRfc3339Nano(int64_t ns) {
  std::string base = FormatRfc3339(ns);
  int64_t frac = ns % kSec;
  if (frac < 0) frac += kSec;
  if (frac == 0) return base;
  char buf[16];
  snprintf(buf, sizeof buf, "%09lld", static_cast<long long>(frac));
  std::string f(buf);
  while (f.back() == '0') f.pop_back();
  base.pop_back();  // 'Z'
  return base + "." + f + "Z";
}

Result<int64_t> ParseRfc3339(std::string_view s) {
  auto bad = [&] {
    return Status::InvalidArgument("parsing time \"" + std::string(s) +
                                   "\" as \"2006-01-02T15:04:05Z07:00\": cannot parse");
  };
  auto num = [&](size_t pos, size_t n, int64_t* out) {
    if (pos + n > s.size()) return false;
    int64_t v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (!IsDigit(s[i])) return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int64_t y, mo, d, h, mi, se;
  if (!num(0, 4, &y) || s.size() < 20 || s[4] != '-' || !num(5, 2, &mo) || s[7] != '-' ||
      !num(8, 2, &d) || (s[10] != 'T' && s[10] != 't') || !num(11, 2, &h) || s[13] != ':' ||
      !num(14, 2, &mi) || s[16] != ':' || !num(17, 2, &se))
    return bad();
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return bad();
  size_t pos = 19;
  int64_t frac = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    int digits = 0;
    while (pos < s.size() && IsDigit(s[pos])) {
      if (digits < 9) frac = frac * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return bad();
    for (int k = digits; k < 9; ++k) frac *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int64_t oh, om;
    if (!num(pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !num(pos + 4, 2, &om))
      return bad();
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + se - offset;
  // Nanoseconds since the epoch fit int64 only from 1677 to 2262; Go's UnixNano wraps outside,
  // we reject (the year is at most 9999, so days and secs themselves cannot overflow).
  int64_t ns;
  if (__builtin_mul_overflow(secs, kSec, &ns) || __builtin_add_overflow(ns, frac, &ns)) {
    return bad();
  }
  return ns;
}

}  // namespace fenrir::server
