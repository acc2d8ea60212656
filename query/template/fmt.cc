#include "query/template/fmt.h"

#include <cstdio>
#include <string_view>

#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

// Go's fmt tooLarge: widths and precisions are bounded by +-1e6.
constexpr int64_t kMaxWidth = 1'000'000;

// True when `verb` is one of `verbs`. Unlike strchr, never matches the NUL byte: a template can
// put NUL after '%', and strchr finds it as the string's terminator.
bool IsVerbIn(char verb, std::string_view verbs) {
  return verbs.find(verb) != std::string_view::npos;
}

struct Spec {
  bool plus = false, minus = false, sharp = false, zero = false, space = false;
  int width = -1;
  int prec = -1;
};

void Pad(std::string* out, std::string_view body, const Spec& s, bool numeric_zero_ok = true) {
  size_t n = RuneCount(body);
  if (s.width < 0 || n >= static_cast<size_t>(s.width)) {
    out->append(body);
    return;
  }
  size_t pad = static_cast<size_t>(s.width) - n;
  if (s.minus) {
    out->append(body);
    out->append(pad, ' ');
  } else if (s.zero && numeric_zero_ok) {
    // Zeros go after a sign.
    if (!body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == ' ')) {
      out->push_back(body[0]);
      out->append(pad, '0');
      out->append(body.substr(1));
    } else {
      out->append(pad, '0');
      out->append(body);
    }
  } else {
    out->append(pad, ' ');
    out->append(body);
  }
}

void BadVerb(std::string* out, char verb, const Value& v) {
  out->append("%!");
  out->push_back(verb);
  out->push_back('(');
  if (v.is_nil()) {
    out->append("<nil>");
  } else {
    out->append(v.TypeName());
    out->push_back('=');
    AppendValue(out, v);
  }
  out->push_back(')');
}

void FmtInteger(std::string* out, int64_t v, char verb, const Spec& s) {
  if (verb == 'c') {
    std::string b;
    AppendRune(&b, static_cast<uint32_t>(v));
    Pad(out, b, s, false);
    return;
  }
  if (verb == 'q') {
    Pad(out, GoQuoteRune(static_cast<uint32_t>(v)), s, false);
    return;
  }
  if (verb == 'U') {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "U+%04llX", static_cast<unsigned long long>(v));
    std::string b = buf;
    if (s.sharp && v >= 0 && v <= 0x10FFFF && IsPrintRune(static_cast<uint32_t>(v))) {
      b += " '";
      AppendRune(&b, static_cast<uint32_t>(v));
      b += "'";
    }
    Pad(out, b, s, false);
    return;
  }
  int base = 10;
  const char* digits = "0123456789abcdefx";
  switch (verb) {
    case 'b': base = 2; break;
    case 'o': case 'O': base = 8; break;
    case 'x': base = 16; break;
    case 'X': base = 16; digits = "0123456789ABCDEFX"; break;
    default: break;
  }
  bool neg = v < 0;
  uint64_t u = neg ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string num;
  if (!(s.prec == 0 && u == 0)) {
    do {
      num.insert(num.begin(), digits[u % static_cast<uint64_t>(base)]);
      u /= static_cast<uint64_t>(base);
    } while (u != 0);
  }
  if (s.prec > 0 && num.size() < static_cast<size_t>(s.prec)) {
    num.insert(0, static_cast<size_t>(s.prec) - num.size(), '0');
  }
  std::string prefix;
  if (verb == 'O') prefix = "0o";
  if (s.sharp) {
    if (base == 2) prefix = "0b";
    if (base == 8 && (num.empty() || num[0] != '0')) prefix = "0";
    if (base == 16) prefix = verb == 'X' ? "0X" : "0x";
  }
  std::string sign = neg ? "-" : s.plus ? "+" : s.space ? " " : "";
  if (s.zero && !s.minus && s.prec < 0 && s.width > 0) {
    size_t used = sign.size() + prefix.size() + num.size();
    if (used < static_cast<size_t>(s.width)) num.insert(0, s.width - used, '0');
  }
  Spec nopad = s;
  nopad.zero = false;
  Pad(out, sign + prefix + num, nopad);
}

