#include "base/humanize_bytes.h"

#include <cmath>
#include <cstdlib>

#include "base/go_quote.h"

namespace fenrir {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// strconv.ParseFloat of a run of digits and points: valid with a digit and at most one point.
Result<double> ParseDecimal(const std::string& num) {
  size_t digits = 0, points = 0;
  for (char c : num) (c == '.' ? points : digits) += 1;
  if (digits == 0 || points > 1) {
    return Status::InvalidArgument("strconv.ParseFloat: parsing " + GoQuote(num) +
                                   ": invalid syntax");
  }
  const double v = std::strtod(num.c_str(), nullptr);
  if (std::isinf(v)) {
    return Status::InvalidArgument("strconv.ParseFloat: parsing " + GoQuote(num) +
                                   ": value out of range");
  }
  return v;
}

struct SizeUnit {
  std::string_view name;
  double bytes;
};
constexpr SizeUnit kUnits[] = {
    {"", 1},   {"b", 1},
    {"k", 1e3},   {"kb", 1e3},   {"ki", 1024.0},                {"kib", 1024.0},
    {"m", 1e6},   {"mb", 1e6},   {"mi", 1048576.0},             {"mib", 1048576.0},
    {"g", 1e9},   {"gb", 1e9},   {"gi", 1073741824.0},          {"gib", 1073741824.0},
    {"t", 1e12},  {"tb", 1e12},  {"ti", 1099511627776.0},       {"tib", 1099511627776.0},
    {"p", 1e15},  {"pb", 1e15},  {"pi", 1125899906842624.0},    {"pib", 1125899906842624.0},
    {"e", 1e18},  {"eb", 1e18},  {"ei", 1152921504606846976.0}, {"eib", 1152921504606846976.0},
};

}  // namespace

Result<uint64_t> ParseHumanBytes(std::string_view s) {
  size_t last = 0;
  std::string num;
  for (; last < s.size() && (IsDigit(s[last]) || s[last] == '.' || s[last] == ','); ++last) {
    if (s[last] != ',') num.push_back(s[last]);  // commas group digits and are dropped
  }
  auto f = ParseDecimal(num);
  if (!f.ok()) return f.status();
  std::string_view rest = s.substr(last);
  while (!rest.empty() && IsAsciiSpace(rest.front())) rest.remove_prefix(1);
  while (!rest.empty() && IsAsciiSpace(rest.back())) rest.remove_suffix(1);
  std::string unit(rest);
  for (char& c : unit) {
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  }
  for (const SizeUnit& u : kUnits) {
    if (unit != u.name) continue;
    const double bytes = *f * u.bytes;
    if (bytes >= 18446744073709551616.0) {  // math.MaxUint64 as a float64 is 2^64
      return Status::InvalidArgument("too large: " + std::string(s));
    }
    return static_cast<uint64_t>(bytes);
  }
  return Status::InvalidArgument("unhandled size name: " + unit);
}

bool ParseHumanBytes(std::string_view s, uint64_t* bytes, std::string* error) {
  auto b = ParseHumanBytes(s);
  if (b.ok()) *bytes = *b;
  if (!b.ok()) *error = b.status().message();
  return b.ok();
}

}  // namespace fenrir
