// Go's text/template builtins: and or not len index slice print printf println html js urlquery
// call eq ne lt le gt ge.

#include <string>

#include "query/template/template.h"
#include "query/template/fmt.h"
#include "query/template/funcs.h"
#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

using A = std::span<const Value>;
constexpr ParamType kAny = ParamType::kAny;

const char* kBadComparisonType = "invalid type for comparison";
const char* kBadComparison = "incompatible types for comparison";
const char* kNoComparison = "missing argument for comparison";

enum class BasicKind { kInvalid, kBool, kInt, kFloat, kString };

BasicKind Basic(const Value& v) {
  switch (v.kind()) {
    case Kind::kBool: return BasicKind::kBool;
    case Kind::kInt:
    case Kind::kInt64: return BasicKind::kInt;
    case Kind::kFloat: return BasicKind::kFloat;
    case Kind::kString: return BasicKind::kString;
    default: return BasicKind::kInvalid;
  }
}

Status Eq(const Value& a, A rest, bool* truth) {
  if (rest.empty()) return Errorf(kNoComparison);
  BasicKind k1 = Basic(a);
  for (const Value& b : rest) {
    BasicKind k2 = Basic(b);
    bool t = false;
    if (k1 != k2) {
      if (!a.is_nil() && !b.is_nil()) return Errorf(kBadComparison);
    } else {
      switch (k1) {
        case BasicKind::kBool: t = a.AsBool() == b.AsBool(); break;
        case BasicKind::kInt: t = a.AsInt() == b.AsInt(); break;
        case BasicKind::kFloat: t = a.AsFloat() == b.AsFloat(); break;
        case BasicKind::kString: t = a.AsString() == b.AsString(); break;
        case BasicKind::kInvalid:
          if (a.is_nil() || b.is_nil()) {
            t = a.is_nil() == b.is_nil();
          } else if (a.kind() != b.kind()) {
            return Errorf(kBadComparison);
          } else if (a.kind() == Kind::kTime) {
            const Time& x = a.AsTime();
            const Time& y = b.AsTime();
            t = x.sec == y.sec && x.nsec == y.nsec && x.offset == y.offset && x.zone == y.zone;
          } else {
            std::string s;
            AppendValue(&s, b);
            return Errorf("non-comparable type " + s + ": " + std::string(b.TypeName()));
          }
          break;
      }
    }
    if (t) {
      *truth = true;
      return Status::OK();
    }
  }
  *truth = false;
  return Status::OK();
}

Status Lt(const Value& a, const Value& b, bool* truth) {
  BasicKind k1 = Basic(a);
  if (k1 == BasicKind::kInvalid) return Errorf(kBadComparisonType);
  BasicKind k2 = Basic(b);
  if (k2 == BasicKind::kInvalid) return Errorf(kBadComparisonType);
  if (k1 != k2) return Errorf(kBadComparison);
  switch (k1) {
    case BasicKind::kInt: *truth = a.AsInt() < b.AsInt(); break;
    case BasicKind::kFloat: *truth = a.AsFloat() < b.AsFloat(); break;
    case BasicKind::kString: *truth = a.AsString() < b.AsString(); break;
    default: return Errorf(kBadComparisonType);
  }
  return Status::OK();
}

Status Le(const Value& a, const Value& b, bool* truth) {
  FENRIR_RETURN_IF_ERROR(Lt(a, b, truth));
  if (*truth) return Status::OK();
  return Eq(a, A(&b, 1), truth);
}

Status FnEq(const CallContext&, A a, Value* out) {
  bool t;
  FENRIR_RETURN_IF_ERROR(Eq(a[0], a.subspan(1), &t));
  *out = Value::Bool(t);
  return Status::OK();
}
Status FnNe(const CallContext&, A a, Value* out) {
  bool t;
  FENRIR_RETURN_IF_ERROR(Eq(a[0], a.subspan(1), &t));
  *out = Value::Bool(!t);
  return Status::OK();
}
Status FnLt(const CallContext&, A a, Value* out) {
  bool t;
  FENRIR_RETURN_IF_ERROR(Lt(a[0], a[1], &t));
  *out = Value::Bool(t);
  return Status::OK();
}
Status FnLe(const CallContext&, A a, Value* out) {
  bool t;
  FENRIR_RETURN_IF_ERROR(Le(a[0], a[1], &t));
  *out = Value::Bool(t);
  return Status::OK();
}
Status FnGt(const CallContext&, A a, Value* out) {
  bool t;
  FENRIR_RETURN_IF_ERROR(Le(a[0], a[1], &t));
  *out = Value::Bool(!t);
  return Status::OK();
}
Status FnGe(const CallContext&, A a, Value* out) {
  bool t;
  FENRIR_RETURN_IF_ERROR(Lt(a[0], a[1], &t));
  *out = Value::Bool(!t);
  return Status::OK();
}

