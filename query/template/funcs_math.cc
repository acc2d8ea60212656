// Arithmetic: sprig's int64 math (add sub mul div mod max min), its decimal-exact float math
// (addf subf mulf divf, via shopspring/decimal), maxf minf ceil floor round int float64, and
// sprig's default.

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "query/template/template.h"
#include "query/template/funcs.h"

namespace fenrir::query::tmpl {
namespace {

using A = std::span<const Value>;
constexpr ParamType kAny = ParamType::kAny;
constexpr ParamType kI = ParamType::kInt;
constexpr ParamType kF = ParamType::kFloat;

Status FnAdd(const CallContext&, A a, Value* out) {
  int64_t s = 0;
  for (const Value& v : a) s += ToInt64(v);
  *out = Value::Int64(s);
  return Status::OK();
}
Status FnSub(const CallContext&, A a, Value* out) {
  *out = Value::Int64(ToInt64(a[0]) - ToInt64(a[1]));
  return Status::OK();
}
Status FnMul(const CallContext&, A a, Value* out) {
  int64_t p = ToInt64(a[0]);
  for (const Value& v : a.subspan(1)) p *= ToInt64(v);
  *out = Value::Int64(p);
  return Status::OK();
}
Status FnDiv(const CallContext&, A a, Value* out) {
  int64_t d = ToInt64(a[1]);
  if (d == 0) return Errorf("runtime error: integer divide by zero");
  int64_t n = ToInt64(a[0]);
  *out = Value::Int64(d == -1 ? static_cast<int64_t>(0 - static_cast<uint64_t>(n)) : n / d);
  return Status::OK();
}
Status FnMod(const CallContext&, A a, Value* out) {
  int64_t d = ToInt64(a[1]);
  if (d == 0) return Errorf("runtime error: integer divide by zero");
  *out = Value::Int64(d == -1 ? 0 : ToInt64(a[0]) % d);
  return Status::OK();
}
Status FnMax(const CallContext&, A a, Value* out) {
  int64_t m = ToInt64(a[0]);
  for (const Value& v : a.subspan(1)) m = std::max(m, ToInt64(v));
  *out = Value::Int64(m);
  return Status::OK();
}
Status FnMin(const CallContext&, A a, Value* out) {
  int64_t m = ToInt64(a[0]);
  for (const Value& v : a.subspan(1)) m = std::min(m, ToInt64(v));
  *out = Value::Int64(m);
  return Status::OK();
}

// math.Max / math.Min: NaN wins, +0 beats -0.
double GoMax(double x, double y) {
  if (std::isinf(x) && x > 0) return x;
  if (std::isinf(y) && y > 0) return y;
  if (std::isnan(x) || std::isnan(y)) return NAN;
  if (x == 0 && x == y) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}
double GoMin(double x, double y) {
  if (std::isinf(x) && x < 0) return x;
  if (std::isinf(y) && y < 0) return y;
  if (std::isnan(x) || std::isnan(y)) return NAN;
  if (x == 0 && x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}
Status FnMaxf(const CallContext&, A a, Value* out) {
  double m = ToFloat64(a[0]);
  for (const Value& v : a.subspan(1)) m = GoMax(m, ToFloat64(v));
  *out = Value::Float(m);
  return Status::OK();
}
Status FnMinf(const CallContext&, A a, Value* out) {
  double m = ToFloat64(a[0]);
  for (const Value& v : a.subspan(1)) m = GoMin(m, ToFloat64(v));
  *out = Value::Float(m);
  return Status::OK();
}

// An exact decimal: coef * 10^exp, like shopspring/decimal for the values floats produce.
struct Decimal {
  __int128 coef = 0;
  int exp = 0;
  bool exact = true;  // false when the value left __int128's range; then `approx` is used
  double approx = 0;
};

Decimal FromFloat(double f) {
  Decimal d;
  d.approx = f;
  if (!std::isfinite(f)) {
    d.exact = false;
    return d;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::scientific);
  std::string_view s(buf, r.ptr - buf);
  bool neg = s[0] == '-';
  if (neg) s.remove_prefix(1);
  size_t e = s.find('e');
  int exp = std::atoi(std::string(s.substr(e + 1)).c_str());
  std::string digits(1, s[0]);
  if (e > 1) digits += std::string(s.substr(2, e - 2));
  __int128 c = 0;
  for (char ch : digits) c = c * 10 + (ch - '0');
  d.coef = neg ? -c : c;
  d.exp = exp - static_cast<int>(digits.size()) + 1;
  return d;
}

double ToDouble(const Decimal& d) {
  if (!d.exact) return d.approx;
  __int128 c = d.coef;
  bool neg = c < 0;
  if (neg) c = -c;
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(c % 10)));
    c /= 10;
  } while (c != 0);
  std::string s = (neg ? "-" : "") + digits + "e" + std::to_string(d.exp);
  return std::strtod(s.c_str(), nullptr);
}

bool Scale(__int128* c, int by) {
  for (int i = 0; i < by; ++i) {
    if (*c > static_cast<__int128>(1e36) || *c < -static_cast<__int128>(1e36)) return false;
    *c *= 10;
  }
  return true;
}

