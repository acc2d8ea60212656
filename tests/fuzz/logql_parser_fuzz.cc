// Fuzzes the LogQL parser and printer: any text must parse or fail cleanly, and anything that
// parses must print to text that re-parses and prints identically (Print is a fixed point).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "query/syntax/parser.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return -1;  // long inputs only slow the search down
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = fenrir::query::ParseExpr(text);
  if (!parsed.ok()) return 0;
  std::string printed = fenrir::query::Print(*parsed);
  auto reparsed = fenrir::query::ParseExpr(printed);
  FUZZ_CHECK(reparsed.ok(), "printed query does not re-parse", printed,
             reparsed.status().message());
  std::string reprinted = fenrir::query::Print(*reparsed);
  FUZZ_CHECK(reprinted == printed, "Print(Parse(Print(x))) != Print(x)", printed, reprinted);
  return 0;
}