void FmtFloat(std::string* out, double v, char verb, const Spec& s) {
  std::string body;
  if (v != v || v == __builtin_inf() || v == -__builtin_inf()) {
    body = v != v ? "NaN" : v > 0 ? (s.plus ? "+Inf" : s.space ? " Inf" : "Inf") : "-Inf";
    Spec nz = s;
    nz.zero = false;
    Pad(out, body, nz);
    return;
  }
  int prec = s.prec;
  if (verb == 'v') {
    verb = 'g';
  }
  if (prec < 0 && (verb == 'f' || verb == 'F' || verb == 'e' || verb == 'E')) prec = 6;
  if (prec < 0 && (verb == 'g' || verb == 'G')) {
    AppendGoFloat(&body, v);
    if (verb == 'G') {
      for (char& c : body) {
        if (c == 'e') c = 'E';
      }
    }
  } else {
    char fmt[16];
    char conv = verb == 'F' ? 'f' : verb;
    std::snprintf(fmt, sizeof(fmt), "%%%s.*%c", s.sharp ? "#" : "", conv);
    char buf[512];
    int n = std::snprintf(buf, sizeof(buf), fmt, prec, v);
    if (n >= static_cast<int>(sizeof(buf))) {
      std::string big(static_cast<size_t>(n) + 1, '\0');
      std::snprintf(big.data(), big.size(), fmt, prec, v);
      big.resize(static_cast<size_t>(n));
      body = big;
    } else {
      body.assign(buf, static_cast<size_t>(n));
    }
  }
  if (body[0] != '-') {
    if (s.plus) {
      body.insert(body.begin(), '+');
    } else if (s.space) {
      body.insert(body.begin(), ' ');
    }
  }
  Pad(out, body, s);
}

void FmtString(std::string* out, std::string_view str, char verb, const Spec& s) {
  if (s.prec >= 0) {
    size_t i = 0;
    for (int k = 0; k < s.prec && i < str.size(); ++k) {
      uint32_t r;
      i += DecodeRune(str.substr(i), &r);
    }
    str = str.substr(0, i);
  }
  switch (verb) {
    case 'v':
    case 's':
      Pad(out, str, s);
      return;
    case 'q':
      if (s.sharp && str.find('`') == std::string_view::npos) {
        Pad(out, "`" + std::string(str) + "`", s);
        return;
      }
      Pad(out, GoQuote(str), s);
      return;
    case 'x':
    case 'X': {
      const char* hex = verb == 'x' ? "0123456789abcdef" : "0123456789ABCDEF";
      std::string b;
      for (size_t i = 0; i < str.size(); ++i) {
        if (s.space && i > 0) b.push_back(' ');
        if (s.sharp && (s.space || i == 0)) b += verb == 'x' ? "0x" : "0X";
        unsigned char c = static_cast<unsigned char>(str[i]);
        b.push_back(hex[c >> 4]);
        b.push_back(hex[c & 15]);
      }
      Pad(out, b, s);
      return;
    }
  }
}

void PrintArg(std::string* out, const Value& v, char verb, const Spec& s) {
  if (verb == 'T') {
    Pad(out, v.is_nil() ? std::string_view("<nil>") : v.TypeName(), s);
    return;
  }
  switch (v.kind()) {
    case Kind::kNil:
      if (verb == 'v') {
        Pad(out, "<nil>", s);
      } else {
        BadVerb(out, verb, v);
      }
      return;
    case Kind::kBool:
      if (verb == 'v' || verb == 't') {
        Pad(out, v.AsBool() ? "true" : "false", s);
      } else {
        BadVerb(out, verb, v);
      }
      return;
    case Kind::kInt:
    case Kind::kInt64:
      if (IsVerbIn(verb, "vdbcoOqxXU")) {
        FmtInteger(out, v.AsInt(), verb == 'v' ? 'd' : verb, s);
      } else {
        BadVerb(out, verb, v);
      }
      return;
    case Kind::kFloat:
      if (IsVerbIn(verb, "vgGeEfF")) {
        FmtFloat(out, v.AsFloat(), verb, s);
      } else {
        BadVerb(out, verb, v);
      }
      return;
    case Kind::kString:
      if (IsVerbIn(verb, "vsqxX")) {
        FmtString(out, v.AsString(), verb, s);
      } else {
        BadVerb(out, verb, v);
      }
      return;
    case Kind::kTime: {
      // time.Time is a Stringer: %v %s %q %x %X format its String().
      std::string str;
      AppendTimeString(&str, v.AsTime());
      if (IsVerbIn(verb, "vsqxX")) {
        FmtString(out, str, verb, s);
      } else {
        BadVerb(out, verb, v);
      }
      return;
    }
    case Kind::kList: {
      out->push_back('[');
      bool first = true;
      for (const Value& e : v.AsList()) {
        if (!first) out->push_back(' ');
        first = false;
        PrintArg(out, e, verb, s);
      }
      out->push_back(']');
      return;
    }
    case Kind::kMap: {
      out->append("map[");
      bool first = true;
      for (const auto& [k, e] : v.AsMap()) {
        if (!first) out->push_back(' ');
        first = false;
        FmtString(out, k, verb == 'v' ? 's' : verb, s);
        out->push_back(':');
        PrintArg(out, e, verb, s);
      }
      out->push_back(']');
      return;
    }
    case Kind::kLabels: {
      std::string str;
      AppendValue(&str, v);
      Pad(out, str, s);
      return;
    }
  }
}

}  // namespace

