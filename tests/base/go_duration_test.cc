// Each row is what Go's time.ParseDuration and Duration.String answer (go doc time), most taken
// from the cases Go's own time package tests.
#include "base/go_duration.h"

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

namespace fenrir {
namespace {

constexpr int64_t kUs = 1000;
constexpr int64_t kMs = 1000 * kUs;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kLowest = std::numeric_limits<int64_t>::min();

TEST_CASE("ParseGoDuration accepts what time.ParseDuration accepts", "[go_duration]") {
  struct Case {
    std::string in;
    int64_t ns;
  };
  const std::vector<Case> cases = {
      {"0", 0},
      {"-0", 0},
      {"+0", 0},
      {"5s", 5 * kSec},
      {"-5s", -5 * kSec},
      {"+5s", 5 * kSec},
      {"5.0s", 5 * kSec},
      {"5.6s", 5 * kSec + 600 * kMs},
      {"5.s", 5 * kSec},
      {".5s", 500 * kMs},
      {"1.004s", kSec + 4 * kMs},
      {"100.00100s", 100 * kSec + kMs},
      {"1.5h", 90 * kMin},
      {"10ns", 10},
      {"11us", 11 * kUs},
      {"12\xc2\xb5s", 12 * kUs},  // µs, U+00B5 MICRO SIGN
      {"12\xce\xbcs", 12 * kUs},  // μs, U+03BC GREEK SMALL LETTER MU
      {"13ms", 13 * kMs},
      {"15m", 15 * kMin},
      {"16h", 16 * kHour},
      {"3h30m", 3 * kHour + 30 * kMin},
      {"10.5s4m", 4 * kMin + 10 * kSec + 500 * kMs},
      {"-2m3.4s", -(2 * kMin + 3 * kSec + 400 * kMs)},
      {"1h2m3s4ms5us6ns", kHour + 2 * kMin + 3 * kSec + 4 * kMs + 5 * kUs + 6},
      {"-30m1h", -90 * kMin},  // units may come in any order
      {"1h0m0s", kHour},
      // a fraction is scaled in float64 and truncated, not rounded
      {"1.9999999999s", 1999999999},
      {"0.3333333333333333333h", 20 * kMin},
      {"0.100000000000000000000h", 6 * kMin},
      {"0.830103483285477580700h", 49 * kMin + 48 * kSec + 372539827},
      {"9007199254740993ns", (int64_t{1} << 53) + 1},  // not a float64
      {"9223372036854775807ns", kMax},
      {"9223372036854775.807us", kMax},
      {"9223372036s854ms775us807ns", kMax},
      {"-9223372036854775808ns", kLowest},
      {"-9223372036854775.808us", kLowest},
      {"-2562047h47m16.854775808s", kLowest},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto got = ParseGoDuration(c.in);
    REQUIRE(got.ok());
    CHECK(*got == c.ns);
  }
}

TEST_CASE("ParseGoDuration rejects what time.ParseDuration rejects, with Go's text",
          "[go_duration]") {
  struct Case {
    std::string in;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"", R"(time: invalid duration "")"},
      {"-", R"(time: invalid duration "-")"},
      {"s", R"(time: invalid duration "s")"},
      {".", R"(time: invalid duration ".")"},
      {"-.", R"(time: invalid duration "-.")"},
      {".s", R"(time: invalid duration ".s")"},
      {"+.s", R"(time: invalid duration "+.s")"},
      // a sign only at the start; a unit is every byte up to a digit or '.'
      {"1h-2m", R"(time: unknown unit "h-" in duration "1h-2m")"},
      {"--1s", R"(time: invalid duration "--1s")"},
      {"3", R"(time: missing unit in duration "3")"},
      {"1h30", R"(time: missing unit in duration "1h30")"},
      {"1..5s", R"(time: missing unit in duration "1..5s")"},
      {"1d", R"(time: unknown unit "d" in duration "1d")"},
      {"5 s", R"(time: unknown unit " s" in duration "5 s")"},
      {"1S", R"(time: unknown unit "S" in duration "1S")"},
      // the time package quotes every non-ASCII byte, unlike strconv.Quote
      {"\x85\x85", R"(time: invalid duration "\x85\x85")"},
      {"\xef\xbf\xbd", R"(time: invalid duration "\xef\xbf\xbd")"},
      {"1\xc3\xa9", R"(time: unknown unit "\xc3\xa9" in duration "1\xc3\xa9")"},
      {"1\"s", R"(time: unknown unit "\"s" in duration "1\"s")"},
      // outside int64 nanoseconds
      {"9223372036854775808ns", R"(time: invalid duration "9223372036854775808ns")"},
      {"9223372036854775810ns", R"(time: invalid duration "9223372036854775810ns")"},
      {"-9223372036854775809ns", R"(time: invalid duration "-9223372036854775809ns")"},
      {"9223372036854776us", R"(time: invalid duration "9223372036854776us")"},
      {"3000000h", R"(time: invalid duration "3000000h")"},
      {"9223372036854775.808us", R"(time: invalid duration "9223372036854775.808us")"},
      {"9223372036854ms775us808ns", R"(time: invalid duration "9223372036854ms775us808ns")"},
      {"99999999999999999999s", R"(time: invalid duration "99999999999999999999s")"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto got = ParseGoDuration(c.in);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message() == c.error);
  }
}

TEST_CASE("ParseGoDuration's error-text form agrees with the Result form", "[go_duration]") {
  int64_t ns = 7;
  std::string error;
  CHECK(ParseGoDuration("1h2m3.5s", &ns, &error));
  CHECK(ns == kHour + 2 * kMin + 3500 * kMs);
  CHECK(error.empty());
  ns = 7;
  CHECK_FALSE(ParseGoDuration("12y", &ns, &error));
  CHECK(error == R"(time: unknown unit "y" in duration "12y")");
  CHECK(ns == 7);
}

TEST_CASE("FormatGoDuration answers as Duration.String", "[go_duration]") {
  struct Case {
    int64_t ns;
    std::string text;
  };
  const std::vector<Case> cases = {
      {0, "0s"},
      {1, "1ns"},
      {999, "999ns"},
      {1100, "1.1\xc2\xb5s"},
      {2200 * kUs, "2.2ms"},
      {3300 * kMs, "3.3s"},
      {4 * kMin + 5 * kSec, "4m5s"},
      {4 * kMin + 5001 * kMs, "4m5.001s"},
      {5 * kHour + 6 * kMin + 7001 * kMs, "5h6m7.001s"},
      {8 * kMin + 1, "8m0.000000001s"},
      {kHour, "1h0m0s"},
      {745 * kHour, "745h0m0s"},
      {-1500 * kMs, "-1.5s"},
      {-2 * kMin, "-2m0s"},
      {-1, "-1ns"},
      {kMax, "2562047h47m16.854775807s"},
      {kLowest, "-2562047h47m16.854775808s"},
  };
  for (const auto& c : cases) {
    INFO(c.ns);
    CHECK(FormatGoDuration(c.ns) == c.text);
  }
}

TEST_CASE("Go durations survive a format and parse round trip", "[go_duration]") {
  for (int64_t ns : {int64_t{0}, int64_t{1}, 1500 * kUs, 90 * kMin + 1, kMax, kLowest, -kSec}) {
    INFO(ns);
    auto back = ParseGoDuration(FormatGoDuration(ns));
    REQUIRE(back.ok());
    CHECK(*back == ns);
  }
}

}  // namespace
}  // namespace fenrir