Decimal AddSub(Decimal a, Decimal b, bool sub) {
  Decimal r;
  double fa = ToDouble(a), fb = ToDouble(b);
  r.approx = sub ? fa - fb : fa + fb;
  if (!a.exact || !b.exact) {
    r.exact = false;
    return r;
  }
  if (a.exp > b.exp) {
    if (!Scale(&a.coef, a.exp - b.exp)) return r.exact = false, r;
    a.exp = b.exp;
  } else if (b.exp > a.exp) {
    if (!Scale(&b.coef, b.exp - a.exp)) return r.exact = false, r;
    b.exp = a.exp;
  }
  r.coef = sub ? a.coef - b.coef : a.coef + b.coef;
  r.exp = a.exp;
  return r;
}

Decimal Mul(const Decimal& a, const Decimal& b) {
  Decimal r;
  r.approx = ToDouble(a) * ToDouble(b);
  if (!a.exact || !b.exact) {
    r.exact = false;
    return r;
  }
  r.coef = a.coef * b.coef;  // at most 17 + 17 digits: fits
  r.exp = a.exp + b.exp;
  return r;
}

// decimal.Div rounds to 16 fractional digits.
Decimal Div(const Decimal& a, const Decimal& b) {
  Decimal r;
  double q = ToDouble(a) / ToDouble(b);
  char buf[512];
  std::snprintf(buf, sizeof(buf), "%.16f", q);
  r.approx = std::isfinite(q) ? std::strtod(buf, nullptr) : q;
  r.exact = false;
  return r;
}

template <int Op>
Status FnDecimal(const CallContext&, A a, Value* out) {
  if (Op == 3) {
    for (const Value& v : a.subspan(1)) {
      if (ToFloat64(v) == 0) return Errorf("decimal division by 0");
    }
  }
  Decimal acc = Op == 0 ? FromFloat(0) : FromFloat(ToFloat64(a[0]));
  for (const Value& v : Op == 0 ? a : a.subspan(1)) {
    Decimal d = FromFloat(ToFloat64(v));
    switch (Op) {
      case 0: acc = AddSub(acc, d, false); break;
      case 1: acc = AddSub(acc, d, true); break;
      case 2: acc = Mul(acc, d); break;
      case 3: acc = Div(acc, d); break;
    }
  }
  *out = Value::Float(ToDouble(acc));
  return Status::OK();
}

Status FnCeil(const CallContext&, A a, Value* out) {
  *out = Value::Float(std::ceil(ToFloat64(a[0])));
  return Status::OK();
}
Status FnFloor(const CallContext&, A a, Value* out) {
  *out = Value::Float(std::floor(ToFloat64(a[0])));
  return Status::OK();
}
Status FnRound(const CallContext&, A a, Value* out) {
  double round_on = a.size() > 2 ? a[2].AsFloat() : 0.5;
  double val = ToFloat64(a[0]);
  double pow = std::pow(10, static_cast<double>(a[1].AsInt()));
  double digit = pow * val;
  double intpart;
  double frac = std::modf(digit, &intpart);
  double r = frac >= round_on ? std::ceil(digit) : std::floor(digit);
  *out = Value::Float(r / pow);
  return Status::OK();
}
Status FnInt(const CallContext&, A a, Value* out) {
  *out = Value::Int(ToInt64(a[0]));
  return Status::OK();
}
Status FnFloat64(const CallContext&, A a, Value* out) {
  *out = Value::Float(ToFloat64(a[0]));
  return Status::OK();
}

// sprig's empty(): nil, zero numbers, false, and empty strings, lists and maps.
bool Empty(const Value& v) {
  switch (v.kind()) {
    case Kind::kTime: return false;
    default: return !v.Truth();
  }
}
Status FnDefault(const CallContext&, A a, Value* out) {
  if (a.size() < 2 || Empty(a[1])) {
    *out = a[0];
  } else {
    *out = a[1];
  }
  return Status::OK();
}

}  // namespace

void AddMathFuncs(std::vector<FuncDef>* out) {
  out->push_back({"add", {kAny}, true, FnAdd});
  out->push_back({"sub", {kAny, kAny}, false, FnSub});
  out->push_back({"mul", {kAny, kAny}, true, FnMul});
  out->push_back({"div", {kAny, kAny}, false, FnDiv});
  out->push_back({"mod", {kAny, kAny}, false, FnMod});
  out->push_back({"max", {kAny, kAny}, true, FnMax});
  out->push_back({"min", {kAny, kAny}, true, FnMin});
  out->push_back({"addf", {kAny}, true, FnDecimal<0>});
  out->push_back({"subf", {kAny, kAny}, true, FnDecimal<1>});
  out->push_back({"mulf", {kAny, kAny}, true, FnDecimal<2>});
  out->push_back({"divf", {kAny, kAny}, true, FnDecimal<3>});
  out->push_back({"maxf", {kAny, kAny}, true, FnMaxf});
  out->push_back({"minf", {kAny, kAny}, true, FnMinf});
  out->push_back({"ceil", {kAny}, false, FnCeil});
  out->push_back({"floor", {kAny}, false, FnFloor});
  out->push_back({"round", {kAny, kI, kF}, true, FnRound});
  out->push_back({"int", {kAny}, false, FnInt});
  out->push_back({"float64", {kAny}, false, FnFloat64});
  out->push_back({"default", {kAny, kAny}, true, FnDefault});
}

}  // namespace fenrir::query::tmpl
