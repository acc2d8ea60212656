#include "base/prom_duration.h"

#include <iterator>

#include "base/go_quote.h"

namespace fenrir {

namespace {

constexpr uint64_t kMsNanos = 1000000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status NotValid(std::string_view s) {
  return Status::InvalidArgument("not a valid duration string: " + GoQuote(s));
}

struct Unit {
  std::string_view name;
  uint64_t ms;
};
// Largest first: the order in which a duration must name them.
constexpr Unit kUnits[] = {{"y", 365ULL * 24 * 3600 * 1000}, {"w", 7ULL * 24 * 3600 * 1000},
                           {"d", 24ULL * 3600 * 1000},       {"h", 3600ULL * 1000},
                           {"m", 60ULL * 1000},              {"s", 1000},
                           {"ms", 1}};

}  // namespace

Result<int64_t> ParsePromDuration(std::string_view s) {
  if (s == "0") return int64_t{0};
  if (s.empty()) return Status::InvalidArgument("empty duration string");
  const std::string_view orig = s;
  uint64_t total = 0;
  size_t next_unit = 0;  // index into kUnits of the largest unit still allowed
  while (!s.empty()) {
    if (!IsDigit(s[0])) return NotValid(orig);
    size_t i = 0;
    uint64_t v = 0;
    bool too_long = false;  // strconv.ParseUint's range error
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      const uint64_t digit = static_cast<uint64_t>(s[i] - '0');
      if (v > (UINT64_MAX - digit) / 10) too_long = true;
      v = v * 10 + digit;
    }
    if (too_long) return NotValid(orig);
    s.remove_prefix(i);
    size_t u = 0;
    while (u < s.size() && !IsDigit(s[u])) ++u;
    if (u == 0) return NotValid(orig);
    const std::string_view unit_text = s.substr(0, u);
    s.remove_prefix(u);
    size_t k = 0;
    while (k < std::size(kUnits) && kUnits[k].name != unit_text) ++k;
    if (k == std::size(kUnits)) {
      return Status::InvalidArgument("unknown unit " + GoQuote(unit_text) + " in duration " +
                                     GoQuote(orig));
    }
    if (k < next_unit) return NotValid(orig);
    next_unit = k + 1;
    const uint64_t mult = kUnits[k].ms * kMsNanos;
    if (v > (uint64_t{1} << 63) / mult) return Status::InvalidArgument("duration out of range");
    total += v * mult;
    if (total > static_cast<uint64_t>(INT64_MAX)) {
      return Status::InvalidArgument("duration out of range");
    }
  }
  return static_cast<int64_t>(total);
}

std::string FormatPromDuration(int64_t ns) {
  int64_t ms = ns / static_cast<int64_t>(kMsNanos);
  if (ms == 0) return "0s";
  std::string out;
  for (const Unit& u : kUnits) {
    const int64_t mult = static_cast<int64_t>(u.ms);
    // Only years and weeks must divide exactly: 90d reads better than 12w6d.
    const bool exact = u.name == "y" || u.name == "w";
    if (exact && ms % mult != 0) continue;
    const int64_t v = ms / mult;
    if (v > 0) {
      out += std::to_string(v);
      out += u.name;
      ms -= v * mult;
    }
  }
  return out;
}

}  // namespace fenrir
