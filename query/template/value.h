#pragma once
// The dynamic values a template computes with: the subset of Go's types that Loki's templates can
// produce (labels map, strings, numbers, bools, times, and what fromJson decodes).

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fenrir::query {
struct TemplateData;
}

namespace fenrir::query::tmpl {

// Kinds mirror the Go types that flow through Loki's templates. kInt is Go's `int` (literals,
// len, count), kInt64 is `int64` (sprig arithmetic); Go keeps them apart for argument checks.
enum class Kind : uint8_t {
  kNil,     // an invalid reflect.Value or a nil interface: prints "<no value>" / "<nil>"
  kBool,
  kInt,
  kInt64,
  kFloat,
  kString,
  kTime,    // time.Time
  kList,    // []interface {}
  kMap,     // map[string]interface {}
  kLabels,  // the template's data: map[string]string
};

// A point in time with its zone, like Go's time.Time (without the monotonic clock).
struct Time {
  int64_t sec = kZeroSec;   // seconds since the Unix epoch
  int32_t nsec = 0;         // [0, 1e9)
  int32_t offset = 0;       // seconds east of UTC
  std::string_view zone = "UTC";  // abbreviation; points at static or interned storage
  // time.Time{}: January 1, year 1, 00:00:00 UTC.
  static constexpr int64_t kZeroSec = -62135596800;
  static Time FromUnixNanos(int64_t ns);
};

class Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value, std::less<>>;

// Cheap to copy: scalars inline, strings either borrowed (labels, template text, the line: all
// outlive one Execute) or owned through a shared buffer.
class Value {
 public:
  Value() = default;
  static Value Nil() { return Value(); }
  static Value Bool(bool b) { Value v(Kind::kBool); v.i_ = b; return v; }
  static Value Int(int64_t i) { Value v(Kind::kInt); v.i_ = i; return v; }
  static Value Int64(int64_t i) { Value v(Kind::kInt64); v.i_ = i; return v; }
  static Value Float(double f) { Value v(Kind::kFloat); v.f_ = f; return v; }
  // REQUIRES: s outlives the execution.
  static Value Borrowed(std::string_view s) { Value v(Kind::kString); v.s_ = s; return v; }
  static Value Owned(std::string s);
  static Value FromTime(const Time& t);
  static Value FromList(List l);
  static Value FromMap(Map m);
  static Value Labels(const TemplateData* data) { Value v(Kind::kLabels); v.labels_ = data; return v; }

  Kind kind() const { return kind_; }
  bool is_nil() const { return kind_ == Kind::kNil; }
  bool AsBool() const { return i_ != 0; }
  int64_t AsInt() const { return i_; }
  double AsFloat() const { return f_; }
  std::string_view AsString() const { return s_; }
  const Time& AsTime() const { return *static_cast<const Time*>(hold_.get()); }
  const List& AsList() const { return *static_cast<const List*>(hold_.get()); }
  const Map& AsMap() const { return *static_cast<const Map*>(hold_.get()); }
  const TemplateData* AsLabels() const { return labels_; }

  // Go's type name, as used in error messages ("string", "int64", "map[string]interface {}").
  std::string_view TypeName() const;
  // Go's truth: non-zero, non-empty. Every kind here has a truth value.
  bool Truth() const;

 private:
  explicit Value(Kind k) : kind_(k) {}
  Kind kind_ = Kind::kNil;
  int64_t i_ = 0;
  double f_ = 0;
  std::string_view s_;
  const TemplateData* labels_ = nullptr;
  std::shared_ptr<const void> hold_;
};

// Appends fmt.Sprint's rendering of v (%v). nil_text is what a nil prints as.
void AppendValue(std::string* out, const Value& v, std::string_view nil_text = "<nil>");
// Go's %v of a float64 (strconv 'g' with the shortest precision): 3, 0.5, 1e+06.
void AppendGoFloat(std::string* out, double f);
// Go's time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST".
void AppendTimeString(std::string* out, const Time& t);

}  // namespace fenrir::query::tmpl
