// Each row is what Go's strconv answers (go doc strconv.Quote, QuoteRune, IsPrint); "printable"
// is Unicode 15.0.0, the tables of Go 1.21.
#include "base/go_quote.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace fenrir {
namespace {

TEST_CASE("GoQuote answers as strconv.Quote", "[go_quote]") {
  struct Case {
    std::string in;
    std::string quoted;
  };
  const std::vector<Case> cases = {
      {"", R"("")"},
      {"plain", R"("plain")"},
      {"say \"hi\" \\ 'there'", R"("say \"hi\" \\ 'there'")"},
      // control characters: the seven named escapes, then \xNN
      {"\a\b\f\n\r\t\v", R"("\a\b\f\n\r\t\v")"},
      {std::string("\0\x01\x1f\x7f", 4), R"("\x00\x01\x1f\x7f")"},
      // invalid UTF-8: each bad byte as \xNN, the rest as usual
      {"abc\xff" "def", R"("abc\xffdef")"},
      {"\xc0\xaf", R"("\xc0\xaf")"},              // overlong
      {"\xed\xa0\x80", R"("\xed\xa0\x80")"},      // surrogate
      {"\xe2\x82", R"("\xe2\x82")"},              // truncated
      // printable non-ASCII stays literal
      {"caf\xc3\xa9", "\"caf\xc3\xa9\""},          // é
      {"\xe2\x98\xba", "\"\xe2\x98\xba\""},        // ☺
      {"\xef\xbf\xbd", "\"\xef\xbf\xbd\""},        // a real U+FFFD is printable
      {"e\xcc\x81", "\"e\xcc\x81\""},              // combining accent (Mn)
      {"\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\""},  // U+1F600
      {"\xf0\x9f\xab\xa8", "\"\xf0\x9f\xab\xa8\""},  // U+1FAE8, new in Unicode 15.0
      // non-printable runes: \u for the BMP, \U above it
      {"\xc2\xad", R"("\u00ad")"},                 // soft hyphen (Cf)
      {"\xc2\x85", R"("\u0085")"},                 // C1 control
      {"!\xc2\xa0!\xe2\x80\x80!\xe3\x80\x80!", R"("!\u00a0!\u2000!\u3000!")"},  // spaces
      {"\xe2\x80\x8b", R"("\u200b")"},             // zero width space
      {"\xe2\x80\xa8", R"("\u2028")"},             // line separator
      {"\xef\xbb\xbf", R"("\ufeff")"},             // BOM
      {"\xee\x80\x80", R"("\ue000")"},             // private use
      {"\xcd\xb8", R"("\u0378")"},                 // unassigned
      {"\xf4\x8f\xbf\xbf", R"("\U0010ffff")"},     // MaxRune is unassigned
      {"\xf0\x9f\xab\xa9", R"("\U0001fae9")"},     // unassigned in Unicode 15.0
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(GoQuote(c.in) == c.quoted);
    std::string appended = "x=";
    AppendGoQuote(&appended, c.in);
    CHECK(appended == "x=" + c.quoted);
  }
}

TEST_CASE("GoQuoteRune answers as strconv.QuoteRune", "[go_quote]") {
  struct Case {
    uint32_t rune;
    std::string quoted;
  };
  const std::vector<Case> cases = {
      {'a', "'a'"},
      {'\a', R"('\a')"},
      {'\\', R"('\\')"},
      {'\'', R"('\'')"},
      {'"', "'\"'"},
      {0x04, R"('\x04')"},
      {0xFF, "'\xc3\xbf'"},
      {0x263A, "'\xe2\x98\xba'"},
      {0xAD, R"('\u00ad')"},
      {0xFFFD, "'\xef\xbf\xbd'"},
      {0xDEAD, "'\xef\xbf\xbd'"},    // a surrogate prints as U+FFFD
      {0x10FFFF, R"('\U0010ffff')"},
      {0x110000, "'\xef\xbf\xbd'"},  // past MaxRune too
  };
  for (const auto& c : cases) {
    INFO(c.rune);
    CHECK(GoQuoteRune(c.rune) == c.quoted);
  }
}

TEST_CASE("IsPrintRune answers as strconv.IsPrint", "[go_quote]") {
  struct Case {
    uint32_t rune;
    bool printable;
  };
  const std::vector<Case> cases = {
      {' ', true},      {'~', true},       {0x1F, false},     {0x7F, false},
      {0x9F, false},    {0xA0, false},     {0xA1, true},      {0xAD, false},
      {0xFF, true},     {0x100, true},     {0x0301, true},    {0x0378, false},
      {0x0380, false},  {0x0384, true},    {0x200B, false},   {0x2028, false},
      {0x2029, false},  {0x3000, false},   {0x3001, true},    {0x4E00, true},
      {0xD800, false},  {0xE000, false},   {0xFEFF, false},   {0xFFFD, true},
      {0xFFFE, false},  {0x1F600, true},   {0x1FAE8, true},   {0x1FAE9, false},
      {0x20000, true},  {0x2A6DF, true},   {0x2A6E0, false},  {0x31350, true},
      {0x323AF, true},  {0x323B0, false},  {0xE0001, false},  {0xE0100, true},
      {0xE01EF, true},  {0xE01F0, false},  {0xF0000, false},  {0x10FFFF, false},
      {0x110000, false},
  };
  for (const auto& c : cases) {
    INFO(std::hex << c.rune);
    CHECK(IsPrintRune(c.rune) == c.printable);
  }
}

}  // namespace
}  // namespace fenrir
