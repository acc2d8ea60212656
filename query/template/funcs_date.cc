// Time functions: Loki's __line__ / __timestamp__, sprig's date/toDate/now/unixEpoch, Loki's
// toDateInZone/unixEpochMillis/unixEpochNanos/unixToTime/duration, and time.Time's methods.
// The server's local zone is UTC (as in Loki's container images).

#include <chrono>

#include "query/template/template.h"
#include "query/template/funcs.h"
#include "query/template/number.h"
#include "query/template/strconv.h"
#include "query/template/time.h"

namespace fenrir::query::tmpl {
namespace {

using A = std::span<const Value>;
constexpr ParamType kS = ParamType::kString;
constexpr ParamType kT = ParamType::kTime;
constexpr ParamType kAny = ParamType::kAny;

Time Now() {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  return Time::FromUnixNanos(ns);
}

// a * b + c with Go's int64 wrap-around (signed overflow is undefined in C++): unixToTime and
// UnixMilli/UnixNano multiply in Go and wrap for times outside int64 nanoseconds.
int64_t GoMulAdd(int64_t a, int64_t b, int64_t c = 0) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b) +
                              static_cast<uint64_t>(c));
}

Time Unix(int64_t sec, int64_t nsec) {
  Time t = Time::FromUnixNanos(nsec);
  t.sec += sec;
  return t;
}

Status FnLine(const CallContext& ctx, A, Value* out) {
  *out = Value::Borrowed(ctx.data->line);
  return Status::OK();
}
Status FnTimestamp(const CallContext& ctx, A, Value* out) {
  *out = Value::FromTime(Time::FromUnixNanos(ctx.data->timestamp_ns));
  return Status::OK();
}
Status FnNow(const CallContext&, A, Value* out) {
  *out = Value::FromTime(Now());
  return Status::OK();
}

// sprig's date: a time.Time, or int/int64 seconds; anything else formats the current time.
Status FnDate(const CallContext&, A a, Value* out) {
  Time t;
  switch (a[1].kind()) {
    case Kind::kTime: t = a[1].AsTime(); break;
    case Kind::kInt:
    case Kind::kInt64: t = Unix(a[1].AsInt(), 0); break;
    default: t = Now();
  }
  t.offset = 0;
  t.zone = "UTC";
  std::string s;
  AppendGoTime(&s, t, a[0].AsString());
  *out = Value::Owned(std::move(s));
  return Status::OK();
}

Status FnToDate(const CallContext&, A a, Value* out) {
  Time t;
  std::string err;
  if (!ParseGoTime(a[0].AsString(), a[1].AsString(), &t, &err)) t = Time();
  *out = Value::FromTime(t);
  return Status::OK();
}

Status FnToDateInZone(const CallContext&, A a, Value* out) {
  Time t;
  std::string err;
  if (!ParseGoTime(a[0].AsString(), a[2].AsString(), &t, &err)) t = Time();
  *out = Value::FromTime(t);
  return Status::OK();
}

Status FnUnixEpoch(const CallContext&, A a, Value* out) {
  *out = Value::Owned(std::to_string(a[0].AsTime().sec));
  return Status::OK();
}
Status FnUnixEpochMillis(const CallContext&, A a, Value* out) {
  const Time& t = a[0].AsTime();
  *out = Value::Owned(std::to_string(GoMulAdd(t.sec, 1000, t.nsec / 1000000)));
  return Status::OK();
}
Status FnUnixEpochNanos(const CallContext&, A a, Value* out) {
  const Time& t = a[0].AsTime();
  *out = Value::Owned(std::to_string(GoMulAdd(t.sec, 1000000000, t.nsec)));
  return Status::OK();
}

Status FnUnixToTime(const CallContext&, A a, Value* out) {
  std::string_view s = a[0].AsString();
  int64_t i;
  if (!ParseGoInt(s, 10, &i)) {
    return Errorf("unable to parse time '" + std::string(s) + "': strconv.ParseInt: parsing " +
                  GoQuote(s) + ": invalid syntax");
  }
  Time t;
  switch (s.size()) {
    case 5: t = Unix(GoMulAdd(i, 86400), 0); break;
    case 10: t = Unix(i, 0); break;
    case 13: t = Unix(0, GoMulAdd(i, 1000000)); break;
    case 16: t = Unix(0, GoMulAdd(i, 1000)); break;
    case 19: t = Unix(0, i); break;
    default: return Errorf("unable to parse time '" + std::string(s) + "': %!w(<nil>)");
  }
  *out = Value::FromTime(t);
  return Status::OK();
}

