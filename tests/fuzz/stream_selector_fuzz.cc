// Fuzzes the bare stream selector parser (series match[], label values, stats): any text must
// parse or fail cleanly; a parsed selector written back as {m1, m2, ...} must re-parse to the
// same matchers, and each matcher must evaluate on arbitrary values without crashing.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/syntax/parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::string Join(const std::vector<fenrir::storage::Matcher>& matchers) {
  std::string out = "{";
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) out += ", ";
    out += matchers[i].ToString();
  }
  return out + "}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 2048) return -1;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = fenrir::query::ParseSelector(text);
  if (!parsed.ok()) return 0;
  std::string printed = Join(*parsed);
  auto reparsed = fenrir::query::ParseSelector(printed);
  FUZZ_CHECK(reparsed.ok(), "printed selector does not re-parse", printed,
             reparsed.status().message());
  std::string reprinted = Join(*reparsed);
  FUZZ_CHECK(reprinted == printed, "selector does not print to a fixed point", printed, reprinted);
  bool any_rejects_empty = false;
  for (const auto& m : *parsed) {
    m.Matches(text);
    m.Matches(m.value());
    if (!m.MatchesEmpty()) any_rejects_empty = true;
  }
  FUZZ_CHECK(any_rejects_empty, "selector accepted with only empty-matching matchers", printed,
             "");
  return 0;
}