Status FnNot(const CallContext&, A a, Value* out) {
  *out = Value::Bool(!a[0].Truth());
  return Status::OK();
}

// Unreachable: the executor evaluates and/or itself so that they short-circuit.
Status FnAndOr(const CallContext&, A a, Value* out) {
  *out = a.empty() ? Value::Nil() : a.back();
  return Status::OK();
}

size_t LabelCount(const TemplateData* d) {
  size_t n = 0;
  if (d != nullptr && d->each) d->each([&](std::string_view, std::string_view) { ++n; });
  return n;
}

Status FnLen(const CallContext&, A a, Value* out) {
  const Value& v = a[0];
  switch (v.kind()) {
    case Kind::kString: *out = Value::Int(static_cast<int64_t>(v.AsString().size())); break;
    case Kind::kList: *out = Value::Int(static_cast<int64_t>(v.AsList().size())); break;
    case Kind::kMap: *out = Value::Int(static_cast<int64_t>(v.AsMap().size())); break;
    case Kind::kLabels: *out = Value::Int(static_cast<int64_t>(LabelCount(v.AsLabels()))); break;
    case Kind::kNil: return Errorf("reflect: call of reflect.Value.Type on zero Value");
    default: return Errorf("len of type " + std::string(v.TypeName()));
  }
  return Status::OK();
}

Status IndexArg(const Value& index, size_t cap, int64_t* x) {
  if (index.kind() == Kind::kInt || index.kind() == Kind::kInt64) {
    *x = index.AsInt();
  } else if (index.is_nil()) {
    return Errorf("cannot index slice/array with nil");
  } else {
    return Errorf("cannot index slice/array with type " + std::string(index.TypeName()));
  }
  if (*x < 0 || static_cast<uint64_t>(*x) > cap) {
    return Errorf("index out of range: " + std::to_string(*x));
  }
  return Status::OK();
}

Status FnIndex(const CallContext&, A a, Value* out) {
  Value item = a[0];
  if (item.is_nil()) return Errorf("index of untyped nil");
  for (const Value& index : a.subspan(1)) {
    switch (item.kind()) {
      case Kind::kString:
      case Kind::kList: {
        size_t len = item.kind() == Kind::kString ? item.AsString().size() : item.AsList().size();
        int64_t x;
        FENRIR_RETURN_IF_ERROR(IndexArg(index, len, &x));
        if (static_cast<size_t>(x) == len) {
          return Errorf(item.kind() == Kind::kString ? "reflect: string index out of range"
                                                     : "reflect: slice index out of range");
        }
        if (item.kind() == Kind::kString) {
          item = Value::Int(static_cast<unsigned char>(item.AsString()[static_cast<size_t>(x)]));
        } else {
          Value next = item.AsList()[static_cast<size_t>(x)];
          item = std::move(next);
        }
        break;
      }
      case Kind::kMap:
      case Kind::kLabels: {
        if (index.is_nil()) return Errorf("value is nil; should be of type string");
        if (index.kind() != Kind::kString) {
          return Errorf("value has type " + std::string(index.TypeName()) + "; should be string");
        }
        if (item.kind() == Kind::kMap) {
          const Map& m = item.AsMap();
          auto it = m.find(index.AsString());
          Value next = it == m.end() ? Value::Nil() : it->second;
          item = std::move(next);
        } else {
          const TemplateData* d = item.AsLabels();
          const std::string* s = d != nullptr && d->lookup ? d->lookup(index.AsString()) : nullptr;
          item = Value::Borrowed(s != nullptr ? std::string_view(*s) : std::string_view());
        }
        break;
      }
      case Kind::kNil:
        return Errorf("index of nil pointer");
      default:
        return Errorf("can't index item of type " + std::string(item.TypeName()));
    }
  }
  *out = std::move(item);
  return Status::OK();
}