Status FnDuration(const CallContext&, A a, Value* out) {
  int64_t ns;
  std::string err;
  if (!ParseGoDuration(a[0].AsString(), &ns, &err)) return Errorf(err);
  // Duration.Seconds(): whole seconds plus the fraction.
  int64_t sec = ns / 1000000000, nsec = ns % 1000000000;
  *out = Value::Float(static_cast<double>(sec) + static_cast<double>(nsec) / 1e9);
  return Status::OK();
}

// time.Time methods; a[0] is the receiver.
Status MFormat(const CallContext&, A a, Value* out) {
  std::string s;
  AppendGoTime(&s, a[0].AsTime(), a[1].AsString());
  *out = Value::Owned(std::move(s));
  return Status::OK();
}
Status MString(const CallContext&, A a, Value* out) {
  std::string s;
  AppendTimeString(&s, a[0].AsTime());
  *out = Value::Owned(std::move(s));
  return Status::OK();
}
Status MUnix(const CallContext&, A a, Value* out) {
  *out = Value::Int64(a[0].AsTime().sec);
  return Status::OK();
}
Status MUnixMilli(const CallContext&, A a, Value* out) {
  *out = Value::Int64(a[0].AsTime().sec * 1000 + a[0].AsTime().nsec / 1000000);
  return Status::OK();
}
Status MUnixMicro(const CallContext&, A a, Value* out) {
  *out = Value::Int64(a[0].AsTime().sec * 1000000 + a[0].AsTime().nsec / 1000);
  return Status::OK();
}
Status MUnixNano(const CallContext&, A a, Value* out) {
  *out = Value::Int64(a[0].AsTime().sec * 1000000000 + a[0].AsTime().nsec);
  return Status::OK();
}
Status MUTC(const CallContext&, A a, Value* out) {
  Time t = a[0].AsTime();
  t.offset = 0;
  t.zone = "UTC";
  *out = Value::FromTime(t);
  return Status::OK();
}
Status MIsZero(const CallContext&, A a, Value* out) {
  *out = Value::Bool(a[0].AsTime().sec == Time::kZeroSec && a[0].AsTime().nsec == 0);
  return Status::OK();
}
template <int Civil::*F>
Status MCivil(const CallContext&, A a, Value* out) {
  *out = Value::Int(ToCivil(a[0].AsTime()).*F);
  return Status::OK();
}
Status MYear(const CallContext&, A a, Value* out) {
  *out = Value::Int(ToCivil(a[0].AsTime()).year);
  return Status::OK();
}
Status MNanosecond(const CallContext&, A a, Value* out) {
  *out = Value::Int(a[0].AsTime().nsec);
  return Status::OK();
}

const std::vector<FuncDef>& TimeMethods() {
  static const auto* m = new std::vector<FuncDef>{
      {"Format", {kS}, false, MFormat},
      {"String", {}, false, MString},
      {"Unix", {}, false, MUnix},
      {"UnixMilli", {}, false, MUnixMilli},
      {"UnixMicro", {}, false, MUnixMicro},
      {"UnixNano", {}, false, MUnixNano},
      {"UTC", {}, false, MUTC},
      {"Local", {}, false, MUTC},
      {"IsZero", {}, false, MIsZero},
      {"Year", {}, false, MYear},
      {"YearDay", {}, false, MCivil<&Civil::yday>},
      {"Day", {}, false, MCivil<&Civil::day>},
      {"Hour", {}, false, MCivil<&Civil::hour>},
      {"Minute", {}, false, MCivil<&Civil::minute>},
      {"Second", {}, false, MCivil<&Civil::second>},
      {"Nanosecond", {}, false, MNanosecond},
  };
  return *m;
}

}  // namespace

const FuncDef* FindTimeMethod(std::string_view name) {
  for (const FuncDef& d : TimeMethods()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

void AddDateFuncs(std::vector<FuncDef>* out) {
  out->push_back({"__line__", {}, false, FnLine});
  out->push_back({"__timestamp__", {}, false, FnTimestamp});
  out->push_back({"now", {}, false, FnNow});
  out->push_back({"date", {kS, kAny}, false, FnDate});
  out->push_back({"toDate", {kS, kS}, false, FnToDate});
  out->push_back({"toDateInZone", {kS, kS, kS}, false, FnToDateInZone});
  out->push_back({"unixEpoch", {kT}, false, FnUnixEpoch});
  out->push_back({"unixEpochMillis", {kT}, false, FnUnixEpochMillis});
  out->push_back({"unixEpochNanos", {kT}, false, FnUnixEpochNanos});
  out->push_back({"unixToTime", {kS}, false, FnUnixToTime});
  out->push_back({"duration", {kS}, false, FnDuration});
  out->push_back({"duration_seconds", {kS}, false, FnDuration});
}

}  // namespace fenrir::query::tmpl
