// Each row is what Prometheus' model.ParseDuration and Duration.String answer in
// prometheus/common v0.43.0, the version Loki 2.9 vendors.
#include "base/prom_duration.h"

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

namespace fenrir {
namespace {

constexpr int64_t kMs = 1000000;
constexpr int64_t kSec = 1000 * kMs;
constexpr int64_t kMin = 60 * kSec;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;

TEST_CASE("ParsePromDuration accepts what model.ParseDuration accepts", "[prom_duration]") {
  struct Case {
    std::string in;
    int64_t ns;
  };
  const std::vector<Case> cases = {
      {"0", 0},
      {"0s", 0},
      {"0w", 0},
      {"324ms", 324 * kMs},
      {"3s", 3 * kSec},
      {"5m", 5 * kMin},
      {"1h", kHour},
      {"4d1h", 4 * kDay + kHour},
      {"3w2d1h", 23 * kDay + kHour},
      {"10y", 3650 * kDay},
      {"1y2w3d4h5m6s7ms", 382 * kDay + 4 * kHour + 5 * kMin + 6 * kSec + 7 * kMs},
      {"90m", 90 * kMin},                   // no carrying into larger units
      {"007s", 7 * kSec},
      {"292y", 292 * 365 * kDay},
      {"106751d23h47m16s854ms", 9223372036854 * kMs},  // the largest
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto got = ParsePromDuration(c.in);
    REQUIRE(got.ok());
    CHECK(*got == c.ns);
  }
}

TEST_CASE("ParsePromDuration rejects what model.ParseDuration rejects, with its text",
          "[prom_duration]") {
  struct Case {
    std::string in;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"", "empty duration string"},
      {"1", R"(not a valid duration string: "1")"},
      {"d", R"(not a valid duration string: "d")"},
      {"-1w", R"(not a valid duration string: "-1w")"},
      {"5m1h", R"(not a valid duration string: "5m1h")"},      // largest unit first
      {"1h1h", R"(not a valid duration string: "1h1h")"},      // each unit once
      {"1ms1s", R"(not a valid duration string: "1ms1s")"},
      {"1y1m1d", R"(not a valid duration string: "1y1m1d")"},
      {"99999999999999999999s", R"(not a valid duration string: "99999999999999999999s")"},
      {"1.5h", R"(unknown unit "." in duration "1.5h")"},      // integers only
      {"5x", R"(unknown unit "x" in duration "5x")"},
      {"5 m", R"(unknown unit " m" in duration "5 m")"},
      {"1us", R"(unknown unit "us" in duration "1us")"},
      {"5\xc3\xa9", "unknown unit \"\xc3\xa9\" in duration \"5\xc3\xa9\""},  // strconv.Quote
      {"5\n", R"(unknown unit "\n" in duration "5\n")"},
      {"293y", "duration out of range"},
      {"106751d23h47m16s855ms", "duration out of range"},
      {"200y100y", R"(not a valid duration string: "200y100y")"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto got = ParsePromDuration(c.in);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message() == c.error);
  }
}

TEST_CASE("FormatPromDuration answers as model.Duration.String", "[prom_duration]") {
  struct Case {
    int64_t ns;
    std::string text;
  };
  const std::vector<Case> cases = {
      {0, "0s"},
      {999999, "0s"},  // below a millisecond
      {kMs, "1ms"},
      {1500 * kMs, "1s500ms"},
      {90 * kSec, "1m30s"},
      {kHour, "1h"},
      {721 * kHour, "30d1h"},
      {7 * kDay, "1w"},
      {14 * kDay, "2w"},
      {23 * kDay + kHour, "23d1h"},   // weeks only when they divide the duration
      {90 * kDay, "90d"},
      {365 * kDay, "1y"},
      {366 * kDay, "366d"},
      {730 * kDay, "2y"},
      {-5 * kMin, ""},                // Prometheus prints nothing for a negative duration
  };
  for (const auto& c : cases) {
    INFO(c.ns);
    CHECK(FormatPromDuration(c.ns) == c.text);
  }
}

}  // namespace
}  // namespace fenrir
