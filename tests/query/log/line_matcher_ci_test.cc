// The case-insensitive contains matcher's SIMD prefilter must agree with Loki's scan
// (ContainsLower) on every line, including its quirks and lines around 16-byte boundaries.

#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "query/log/stage_line_filter.h"

namespace fenrir::query {
namespace {

TEST_CASE("case-insensitive matcher agrees with Loki's scan", "[line_filter]") {
  std::mt19937 rng(42);
  const std::string alphabet = "aAfFiIlLeEdDuUrR _[{@`\x7f\xc3\xa9";
  for (const std::string needle : {"f", "fa", "fail", "failed", "failure", "error", "xyz"}) {
    auto m = MakeContainsMatcher(needle, true);
    for (int i = 0; i < 20000; ++i) {
      std::string line(rng() % 70, ' ');
      for (char& c : line) c = alphabet[rng() % alphabet.size()];
      if (rng() % 4 == 0 && line.size() >= needle.size()) {  // plant the needle, mixed case
        size_t at = rng() % (line.size() - needle.size() + 1);
        for (size_t k = 0; k < needle.size(); ++k) {
          line[at + k] = rng() % 2 ? needle[k] : static_cast<char>(needle[k] - 32);
        }
      }
      INFO("needle " << needle << " line " << line);
      REQUIRE(m->Matches(line) == ContainsLower(line, needle));
    }
  }
  auto m = MakeContainsMatcher("failed", true);
  CHECK(m->Matches("Connection FAILED after 3 tries, padding padding padding"));
  CHECK(m->Matches("x FaIlEd"));
  CHECK_FALSE(m->Matches("fail-ed FAILE D"));
}

}  // namespace
}  // namespace fenrir::query
