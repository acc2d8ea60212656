#include "base/go_duration.h"

#include "base/utf8.h"

namespace fenrir {

namespace {

constexpr uint64_t kOverflow = uint64_t{1} << 63;  // one past INT64_MAX; -2^63 is INT64_MIN

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The time package's own quote(), used in its error texts: printable ASCII stays (with `"` and
// `\` escaped), every other byte, including each byte of a valid multi-byte rune, is \xNN.
std::string TimeQuote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c >= kRuneSelf || c < ' ') {
      out += "\\x";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      continue;
    }
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(static_cast<char>(c));
  }
  out.push_back('"');
  return out;
}

Status Invalid(std::string_view orig) {
  return Status::InvalidArgument("time: invalid duration " + TimeQuote(orig));
}

// The unit's length in nanoseconds, or 0 when Go does not know it.
uint64_t UnitNanos(std::string_view u) {
  if (u == "ns") return 1;
  if (u == "us" || u == "\xC2\xB5s" || u == "\xCE\xBCs") return 1000;  // µs (U+00B5), μs (U+03BC)
  if (u == "ms") return 1000000;
  if (u == "s") return 1000000000;
  if (u == "m") return 60 * uint64_t{1000000000};
  if (u == "h") return 3600 * uint64_t{1000000000};
  return 0;
}

// Writes v backwards into buf ending at w (Go's fmtInt); returns the new start.
size_t FormatInt(char* buf, size_t w, uint64_t v) {
  if (v == 0) {
    buf[--w] = '0';
    return w;
  }
  for (; v > 0; v /= 10) buf[--w] = static_cast<char>('0' + v % 10);
  return w;
}

// Go's fmtFrac: writes the low `prec` digits of *v as a fraction (trailing zeros and a bare
// point omitted) backwards into buf ending at w, and leaves the integer part in *v.
size_t FormatFraction(char* buf, size_t w, uint64_t* v, int prec) {
  bool print = false;
  for (int i = 0; i < prec; ++i) {
    const uint64_t digit = *v % 10;
    print = print || digit != 0;
    if (print) buf[--w] = static_cast<char>('0' + digit);
    *v /= 10;
  }
  if (print) buf[--w] = '.';
  return w;
}

}  // namespace

Result<int64_t> ParseGoDuration(std::string_view s) {
  const std::string_view orig = s;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return int64_t{0};
  if (s.empty()) return Invalid(orig);
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || IsDigit(s[0]))) return Invalid(orig);
    // [0-9]*: the integer part must stay within 2^63.
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      if (v > kOverflow / 10) return Invalid(orig);
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kOverflow) return Invalid(orig);
    }
    const bool pre = i > 0;
    s.remove_prefix(i);
    // (\.[0-9]*)?: digits past what uint64 holds only lose precision.
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && IsDigit(s[j]); ++j) {
        if (overflow) continue;
        if (f > (kOverflow - 1) / 10) {
          overflow = true;
          continue;
        }
        const uint64_t y = f * 10 + static_cast<uint64_t>(s[j] - '0');
        if (y > kOverflow) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return Invalid(orig);  // no digits, as in ".s" or "-.s"
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !IsDigit(s[u])) ++u;
    if (u == 0) return Status::InvalidArgument("time: missing unit in duration " + TimeQuote(orig));
    const std::string_view unit_text = s.substr(0, u);
    s.remove_prefix(u);
    const uint64_t unit = UnitNanos(unit_text);
    if (unit == 0) {
      return Status::InvalidArgument("time: unknown unit " + TimeQuote(unit_text) +
                                     " in duration " + TimeQuote(orig));
    }
    if (v > kOverflow / unit) return Invalid(orig);
    v *= unit;
    if (f > 0) {
      // float64 is exact enough here: f * unit / scale is at most 3.6e12 (an hour in ns).
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kOverflow) return Invalid(orig);
    }
    total += v;
    if (total > kOverflow) return Invalid(orig);
  }
  if (neg) return static_cast<int64_t>(0 - total);  // 2^63 wraps to INT64_MIN, as in Go
  if (total > kOverflow - 1) return Invalid(orig);
  return static_cast<int64_t>(total);
}

bool ParseGoDuration(std::string_view s, int64_t* ns, std::string* error) {
  Result<int64_t> d = ParseGoDuration(s);
  if (!d.ok()) {
    *error = d.status().message();
    return false;
  }
  *ns = *d;
  return true;
}

std::string FormatGoDuration(int64_t ns) {
  // The longest is "-2562047h47m16.854775808s".
  char buf[32];
  size_t w = sizeof(buf);
  const bool neg = ns < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  if (u < 1000000000) {
    // Under a second: the largest unit that keeps an integer part, "1.2ms".
    int prec;
    buf[--w] = 's';
    if (u == 0) return "0s";
    if (u < 1000) {
      prec = 0;
      buf[--w] = 'n';
    } else if (u < 1000000) {
      prec = 3;
      buf[--w] = '\xB5';  // µ (U+00B5) as UTF-8, written backwards
      buf[--w] = '\xC2';
    } else {
      prec = 6;
      buf[--w] = 'm';
    }
    w = FormatFraction(buf, w, &u, prec);
    w = FormatInt(buf, w, u);
  } else {
    buf[--w] = 's';
    w = FormatFraction(buf, w, &u, 9);
    w = FormatInt(buf, w, u % 60);  // u is now whole seconds
    u /= 60;
    if (u > 0) {
      buf[--w] = 'm';
      w = FormatInt(buf, w, u % 60);
      u /= 60;
      // Hours are the largest unit: days differ in length.
      if (u > 0) {
        buf[--w] = 'h';
        w = FormatInt(buf, w, u);
      }
    }
  }
  if (neg) buf[--w] = '-';
  return std::string(buf + w, sizeof(buf) - w);
}

}  // namespace fenrir