Status FnSlice(const CallContext&, A a, Value* out) {
  const Value& item = a[0];
  A idx_args = a.subspan(1);
  if (item.is_nil()) return Errorf("slice of untyped nil");
  if (idx_args.size() > 3) return Errorf("too many slice indexes: " + std::to_string(idx_args.size()));
  size_t len;
  if (item.kind() == Kind::kString) {
    if (idx_args.size() == 3) return Errorf("cannot 3-index slice a string");
    len = item.AsString().size();
  } else if (item.kind() == Kind::kList) {
    len = item.AsList().size();
  } else {
    return Errorf("can't slice item of type " + std::string(item.TypeName()));
  }
  int64_t idx[3] = {0, static_cast<int64_t>(len), static_cast<int64_t>(len)};
  for (size_t i = 0; i < idx_args.size(); ++i) {
    FENRIR_RETURN_IF_ERROR(IndexArg(idx_args[i], len, &idx[i]));
  }
  if (idx[0] > idx[1]) {
    return Errorf("invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1]));
  }
  if (idx_args.size() == 3 && idx[1] > idx[2]) {
    return Errorf("invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2]));
  }
  if (item.kind() == Kind::kString) {
    std::string_view s = item.AsString().substr(static_cast<size_t>(idx[0]),
                                                static_cast<size_t>(idx[1] - idx[0]));
    *out = Value::Owned(std::string(s));
  } else {
    const List& l = item.AsList();
    *out = Value::FromList(List(l.begin() + idx[0], l.begin() + idx[1]));
  }
  return Status::OK();
}

Status FnPrint(const CallContext&, A a, Value* out) {
  std::string s;
  GoSprint(&s, a);
  *out = Value::Owned(std::move(s));
  return Status::OK();
}
Status FnPrintln(const CallContext&, A a, Value* out) {
  std::string s;
  GoSprintln(&s, a);
  *out = Value::Owned(std::move(s));
  return Status::OK();
}
Status FnPrintf(const CallContext&, A a, Value* out) {
  std::string s;
  GoSprintf(&s, a[0].AsString(), a.subspan(1));
  *out = Value::Owned(std::move(s));
  return Status::OK();
}

// text/template's evalArgs: the one string as is, else fmt.Sprint with nil as "<no value>".
std::string EvalArgs(A a) {
  if (a.size() == 1 && a[0].kind() == Kind::kString) return std::string(a[0].AsString());
  std::vector<Value> args(a.begin(), a.end());
  for (Value& v : args) {
    if (v.is_nil()) v = Value::Borrowed("<no value>");
  }
  std::string s;
  GoSprint(&s, args);
  return s;
}

Status FnHtml(const CallContext&, A a, Value* out) {
  std::string in = EvalArgs(a), s;
  for (char c : in) {
    switch (c) {
      case '"': s += "&#34;"; break;
      case '\'': s += "&#39;"; break;
      case '&': s += "&amp;"; break;
      case '<': s += "&lt;"; break;
      case '>': s += "&gt;"; break;
      case '\0': s += "\xEF\xBF\xBD"; break;
      default: s.push_back(c);
    }
  }
  *out = Value::Owned(std::move(s));
  return Status::OK();
}

Status FnJs(const CallContext&, A a, Value* out) {
  std::string in = EvalArgs(a), s;
  static const char* kHex = "0123456789ABCDEF";
  for (size_t i = 0; i < in.size();) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\': s += "\\\\"; break;
        case '\'': s += "\\'"; break;
        case '"': s += "\\\""; break;
        case '<': s += "\\u003C"; break;
        case '>': s += "\\u003E"; break;
        case '&': s += "\\u0026"; break;
        case '=': s += "\\u003D"; break;
        default:
          if (c < ' ') {
            s += "\\u00";
            s.push_back(kHex[c >> 4]);
            s.push_back(kHex[c & 15]);
          } else {
            s.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    uint32_t r;
    size_t w = DecodeRune(std::string_view(in).substr(i), &r);
    if (IsPrintRune(r)) {
      s.append(in, i, w);
    } else {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "\\u%04X", r);
      s += buf;
    }
    i += w;
  }
  *out = Value::Owned(std::move(s));
  return Status::OK();
}

Status FnCall(const CallContext&, A a, Value*) {
  if (a[0].is_nil()) return Errorf("call of nil");
  return Errorf("non-function of type " + std::string(a[0].TypeName()));
}

Status FnUrlquery(const CallContext&, A a, Value* out) {
  *out = Value::Owned(GoQueryEscape(EvalArgs(a)));
  return Status::OK();
}
}  // namespace

void AddBuiltinFuncs(std::vector<FuncDef>* out) {
  out->push_back({"and", {kAny, kAny}, true, FnAndOr, true});
  out->push_back({"or", {kAny, kAny}, true, FnAndOr, true});
  out->push_back({"not", {kAny}, false, FnNot});
  out->push_back({"len", {kAny}, false, FnLen});
  out->push_back({"index", {kAny, kAny}, true, FnIndex});
  out->push_back({"slice", {kAny, kAny}, true, FnSlice});
  out->push_back({"print", {kAny}, true, FnPrint});
  out->push_back({"printf", {ParamType::kString, kAny}, true, FnPrintf});
  out->push_back({"println", {kAny}, true, FnPrintln});
  out->push_back({"html", {kAny}, true, FnHtml});
  out->push_back({"js", {kAny}, true, FnJs});
  out->push_back({"urlquery", {kAny}, true, FnUrlquery});
  out->push_back({"call", {kAny, kAny}, true, FnCall});
  out->push_back({"eq", {kAny, kAny}, true, FnEq});
  out->push_back({"ne", {kAny, kAny}, false, FnNe});
  out->push_back({"lt", {kAny, kAny}, false, FnLt});
  out->push_back({"le", {kAny, kAny}, false, FnLe});
  out->push_back({"gt", {kAny, kAny}, false, FnGt});
  out->push_back({"ge", {kAny, kAny}, false, FnGe});
}

}  // namespace fenrir::query::tmpl
