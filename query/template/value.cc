#include "query/template/value.h"

#include <charconv>
#include <cstdio>
#include <cstring>

#include "query/template/template.h"
#include "query/template/time.h"

namespace fenrir::query::tmpl {

Time Time::FromUnixNanos(int64_t ns) {
  Time t;
  t.sec = ns / 1000000000;
  int64_t rem = ns % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    t.sec -= 1;
  }
  t.nsec = static_cast<int32_t>(rem);
  return t;
}

Value Value::Owned(std::string s) {
  Value v(Kind::kString);
  auto p = std::make_shared<const std::string>(std::move(s));
  v.s_ = *p;
  v.hold_ = std::move(p);
  return v;
}

Value Value::FromTime(const Time& t) {
  Value v(Kind::kTime);
  v.hold_ = std::make_shared<const Time>(t);
  return v;
}

Value Value::FromList(List l) {
  Value v(Kind::kList);
  v.hold_ = std::make_shared<const List>(std::move(l));
  return v;
}

Value Value::FromMap(Map m) {
  Value v(Kind::kMap);
  v.hold_ = std::make_shared<const Map>(std::move(m));
  return v;
}

std::string_view Value::TypeName() const {
  switch (kind_) {
    case Kind::kNil: return "<nil>";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kInt64: return "int64";
    case Kind::kFloat: return "float64";
    case Kind::kString: return "string";
    case Kind::kTime: return "time.Time";
    case Kind::kList: return "[]interface {}";
    case Kind::kMap: return "map[string]interface {}";
    case Kind::kLabels: return "map[string]string";
  }
  return "<nil>";
}

bool Value::Truth() const {
  switch (kind_) {
    case Kind::kNil: return false;
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kInt64: return i_ != 0;
    case Kind::kFloat: return f_ != 0;
    case Kind::kString: return !s_.empty();
    case Kind::kTime: return true;  // structs are always true
    case Kind::kList: return !AsList().empty();
    case Kind::kMap: return !AsMap().empty();
    case Kind::kLabels: {
      bool any = false;
      if (labels_ != nullptr && labels_->each) {
        labels_->each([&](std::string_view, std::string_view) { any = true; });
      }
      return any;
    }
  }
  return false;
}

void AppendGoFloat(std::string* out, double f) {
  if (f != f) {
    out->append("NaN");
    return;
  }
  if (f == __builtin_inf()) {
    out->append("+Inf");
    return;
  }
  if (f == -__builtin_inf()) {
    out->append("-Inf");
    return;
  }
  // Shortest round-trip digits in scientific form: d[.ddd]e[+-]x.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), f, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  bool neg = false;
  if (!sci.empty() && sci[0] == '-') {
    neg = true;
    sci.remove_prefix(1);
  }
  size_t epos = sci.find('e');
  std::string digits;
  digits.push_back(sci[0]);
  if (epos > 1) digits.append(sci.substr(2, epos - 2));
  int exp = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  if (neg) out->push_back('-');
  // strconv's 'g' with the shortest precision switches to %e when exp < -4 || exp >= 6.
  if (exp < -4 || exp >= 6) {
    out->push_back(digits[0]);
    if (digits.size() > 1) {
      out->push_back('.');
      out->append(digits, 1, std::string::npos);
    }
    out->push_back('e');
    out->push_back(exp < 0 ? '-' : '+');
    int ae = exp < 0 ? -exp : exp;
    if (ae < 10) out->push_back('0');
    out->append(std::to_string(ae));
    return;
  }
  int dp = exp + 1;  // digits before the decimal point
  if (dp <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-dp), '0');
    out->append(digits);
    return;
  }
  if (static_cast<int>(digits.size()) <= dp) {
    out->append(digits);
    out->append(static_cast<size_t>(dp) - digits.size(), '0');
    return;
  }
  out->append(digits, 0, dp);
  out->push_back('.');
  out->append(digits, dp, std::string::npos);
}

void AppendTimeString(std::string* out, const Time& t) {
  AppendGoTime(out, t, "2006-01-02 15:04:05.999999999 -0700 MST");
}

void AppendValue(std::string* out, const Value& v, std::string_view nil_text) {
  switch (v.kind()) {
    case Kind::kNil: out->append(nil_text); return;
    case Kind::kBool: out->append(v.AsBool() ? "true" : "false"); return;
    case Kind::kInt:
    case Kind::kInt64: {
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof(buf), v.AsInt());
      out->append(buf, r.ptr - buf);
      return;
    }
    case Kind::kFloat: AppendGoFloat(out, v.AsFloat()); return;
    case Kind::kString: out->append(v.AsString()); return;
    case Kind::kTime: AppendTimeString(out, v.AsTime()); return;
    case Kind::kList: {
      out->push_back('[');
      bool first = true;
      for (const Value& e : v.AsList()) {
        if (!first) out->push_back(' ');
        first = false;
        AppendValue(out, e, "<nil>");
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
        out->append(k);
        out->push_back(':');
        AppendValue(out, e, "<nil>");
      }
      out->push_back(']');
      return;
    }
    case Kind::kLabels: {
      std::map<std::string, std::string, std::less<>> sorted;
      const TemplateData* d = v.AsLabels();
      if (d != nullptr && d->each) {
        d->each([&](std::string_view k, std::string_view val) {
          sorted.emplace(std::string(k), std::string(val));
        });
      }
      out->append("map[");
      bool first = true;
      for (const auto& [k, e] : sorted) {
        if (!first) out->push_back(' ');
        first = false;
        out->append(k);
        out->push_back(':');
        out->append(e);
      }
      out->push_back(']');
      return;
    }
  }
}

}  // namespace fenrir::query::tmpl
