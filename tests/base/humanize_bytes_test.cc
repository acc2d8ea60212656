// Each row is what go-humanize's ParseBytes answers (its own tests give most of them).
#include "base/humanize_bytes.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace fenrir {
namespace {

TEST_CASE("ParseHumanBytes accepts what humanize.ParseBytes accepts", "[humanize_bytes]") {
  struct Case {
    std::string in;
    uint64_t bytes;
  };
  const std::vector<Case> cases = {
      {"42", 42},
      {"5b", 5},
      {"42MB", 42000000},
      {"42mb", 42000000},
      {"42MiB", 44040192},
      {"42MIB", 44040192},
      {"42 MB", 42000000},
      {"42 MiB\t", 44040192},
      {"42 M", 42000000},
      {"42 Mi", 44040192},
      {"42.5MB", 42500000},
      {"42.5MiB", 44564480},
      {"1.5GiB", 1610612736},
      {"10k", 10000},
      {"1KiB", 1024},
      {"1,024", 1024},
      {"1,005.03 MB", 1005030000},
      {"1,005.03 MiB", 1053850337},
      {".5kb", 500},
      {"5.", 5},
      {"15EiB", 15ULL * 1152921504606846976ULL},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto got = ParseHumanBytes(c.in);
    REQUIRE(got.ok());
    CHECK(*got == c.bytes);
    uint64_t b = 0;
    std::string error;
    CHECK(ParseHumanBytes(c.in, &b, &error));
    CHECK(b == c.bytes);
  }
}

TEST_CASE("ParseHumanBytes rejects what humanize.ParseBytes rejects, with its text",
          "[humanize_bytes]") {
  struct Case {
    std::string in;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"", R"(strconv.ParseFloat: parsing "": invalid syntax)"},
      {"MB", R"(strconv.ParseFloat: parsing "": invalid syntax)"},
      {"-5", R"(strconv.ParseFloat: parsing "": invalid syntax)"},
      {".", R"(strconv.ParseFloat: parsing ".": invalid syntax)"},
      {"1.2.3kb", R"(strconv.ParseFloat: parsing "1.2.3": invalid syntax)"},
      {std::string(400, '9'), "strconv.ParseFloat: parsing \"" + std::string(400, '9') +
                                  "\": value out of range"},
      {"12 FB", "unhandled size name: fb"},
      {"5XB", "unhandled size name: xb"},
      {"5 k b", "unhandled size name: k b"},
      {"16EiB", "too large: 16EiB"},  // 2^64
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto got = ParseHumanBytes(c.in);
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().code() == StatusCode::kInvalidArgument);
    CHECK(got.status().message() == c.error);
    uint64_t b = 7;
    std::string error;
    CHECK_FALSE(ParseHumanBytes(c.in, &b, &error));
    CHECK(error == c.error);
    CHECK(b == 7);
  }
}

}  // namespace
}  // namespace fenrir
