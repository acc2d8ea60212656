// time.ParseInLocation by reference layout (with UTC as the location).

#include <cmath>

#include "query/template/strconv.h"
#include "query/template/time.h"

namespace fenrir::query::tmpl {
namespace {

const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                         "July",    "August",   "September", "October", "November", "December"};
const char* kDays[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1-2 digits (exactly 2 when fixed).
bool GetNum(std::string_view* v, bool fixed, int* out) {
  if (v->empty() || !IsDigit((*v)[0])) return false;
  if (v->size() < 2 || !IsDigit((*v)[1])) {
    if (fixed) return false;
    *out = (*v)[0] - '0';
    v->remove_prefix(1);
    return true;
  }
  *out = ((*v)[0] - '0') * 10 + ((*v)[1] - '0');
  v->remove_prefix(2);
  return true;
}

bool GetDigits(std::string_view* v, size_t n, int64_t* out) {
  if (v->size() < n) return false;
  int64_t x = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!IsDigit((*v)[i])) return false;
    x = x * 10 + ((*v)[i] - '0');
  }
  *out = x;
  v->remove_prefix(n);
  return true;
}

bool Lookup(std::string_view* v, const char* const* names, size_t n, size_t len, int* idx) {
  for (size_t i = 0; i < n; ++i) {
    std::string_view name = names[i];
    if (len > 0) name = name.substr(0, len);
    if (v->size() < name.size()) continue;
    bool eq = true;
    for (size_t k = 0; k < name.size() && eq; ++k) {
      eq = std::tolower(static_cast<unsigned char>((*v)[k])) ==
           std::tolower(static_cast<unsigned char>(name[k]));
    }
    if (eq) {
      *idx = static_cast<int>(i);
      v->remove_prefix(name.size());
      return true;
    }
  }
  return false;
}

std::string_view CutSpace(std::string_view s) {
  while (!s.empty() && s[0] == ' ') s.remove_prefix(1);
  return s;
}

bool Skip(std::string_view* value, std::string_view prefix) {
  while (!prefix.empty()) {
    if (prefix[0] == ' ') {
      if (!value->empty() && (*value)[0] != ' ') return false;
      prefix = CutSpace(prefix);
      *value = CutSpace(*value);
      continue;
    }
    if (value->empty() || (*value)[0] != prefix[0]) return false;
    prefix.remove_prefix(1);
    value->remove_prefix(1);
  }
  return true;
}

// The chunk finder is shared with formatting through a tiny re-implementation of its contract:
// we format a probe to learn where layout elements are.
struct Chunk {
  std::string_view prefix, std, suffix;
};

bool IsStd(std::string_view layout, size_t i, size_t* len);

Chunk NextChunk(std::string_view layout) {
  for (size_t i = 0; i < layout.size(); ++i) {
    size_t len;
    if (IsStd(layout, i, &len)) {
      return {layout.substr(0, i), layout.substr(i, len), layout.substr(i + len)};
    }
  }
  return {layout, {}, {}};
}

bool IsStd(std::string_view l, size_t i, size_t* len) {
  auto sw = [&](std::string_view p) { return l.substr(i, p.size()) == p; };
  static const char* kTokens[] = {
      "January", "Jan", "Monday", "Mon", "MST", "002", "01", "02", "03", "04", "05", "06", "15",
      "1", "2006", "2", "__2", "_2", "3", "4", "5", "PM", "pm", "-070000", "-07:00:00", "-0700",
      "-07:00", "-07", "Z070000", "Z07:00:00", "Z0700", "Z07:00", "Z07"};
  if (sw("_2006")) return false;  // "_" is literal there; "2006" matches next
  for (const char* t : kTokens) {
    if (sw(t)) {
      *len = std::string_view(t).size();
      return true;
    }
  }
  if ((l[i] == '.' || l[i] == ',') && i + 1 < l.size() && (l[i + 1] == '0' || l[i + 1] == '9')) {
    char ch = l[i + 1];
    size_t j = i + 1;
    while (j < l.size() && l[j] == ch) ++j;
    if (!(j < l.size() && IsDigit(l[j]))) {
      *len = j - i;
      return true;
    }
  }
  return false;
}

}  // namespace

