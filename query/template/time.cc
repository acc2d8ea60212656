#include "query/template/time.h"

#include <cstdio>
#include <mutex>
#include <set>

#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

const char* kLongMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                             "July",    "August",   "September", "October", "November", "December"};
const char* kLongDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                           "Thursday", "Friday", "Saturday"};

enum Std {
  kNone, kLongMonth, kMonth, kNumMonth, kZeroMonth, kLongWeekDay, kWeekDay, kDay, kUnderDay,
  kZeroDay, kUnderYearDay, kZeroYearDay, kHour, kHour12, kZeroHour12, kMinute, kZeroMinute,
  kSecond, kZeroSecond, kLongYear, kYear, kPM, kpm, kTZ, kISO8601TZ, kISO8601SecondsTZ,
  kISO8601ShortTZ, kISO8601ColonTZ, kISO8601ColonSecondsTZ, kNumTZ, kNumSecondsTz, kNumShortTZ,
  kNumColonTZ, kNumColonSecondsTZ, kFracSecond0, kFracSecond9,
};

bool StartsWith(std::string_view s, size_t i, std::string_view p) {
  return s.substr(i, p.size()) == p;
}

// Finds the next layout element at or after i: returns its kind, start and length.
Std NextChunk(std::string_view l, size_t i, size_t* start, size_t* len) {
  for (; i < l.size(); ++i) {
    *start = i;
    char c = l[i];
    auto hit = [&](Std s, size_t n) { *len = n; return s; };
    switch (c) {
      case 'J':
        if (StartsWith(l, i, "Jan")) {
          return StartsWith(l, i, "January") ? hit(kLongMonth, 7) : hit(kMonth, 3);
        }
        break;
      case 'M':
        if (StartsWith(l, i, "Mon")) {
          return StartsWith(l, i, "Monday") ? hit(kLongWeekDay, 6) : hit(kWeekDay, 3);
        }
        if (StartsWith(l, i, "MST")) return hit(kTZ, 3);
        break;
      case '0':
        if (i + 1 < l.size() && l[i + 1] >= '1' && l[i + 1] <= '6') {
          static const Std k[] = {kZeroMonth, kZeroDay, kZeroHour12, kZeroMinute, kZeroSecond, kYear};
          return hit(k[l[i + 1] - '1'], 2);
        }
        if (StartsWith(l, i, "002")) return hit(kZeroYearDay, 3);
        break;
      case '1':
        return StartsWith(l, i, "15") ? hit(kHour, 2) : hit(kNumMonth, 1);
      case '2':
        return StartsWith(l, i, "2006") ? hit(kLongYear, 4) : hit(kDay, 1);
      case '_':
        if (StartsWith(l, i, "_2")) {
          if (StartsWith(l, i, "_2006")) {
            *start = i + 1;
            *len = 4;
            return kLongYear;
          }
          return hit(kUnderDay, 2);
        }
        if (StartsWith(l, i, "__2")) return hit(kUnderYearDay, 3);
        break;
      case '3': return hit(kHour12, 1);
      case '4': return hit(kMinute, 1);
      case '5': return hit(kSecond, 1);
      case 'P':
        if (StartsWith(l, i, "PM")) return hit(kPM, 2);
        break;
      case 'p':
        if (StartsWith(l, i, "pm")) return hit(kpm, 2);
        break;
      case '-':
        if (StartsWith(l, i, "-070000")) return hit(kNumSecondsTz, 7);
        if (StartsWith(l, i, "-07:00:00")) return hit(kNumColonSecondsTZ, 9);
        if (StartsWith(l, i, "-0700")) return hit(kNumTZ, 5);
        if (StartsWith(l, i, "-07:00")) return hit(kNumColonTZ, 6);
        if (StartsWith(l, i, "-07")) return hit(kNumShortTZ, 3);
        break;
      case 'Z':
        if (StartsWith(l, i, "Z070000")) return hit(kISO8601SecondsTZ, 7);
        if (StartsWith(l, i, "Z07:00:00")) return hit(kISO8601ColonSecondsTZ, 9);
        if (StartsWith(l, i, "Z0700")) return hit(kISO8601TZ, 5);
        if (StartsWith(l, i, "Z07:00")) return hit(kISO8601ColonTZ, 6);
        if (StartsWith(l, i, "Z07")) return hit(kISO8601ShortTZ, 3);
        break;
      case '.':
      case ',':
        if (i + 1 < l.size() && (l[i + 1] == '0' || l[i + 1] == '9')) {
          char ch = l[i + 1];
          size_t j = i + 1;
          while (j < l.size() && l[j] == ch) ++j;
          if (!(j < l.size() && l[j] >= '0' && l[j] <= '9')) {
            return hit(ch == '0' ? kFracSecond0 : kFracSecond9, j - i);
          }
        }
        break;
    }
  }
  *start = l.size();
  *len = 0;
  return kNone;
}

void AppendInt(std::string* out, int64_t v, int width) {
  if (v < 0) {
    out->push_back('-');
    v = -v;
  }
  std::string d = std::to_string(v);
  if (static_cast<int>(d.size()) < width) out->append(static_cast<size_t>(width) - d.size(), '0');
  out->append(d);
}

