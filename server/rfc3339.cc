#include "server/rfc3339.h"

#include <cstdio>
#include <limits>

namespace fenrir::server {

namespace {

constexpr int64_t kSec = 1000000000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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
  // __int128: secs * kSec alone may be below INT64_MIN when the fraction brings it back.
  __int128 ns = static_cast<__int128>(secs) * kSec + frac;
  if (ns > std::numeric_limits<int64_t>::max() || ns < std::numeric_limits<int64_t>::min()) {
    return bad();
  }
  return static_cast<int64_t>(ns);
}

}  // namespace fenrir::server
