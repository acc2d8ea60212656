#pragma once
// The function table templates can call: Go's builtins plus Loki's (sprig's and its own).
// Each function declares Go parameter types so that arguments are checked and converted the way
// text/template does (a string where an int is expected is an error, `1` converts to int).

#include <span>
#include <string_view>
#include <vector>

#include "query/template/value.h"
#include "base/status.h"

namespace fenrir::query {
struct TemplateData;
}

namespace fenrir::query::tmpl {

enum class ParamType : uint8_t {
  kString,  // string
  kInt,     // int
  kFloat,   // float64
  kAny,     // interface{} / reflect.Value
  kTime,    // time.Time
};

// What a function can see besides its arguments.
struct CallContext {
  const TemplateData* data;
};

// Returns an error Status (its message is the Go error text) or sets *out.
using FuncImpl = Status (*)(const CallContext& ctx, std::span<const Value> args, Value* out);

struct FuncDef {
  std::string_view name;
  std::vector<ParamType> params;  // when variadic, the last entry is the element type
  bool variadic = false;
  FuncImpl impl = nullptr;
  // and/or evaluate lazily (Go 1.18+): the executor handles them itself.
  bool short_circuit = false;
};

// nullptr when no function has that name.
const FuncDef* FindFunc(std::string_view name);
// Methods of time.Time callable as fields ({{ __timestamp__.Unix }}); the receiver is passed as
// the first argument and is not listed in params.
const FuncDef* FindTimeMethod(std::string_view name);

// Registration, one per family (template_funcs_*.cc).
void AddBuiltinFuncs(std::vector<FuncDef>* out);
void AddStringFuncs(std::vector<FuncDef>* out);
void AddMathFuncs(std::vector<FuncDef>* out);
void AddDateFuncs(std::vector<FuncDef>* out);
void AddEncodingFuncs(std::vector<FuncDef>* out);
void AddRegexFuncs(std::vector<FuncDef>* out);

// Helpers shared by the families.
Status Errorf(std::string msg);
// sprig's cast.ToInt64 / ToFloat64: numbers, bools and parseable strings; anything else is 0.
int64_t ToInt64(const Value& v);
double ToFloat64(const Value& v);
// url.QueryEscape.
std::string GoQueryEscape(std::string_view s);

}  // namespace fenrir::query::tmpl