bool ParseGoTime(std::string_view layout, std::string_view value, Time* out, std::string* err) {
  const std::string_view orig_layout = layout, orig_value = value;
  int64_t year = 1;
  int month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0;
  int64_t nsec = 0;
  bool pm_set = false, am_set = false;
  bool have_offset = false;
  int offset = 0;
  std::string zone_name;
  auto bad = [&](std::string_view v, std::string_view elem) {
    *err = "parsing time " + GoQuote(orig_value) + " as " + GoQuote(orig_layout) +
           ": cannot parse " + GoQuote(v) + " as " + GoQuote(elem);
    return false;
  };
  while (true) {
    Chunk c = NextChunk(layout);
    if (!Skip(&value, c.prefix)) return bad(value, c.prefix);
    if (c.std.empty()) {
      if (!value.empty()) {
        *err = "parsing time " + GoQuote(orig_value) + ": extra text: " + GoQuote(value);
        return false;
      }
      break;
    }
    layout = c.suffix;
    std::string_view hold = value;
    std::string_view s = c.std;
    bool ok = true;
    int idx;
    if (s == "2006") {
      ok = GetDigits(&value, 4, &year);
    } else if (s == "06") {
      int64_t y;
      ok = GetDigits(&value, 2, &y);
      year = y >= 69 ? y + 1900 : y + 2000;
    } else if (s == "January" || s == "Jan") {
      ok = Lookup(&value, kMonths, 12, s == "Jan" ? 3 : 0, &idx);
      month = idx + 1;
    } else if (s == "Monday" || s == "Mon") {
      ok = Lookup(&value, kDays, 7, s == "Mon" ? 3 : 0, &idx);
    } else if (s == "01" || s == "1") {
      ok = GetNum(&value, s == "01", &month) && month >= 1 && month <= 12;
    } else if (s == "02" || s == "2" || s == "_2") {
      if (s == "_2" && !value.empty() && value[0] == ' ') value.remove_prefix(1);
      ok = GetNum(&value, s == "02", &day);
    } else if (s == "002" || s == "__2") {
      int64_t y = 0;
      size_t n = 0;
      while (n < 3 && n < value.size() && (IsDigit(value[n]) || (s == "__2" && value[n] == ' '))) {
        if (value[n] != ' ') y = y * 10 + (value[n] - '0');
        ++n;
      }
      ok = n == 3 || (s == "__2" && n > 0);
      value.remove_prefix(n);
      yday = static_cast<int>(y);
    } else if (s == "15") {
      ok = GetNum(&value, false, &hour) && hour < 24;
    } else if (s == "3" || s == "03") {
      ok = GetNum(&value, s == "03", &hour) && hour <= 12;
    } else if (s == "4" || s == "04") {
      ok = GetNum(&value, s == "04", &min) && min < 60;
    } else if (s == "5" || s == "05") {
      ok = GetNum(&value, s == "05", &sec) && sec < 60;
      // A fraction after the seconds is accepted even when the layout has none.
      if (ok && value.size() >= 2 && (value[0] == '.' || value[0] == ',') && IsDigit(value[1])) {
        Chunk next = NextChunk(layout);
        if (!(next.prefix.empty() && !next.std.empty() &&
              (next.std[0] == '.' || next.std[0] == ','))) {
          size_t n = 1;
          while (n < value.size() && IsDigit(value[n])) ++n;
          std::string digits(value.substr(1, n - 1));
          digits.resize(9, '0');
          nsec = std::stoll(digits.substr(0, 9));
          value.remove_prefix(n);
        }
      }
    } else if (s == "PM" || s == "pm") {
      if (value.size() < 2) {
        ok = false;
      } else {
        std::string p(value.substr(0, 2));
        for (char& ch : p) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        pm_set = p == "PM";
        am_set = p == "AM";
        ok = pm_set || am_set;
        value.remove_prefix(2);
      }
    } else if (s[0] == '-' || s[0] == 'Z') {
      if (s[0] == 'Z' && !value.empty() && value[0] == 'Z') {
        value.remove_prefix(1);
        have_offset = true;
        offset = 0;
        zone_name = "UTC";
      } else if (value.empty() || (value[0] != '+' && value[0] != '-')) {
        ok = false;
      } else {
        int sign = value[0] == '-' ? -1 : 1;
        value.remove_prefix(1);
        bool colon = s.find(':') != std::string_view::npos;
        size_t body = s.size() - 1;
        int hh = 0, mm = 0, ss = 0;
        ok = GetNum(&value, true, &hh);
        if (ok && body >= 4) {
          if (colon) ok = !value.empty() && value[0] == ':' && (value.remove_prefix(1), true);
          ok = ok && GetNum(&value, true, &mm);
        }
        if (ok && body >= 6 && (s.size() == 7 || s.size() == 9)) {
          if (colon) ok = !value.empty() && value[0] == ':' && (value.remove_prefix(1), true);
          ok = ok && GetNum(&value, true, &ss);
        }
        have_offset = true;
        offset = sign * (hh * 3600 + mm * 60 + ss);
      }
    } else if (s == "MST") {
      size_t n = 0;
      while (n < value.size() && n < 5 && std::isupper(static_cast<unsigned char>(value[n]))) ++n;
      if (n < 3) {
        ok = false;
      } else {
        zone_name = std::string(value.substr(0, n));
        value.remove_prefix(n);
      }
    } else if (s[0] == '.' || s[0] == ',') {
      size_t ndigit = s.size() - 1;
      if (s[1] == '0') {
        if (value.size() < s.size() || (value[0] != '.' && value[0] != ',')) {
          ok = false;
        } else {
          int64_t f;
          std::string_view d = value.substr(1);
          ok = GetDigits(&d, ndigit, &f);
          if (ok) {
            for (size_t k = ndigit; k < 9; ++k) f *= 10;
            nsec = f;
            value = d;
          }
        }
      } else if (value.size() >= 2 && (value[0] == '.' || value[0] == ',') && IsDigit(value[1])) {
        size_t n = 1;
        while (n < value.size() && IsDigit(value[n])) ++n;
        std::string digits(value.substr(1, n - 1));
        digits.resize(9, '0');
        nsec = std::stoll(digits.substr(0, 9));
        value.remove_prefix(n);
      }
    }
    if (!ok) return bad(hold, s);
  }
  if (pm_set && hour < 12) hour += 12;
  if (am_set && hour == 12) hour = 0;
  if (yday >= 0) {
    int64_t d0 = DaysFromCivil(year, 1, 1) + yday - 1;
    Time probe;
    probe.sec = d0 * 86400;
    Civil c = ToCivil(probe);
    month = c.month;
    day = c.day;
  }
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  static const int kDim[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day < 1 || day > kDim[month - 1] || (month == 2 && day == 29 && !leap)) {
    *err = "parsing time " + GoQuote(orig_value) + ": day out of range";
    return false;
  }
  Time t;
  t.sec = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
          hour * 3600 + min * 60 + sec;
  t.nsec = static_cast<int32_t>(nsec);
  t.offset = 0;
  t.zone = "UTC";
  if (have_offset) {
    t.sec -= offset;
    t.offset = offset;
    // An offset equal to the local zone's (UTC) is reported in the local zone.
    t.zone = offset == 0 ? std::string_view("UTC") : std::string_view();
  } else if (!zone_name.empty() && zone_name != "UTC") {
    t.zone = InternZone(zone_name);
  }
  *out = t;
  return true;
}

}  // namespace fenrir::query::tmpl
