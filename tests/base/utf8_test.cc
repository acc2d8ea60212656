// Each row is what Go's unicode/utf8 answers for the input (go doc unicode/utf8).
#include "base/utf8.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace fenrir {
namespace {

TEST_CASE("DecodeRune answers as utf8.DecodeRuneInString", "[utf8]") {
  struct Case {
    std::string in;
    uint32_t rune;
    size_t width;
  };
  const std::vector<Case> cases = {
      {"", kRuneError, 0},
      {"a", 'a', 1},
      {std::string("\0", 1), 0, 1},
      {"\x7f", 0x7F, 1},
      {"\xc2\x80", 0x80, 2},               // smallest 2-byte rune
      {"\xc3\xa9x", 0xE9, 2},              // é, followed by more text
      {"\xdf\xbf", 0x7FF, 2},
      {"\xe0\xa0\x80", 0x800, 3},          // smallest 3-byte rune
      {"\xe2\x82\xac", 0x20AC, 3},         // €
      {"\xef\xbf\xbd", kRuneError, 3},     // U+FFFD itself is valid, width 3
      {"\xf0\x90\x80\x80", 0x10000, 4},    // smallest 4-byte rune
      {"\xf4\x8f\xbf\xbf", 0x10FFFF, 4},   // utf8.MaxRune
      // invalid input: RuneError, width 1
      {"\x80", kRuneError, 1},             // lone continuation byte
      {"\xbf", kRuneError, 1},
      {"\xc0\x80", kRuneError, 1},         // overlong NUL
      {"\xc1\xbf", kRuneError, 1},         // overlong 0x7F
      {"\xe0\x80\x80", kRuneError, 1},     // overlong 3-byte
      {"\xe0\x9f\xbf", kRuneError, 1},     // overlong U+07FF
      {"\xf0\x80\x80\x80", kRuneError, 1}, // overlong 4-byte
      {"\xf0\x8f\xbf\xbf", kRuneError, 1}, // overlong U+FFFF
      {"\xed\xa0\x80", kRuneError, 1},     // surrogate U+D800
      {"\xed\xbf\xbf", kRuneError, 1},     // surrogate U+DFFF
      {"\xed\x9f\xbf", 0xD7FF, 3},         // just below the surrogates
      {"\xf4\x90\x80\x80", kRuneError, 1}, // U+10FFFF + 1
      {"\xf5\x80\x80\x80", kRuneError, 1},
      {"\xff", kRuneError, 1},
      {"\xc3", kRuneError, 1},             // truncated 2-byte
      {"\xe2\x82", kRuneError, 1},         // truncated 3-byte
      {"\xf0\x9f\x98", kRuneError, 1},     // truncated 4-byte
      {"\xe2\x28\xa1", kRuneError, 1},     // bad second byte
      {"\xe2\x82\x28", kRuneError, 1},     // bad third byte
  };
  for (const auto& c : cases) {
    INFO(c.in.size() << " bytes, rune " << c.rune);
    uint32_t r = 0;
    CHECK(DecodeRune(c.in, &r) == c.width);
    CHECK(r == c.rune);
  }
}

TEST_CASE("AppendRune answers as utf8.AppendRune", "[utf8]") {
  struct Case {
    uint32_t rune;
    std::string out;
  };
  const std::vector<Case> cases = {
      {0, std::string("\0", 1)}, {'A', "A"},       {0x7F, "\x7f"},
      {0x80, "\xc2\x80"},        {0xE9, "\xc3\xa9"}, {0x7FF, "\xdf\xbf"},
      {0x800, "\xe0\xa0\x80"},   {0xFFFF, "\xef\xbf\xbf"}, {0x10000, "\xf0\x90\x80\x80"},
      {0x1F600, "\xf0\x9f\x98\x80"}, {0x10FFFF, "\xf4\x8f\xbf\xbf"},
      // invalid runes become U+FFFD
      {0xD800, "\xef\xbf\xbd"}, {0xDFFF, "\xef\xbf\xbd"}, {0x110000, "\xef\xbf\xbd"},
      {0xFFFFFFFF, "\xef\xbf\xbd"},
  };
  for (const auto& c : cases) {
    INFO(c.rune);
    std::string out = "x";
    AppendRune(&out, c.rune);
    CHECK(out == "x" + c.out);
    CHECK(RuneLen(c.rune) == c.out.size());
  }
}

TEST_CASE("Validity and rune counts answer as utf8.ValidString and RuneCountInString",
          "[utf8]") {
  struct Case {
    std::string in;
    bool valid;
    size_t first_invalid;
    size_t runes;
    bool rune_error;  // a Go range loop sees utf8.RuneError
  };
  const size_t npos = std::string_view::npos;
  const std::vector<Case> cases = {
      {"", true, npos, 0, false},
      {"plain ascii text longer than eight", true, npos, 34, false},
      {"caf\xc3\xa9", true, npos, 4, false},
      {"\xe6\x97\xa5\xe6\x9c\xac", true, npos, 2, false},         // 日本
      {"a\xef\xbf\xbd", true, npos, 2, true},                     // literal U+FFFD
      {"abcdefghij\xff", false, 10, 11, true},                    // invalid after 8-byte block
      {"\xc0\xaf", false, 0, 2, true},                            // overlong: two errors
      {"ok\xed\xa0\x80", false, 2, 5, true},                      // surrogate: three errors
      {"\xf4\x90\x80\x80", false, 0, 4, true},                    // past MaxRune
      {"x\xe2\x82", false, 1, 3, true},                           // truncated
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(IsValidUtf8(c.in) == c.valid);
    CHECK(FirstInvalidUtf8(c.in) == c.first_invalid);
    CHECK(RuneCount(c.in) == c.runes);
    CHECK(ContainsRuneError(c.in) == c.rune_error);
  }
}

TEST_CASE("IsValidRune answers as utf8.ValidRune", "[utf8]") {
  CHECK(IsValidRune(0));
  CHECK(IsValidRune(0xD7FF));
  CHECK_FALSE(IsValidRune(0xD800));
  CHECK_FALSE(IsValidRune(0xDFFF));
  CHECK(IsValidRune(0xE000));
  CHECK(IsValidRune(0x10FFFF));
  CHECK_FALSE(IsValidRune(0x110000));
}

}  // namespace
}  // namespace fenrir