void AppendZone(std::string* out, int offset, Std std) {
  bool iso = std >= kISO8601TZ && std <= kISO8601ColonSecondsTZ;
  if (iso && offset == 0) {
    out->push_back('Z');
    return;
  }
  int zone = offset / 60;
  int abs = offset < 0 ? -offset : offset;
  out->push_back(zone < 0 || offset < 0 ? '-' : '+');
  int h = abs / 3600, m = (abs / 60) % 60, s = abs % 60;
  AppendInt(out, h, 2);
  bool colon = std == kISO8601ColonTZ || std == kNumColonTZ || std == kISO8601ColonSecondsTZ ||
               std == kNumColonSecondsTZ;
  bool short_tz = std == kISO8601ShortTZ || std == kNumShortTZ;
  if (!short_tz) {
    if (colon) out->push_back(':');
    AppendInt(out, m, 2);
  }
  if (std == kISO8601SecondsTZ || std == kNumSecondsTz || std == kISO8601ColonSecondsTZ ||
      std == kNumColonSecondsTZ) {
    if (colon) out->push_back(':');
    AppendInt(out, s, 2);
  }
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Civil ToCivil(const Time& t) {
  int64_t secs = t.sec + t.offset;
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Civil c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>((rem / 60) % 60);
  c.second = static_cast<int>(rem % 60);
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = static_cast<int64_t>(yoe) + era * 400 + (c.month <= 2);
  int64_t wd = (days + 4) % 7;  // 1970-01-01 was a Thursday
  c.weekday = static_cast<int>(wd < 0 ? wd + 7 : wd);
  c.yday = static_cast<int>(days - DaysFromCivil(c.year, 1, 1) + 1);
  return c;
}

void AppendGoTime(std::string* out, const Time& t, std::string_view layout) {
  Civil c = ToCivil(t);
  size_t i = 0;
  while (i < layout.size()) {
    size_t start, len;
    Std std = NextChunk(layout, i, &start, &len);
    out->append(layout.substr(i, start - i));
    if (std == kNone) break;
    i = start + len;
    switch (std) {
      case kYear: AppendInt(out, ((c.year % 100) + 100) % 100, 2); break;
      case kLongYear: AppendInt(out, c.year, 4); break;
      case kMonth: out->append(std::string_view(kLongMonths[c.month - 1]).substr(0, 3)); break;
      case kLongMonth: out->append(kLongMonths[c.month - 1]); break;
      case kNumMonth: AppendInt(out, c.month, 0); break;
      case kZeroMonth: AppendInt(out, c.month, 2); break;
      case kWeekDay: out->append(std::string_view(kLongDays[c.weekday]).substr(0, 3)); break;
      case kLongWeekDay: out->append(kLongDays[c.weekday]); break;
      case kDay: AppendInt(out, c.day, 0); break;
      case kUnderDay:
        if (c.day < 10) out->push_back(' ');
        AppendInt(out, c.day, 0);
        break;
      case kZeroDay: AppendInt(out, c.day, 2); break;
      case kUnderYearDay:
        if (c.yday < 100) out->push_back(' ');
        if (c.yday < 10) out->push_back(' ');
        AppendInt(out, c.yday, 0);
        break;
      case kZeroYearDay: AppendInt(out, c.yday, 3); break;
      case kHour: AppendInt(out, c.hour, 2); break;
      case kHour12: AppendInt(out, c.hour % 12 == 0 ? 12 : c.hour % 12, 0); break;
      case kZeroHour12: AppendInt(out, c.hour % 12 == 0 ? 12 : c.hour % 12, 2); break;
      case kMinute: AppendInt(out, c.minute, 0); break;
      case kZeroMinute: AppendInt(out, c.minute, 2); break;
      case kSecond: AppendInt(out, c.second, 0); break;
      case kZeroSecond: AppendInt(out, c.second, 2); break;
      case kPM: out->append(c.hour >= 12 ? "PM" : "AM"); break;
      case kpm: out->append(c.hour >= 12 ? "pm" : "am"); break;
      case kTZ:
        if (!t.zone.empty()) {
          out->append(t.zone);
        } else {
          AppendZone(out, t.offset, kNumTZ);
        }
        break;
      case kFracSecond0:
      case kFracSecond9: {
        size_t digits = len - 1;
        char buf[16];
        std::snprintf(buf, sizeof(buf), "%09d", t.nsec);
        std::string frac(buf, digits < 9 ? digits : 9);
        if (std == kFracSecond9) {
          while (!frac.empty() && frac.back() == '0') frac.pop_back();
          if (frac.empty()) break;
        }
        out->push_back(layout[start]);
        out->append(frac);
        break;
      }
      default: AppendZone(out, t.offset, std); break;
    }
  }
}

std::string_view InternZone(std::string_view name) {
  static std::mutex mu;
  static std::set<std::string, std::less<>>* zones = new std::set<std::string, std::less<>>;
  std::lock_guard<std::mutex> lock(mu);
  auto it = zones->find(name);
  if (it == zones->end()) it = zones->emplace(name).first;
  return *it;
}

bool IsKnownZone(std::string_view name) {
  return name.empty() || name == "UTC" || name == "Local";
}

}  // namespace fenrir::query::tmpl
