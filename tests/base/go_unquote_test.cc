// Each row is what Go 1.21's strconv.Unquote / UnquoteChar answers (go doc strconv.Unquote), or,
// for PromUnquote, Prometheus' util/strutil.Unquote as vendored by Loki 2.9.
#include "base/go_unquote.h"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

namespace fenrir {
namespace {

struct Case {
  std::string literal;
  std::optional<std::string> value;  // nullopt: strconv.ErrSyntax
};

// Literals both variants read alike.
const std::vector<Case>& CommonCases() {
  static const auto* cases = new std::vector<Case>{
      {R"("")", ""},
      {R"("abc")", "abc"},
      {"\"\xe2\x98\xba\"", "\xe2\x98\xba"},
      {R"("\xFF")", "\xff"},  // \x is a byte, not a rune
      {R"("\377")", "\xff"},
      {R"("\u1234")", "\xe1\x88\xb4"},
      {R"("\U00010111")", "\xf0\x90\x84\x91"},
      {R"("\U0001011111")", "\xf0\x90\x84\x91" "11"},
      {R"("\a\b\f\n\r\t\v\\\"")", "\a\b\f\n\r\t\v\\\""},
      {R"("'")", "'"},
      {R"('a')", "a"},
      {R"('\x10')", "\x10"},
      {R"('\'')", "'"},
      {R"('"')", "\""},
      {"``", ""},
      {"`\\xFF \\377`", "\\xFF \\377"},  // nothing is an escape in a raw string
      {"`a\nb`", "a\nb"},
      // syntax errors
      {"", std::nullopt},
      {R"(")", std::nullopt},
      {R"("a)", std::nullopt},
      {R"(b")", std::nullopt},
      {R"("\")", std::nullopt},
      {R"("\9")", std::nullopt},
      {R"("\19")", std::nullopt},
      {R"("\129")", std::nullopt},
      {R"("\400")", std::nullopt},        // octal past 255
      {R"("\x1!")", std::nullopt},
      {R"("\U12345678")", std::nullopt},  // past MaxRune
      {R"("\U00110000")", std::nullopt},
      {R"("\z")", std::nullopt},
      {R"("\'")", std::nullopt},          // the other quote must not be escaped
      {R"('\"')", std::nullopt},
      {R"("a"b")", std::nullopt},         // an unescaped quote inside
      {"\"a\nb\"", std::nullopt},          // newline in a quoted string
      {"'\n'", std::nullopt},
      {"`", std::nullopt},
      {"`xxx", std::nullopt},
      {"`a`b`", std::nullopt},
      {"x", std::nullopt},
      {"'a\"", std::nullopt},
  };
  return *cases;
}

TEST_CASE("GoUnquote answers as strconv.Unquote", "[go_unquote]") {
  std::vector<Case> cases = CommonCases();
  const std::vector<Case> go_only = {
      {"\"\xff\\n\"", "\xef\xbf\xbd\n"},  // invalid UTF-8 beside an escape becomes U+FFFD
      {R"("\ud800")", std::nullopt},      // surrogate escapes are invalid
      {R"("\ud83d\ude4f")", std::nullopt},
      {R"('ab')", std::nullopt},          // one character only
      {R"('\u00e9x')", std::nullopt},
      {"'\xc3\xa9'", "\xc3\xa9"},
      {"`a\rb\r`", "ab"},                 // carriage returns are dropped
  };
  cases.insert(cases.end(), go_only.begin(), go_only.end());
  for (const auto& c : cases) {
    INFO(c.literal);
    CHECK(GoUnquote(c.literal) == c.value);
  }
}

TEST_CASE("PromUnquote answers as Prometheus' strutil.Unquote", "[go_unquote]") {
  std::vector<Case> cases = CommonCases();
  const std::vector<Case> prom_only = {
      {R"("\ud800")", "\xef\xbf\xbd"},    // a surrogate escape passes, written as U+FFFD
      {R"("\ud83d\ude4f")", "\xef\xbf\xbd\xef\xbf\xbd"},
      {R"('ab')", "ab"},                  // any number of characters
      {R"('\u00e9x')", "\xc3\xa9x"},
      {"`a\rb\r`", "a\rb\r"},             // carriage returns are kept
  };
  cases.insert(cases.end(), prom_only.begin(), prom_only.end());
  for (const auto& c : cases) {
    INFO(c.literal);
    CHECK(PromUnquote(c.literal) == c.value);
  }
}

TEST_CASE("GoUnquoteChar answers as strconv.UnquoteChar", "[go_unquote]") {
  struct CharCase {
    std::string in;
    char quote;
    bool ok;
    uint32_t value;
    bool multibyte;
    size_t width;
  };
  const std::vector<CharCase> cases = {
      {"ab", '"', true, 'a', false, 1},
      {R"(\x41rest)", '"', true, 0x41, false, 4},
      {R"(\xe9)", '\'', true, 0xE9, false, 4},       // a byte value even in a rune literal
      {R"(\u00e9rest)", '"', true, 0xE9, true, 6},
      {R"(\101)", '"', true, 'A', false, 4},
      {"\xc3\xa9", '"', true, 0xE9, true, 2},
      {"\xff", '"', true, 0xFFFD, true, 1},           // invalid UTF-8: RuneError, one byte
      {"'", '"', true, '\'', false, 1},
      {R"(\')", '\'', true, '\'', false, 2},
      {R"(\")", '"', true, '"', false, 2},
      {"\"", '"', false, 0, false, 0},
      {R"(\')", '"', false, 0, false, 0},
      {R"(\400)", '"', false, 0, false, 0},
      {R"(\udfff)", '"', false, 0, false, 0},
      {R"(\u12)", '"', false, 0, false, 0},
      {"\\", '"', false, 0, false, 0},
      {"", '"', false, 0, false, 0},
  };
  for (const auto& c : cases) {
    INFO(c.in << " quoted by " << c.quote);
    auto got = GoUnquoteChar(c.in, c.quote);
    REQUIRE(got.has_value() == c.ok);
    if (!got) continue;
    CHECK(got->value == c.value);
    CHECK(got->multibyte == c.multibyte);
    CHECK(got->width == c.width);
  }
}

}  // namespace
}  // namespace fenrir