void GoSprint(std::string* out, std::span<const Value> args) {
  bool prev_string = false;
  for (size_t i = 0; i < args.size(); ++i) {
    bool is_string = args[i].kind() == Kind::kString;
    if (i > 0 && !is_string && !prev_string) out->push_back(' ');
    AppendValue(out, args[i], "<nil>");
    prev_string = is_string;
  }
}

void GoSprintln(std::string* out, std::span<const Value> args) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out->push_back(' ');
    AppendValue(out, args[i], "<nil>");
  }
  out->push_back('\n');
}

void GoSprintf(std::string* out, std::string_view f, std::span<const Value> args) {
  size_t argn = 0;
  size_t i = 0;
  while (i < f.size()) {
    size_t pct = f.find('%', i);
    if (pct == std::string_view::npos) {
      out->append(f.substr(i));
      break;
    }
    out->append(f.substr(i, pct - i));
    i = pct + 1;
    Spec s;
    for (; i < f.size(); ++i) {
      char c = f[i];
      if (c == '#') s.sharp = true;
      else if (c == '0') s.zero = !s.minus;
      else if (c == '+') s.plus = true;
      else if (c == '-') s.minus = true, s.zero = false;
      else if (c == ' ') s.space = true;
      else break;
    }
    auto read_num = [&](int* dst) {
      if (i < f.size() && f[i] == '*') {
        ++i;
        // Go's intFromArg: a width or precision beyond +-1e6 is bad, like a non-integer.
        if (argn < args.size() &&
            (args[argn].kind() == Kind::kInt || args[argn].kind() == Kind::kInt64) &&
            args[argn].AsInt() <= kMaxWidth && args[argn].AsInt() >= -kMaxWidth) {
          *dst = static_cast<int>(args[argn].AsInt());
          ++argn;
          return true;
        }
        ++argn;
        out->append("%!(BADWIDTH)");
        return false;
      }
      bool any = false;
      int n = 0;
      while (i < f.size() && f[i] >= '0' && f[i] <= '9') {
        if (n > kMaxWidth) {
          // Go's parsenum: a number this long is no number and swallows the rest of the
          // format, which then ends in %!(NOVERB) (and int overflow cannot happen).
          i = f.size();
          return false;
        }
        n = n * 10 + (f[i] - '0');
        ++i;
        any = true;
      }
      if (any) *dst = n;
      return any;
    };
    read_num(&s.width);
    if (s.width < 0 && s.width != -1) {
      s.minus = true;
      s.width = -s.width;
    }
    if (i < f.size() && f[i] == '.') {
      ++i;
      s.prec = 0;
      read_num(&s.prec);
      if (s.prec < 0) s.prec = -1;
    }
    if (i >= f.size()) {
      out->append("%!(NOVERB)");
      break;
    }
    uint32_t verb32;
    size_t w = DecodeRune(f.substr(i), &verb32);
    i += w;
    char verb = verb32 < 0x80 ? static_cast<char>(verb32) : '?';
    if (verb == '%') {
      out->push_back('%');
      continue;
    }
    if (argn >= args.size()) {
      out->append("%!");
      AppendRune(out, verb32);
      out->append("(MISSING)");
      continue;
    }
    const Value& a = args[argn++];
    if (!IsVerbIn(verb, "vTtdbcoOqxXUeEfFgGs") || verb32 >= 0x80) {
      out->append("%!");
      AppendRune(out, verb32);
      out->push_back('(');
      if (a.is_nil()) {
        out->append("<nil>");
      } else {
        out->append(a.TypeName());
        out->push_back('=');
        AppendValue(out, a);
      }
      out->push_back(')');
      continue;
    }
    PrintArg(out, a, verb, s);
  }
  if (argn < args.size()) {
    out->append("%!(EXTRA ");
    for (size_t k = argn; k < args.size(); ++k) {
      if (k > argn) out->append(", ");
      if (args[k].is_nil()) {
        out->append("<nil>");
      } else {
        out->append(args[k].TypeName());
        out->push_back('=');
        AppendValue(out, args[k]);
      }
    }
    out->push_back(')');
  }
}

}  // namespace fenrir::query::tmpl
