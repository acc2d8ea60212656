#include "query/template/funcs.h"

#include <unordered_map>

#include "query/template/number.h"

namespace fenrir::query::tmpl {
namespace {

struct Table {
  std::vector<FuncDef> defs;
  std::unordered_map<std::string_view, const FuncDef*> by_name;
};

const Table& Funcs() {
  static const Table* table = [] {
    auto* t = new Table;
    AddBuiltinFuncs(&t->defs);
    AddStringFuncs(&t->defs);
    AddMathFuncs(&t->defs);
    AddDateFuncs(&t->defs);
    AddEncodingFuncs(&t->defs);
    for (const FuncDef& d : t->defs) t->by_name[d.name] = &d;
    return t;
  }();
  return *table;
}

}  // namespace

const FuncDef* FindFunc(std::string_view name) {
  const Table& t = Funcs();
  auto it = t.by_name.find(name);
  return it == t.by_name.end() ? nullptr : it->second;
}

Status Errorf(std::string msg) { return Status::InvalidArgument(std::move(msg)); }

int64_t ToInt64(const Value& v) {
  switch (v.kind()) {
    case Kind::kInt:
    case Kind::kInt64: return v.AsInt();
    case Kind::kBool: return v.AsBool() ? 1 : 0;
    case Kind::kFloat: {
      double f = v.AsFloat();
      if (f != f || f >= 9.3e18 || f <= -9.3e18) return INT64_MIN;  // Go's conversion on amd64
      return static_cast<int64_t>(f);
    }
    case Kind::kString: {
      int64_t i;
      return ParseGoInt(v.AsString(), 0, &i) ? i : 0;
    }
    default: return 0;
  }
}

double ToFloat64(const Value& v) {
  switch (v.kind()) {
    case Kind::kInt:
    case Kind::kInt64: return static_cast<double>(v.AsInt());
    case Kind::kBool: return v.AsBool() ? 1 : 0;
    case Kind::kFloat: return v.AsFloat();
    case Kind::kString: {
      double f;
      return ParseGoFloat(v.AsString(), &f) ? f : 0;
    }
    default: return 0;
  }
}

}  // namespace fenrir::query::tmpl
