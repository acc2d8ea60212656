#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "query/syntax/lexer.h"

namespace fenrir::query {
namespace {

std::vector<Tok> Kinds(const std::string& in) {
  auto toks = Lex(in);
  INFO(in);
  if (!toks.ok()) FAIL(toks.status().message());
  std::vector<Tok> out;
  for (const auto& t : *toks) out.push_back(t.kind);
  return out;
}

TEST_CASE("Lexer splits a query into Loki's tokens", "[lexer]") {
  using T = Tok;
  struct Case {
    std::string in;
    std::vector<Tok> kinds;
  };
  const std::vector<Case> cases = {
      {R"q({a="b", c!~`d`})q", {T::kOpenBrace, T::kIdentifier, T::kEq, T::kString, T::kComma,
                               T::kIdentifier, T::kNre, T::kString, T::kCloseBrace, T::kEnd}},
      {R"q(|= != |~ !~ |> !> | =~)q", {T::kPipeExact, T::kNeq, T::kPipeMatch, T::kNre,
                                      T::kPipePattern, T::kNpa, T::kPipe, T::kRe, T::kEnd}},
      {"== != > >= < <= + - * / % ^", {T::kCmpEq, T::kNeq, T::kGt, T::kGte, T::kLt, T::kLte,
                                       T::kAdd, T::kSub, T::kMul, T::kDiv, T::kMod, T::kPow,
                                       T::kEnd}},
      // function words are tokens only before `(` or `by (`
      {"rate(", {T::kRangeOp, T::kOpenParen, T::kEnd}},
      {"rate", {T::kIdentifier, T::kEnd}},
      {"sum by (x) (", {T::kVectorOp, T::kBy, T::kOpenParen, T::kIdentifier, T::kCloseParen,
                        T::kOpenParen, T::kEnd}},
      {"count without(", {T::kVectorOp, T::kWithout, T::kOpenParen, T::kEnd}},
      {"bytes bytes(", {T::kIdentifier, T::kBytesConv, T::kOpenParen, T::kEnd}},
      {"duration duration_seconds (", {T::kIdentifier, T::kDurationSecondsConv, T::kOpenParen,
                                       T::kEnd}},
      {"json logfmt regexp pattern unpack line_format label_format drop keep decolorize",
       {T::kJson, T::kLogfmt, T::kRegexp, T::kPattern, T::kUnpack, T::kLineFmt, T::kLabelFmt,
        T::kDrop, T::kKeep, T::kDecolorize, T::kEnd}},
      {"by without bool on ignoring group_left group_right offset unwrap or and unless ip",
       {T::kBy, T::kWithout, T::kBool, T::kOn, T::kIgnoring, T::kGroupLeft, T::kGroupRight,
        T::kOffset, T::kUnwrap, T::kOr, T::kAnd, T::kUnless, T::kIp, T::kEnd}},
      {"--strict --keep-empty", {T::kParserFlag, T::kParserFlag, T::kEnd}},
      {"5 5.5 1e3 .5", {T::kNumber, T::kNumber, T::kNumber, T::kNumber, T::kEnd}},
      {"5m 1h30m 1.5h -5m 250ms", {T::kDuration, T::kDuration, T::kDuration, T::kDuration,
                                  T::kDuration, T::kEnd}},
      {"20MB 1KiB 5kB", {T::kBytes, T::kBytes, T::kBytes, T::kEnd}},
      {"5b", {T::kNumber, T::kIdentifier, T::kEnd}},  // as in Loki: lower-case b is no unit
      {"1 -1", {T::kNumber, T::kSub, T::kNumber, T::kEnd}},
      {"[5m] [1d]", {T::kRange, T::kRange, T::kEnd}},
      {"a # comment\nb // c\n/* d */ e", {T::kIdentifier, T::kIdentifier, T::kIdentifier,
                                          T::kEnd}},
      {"", {T::kEnd}},
      {"!", {T::kIdentifier, T::kEnd}},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    CHECK(Kinds(c.in) == c.kinds);
  }
}

TEST_CASE("Lexer decodes values: strings, durations, sizes, ranges", "[lexer]") {
  auto toks = Lex(R"q("a\"b\\\n\t\x41\101\u00e9\U0001F600" `raw\n` 1m30s 20MB [1h30m] 1.5h)q");
  REQUIRE(toks.ok());
  const auto& t = *toks;
  CHECK(t[0].text == "a\"b\\\n\tAA\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(t[1].text == "raw\\n");
  CHECK(t[2].duration_ns == 90'000'000'000);
  CHECK(t[2].text == "1m30s");
  CHECK(t[3].bytes == 20'000'000);
  CHECK(t[4].kind == Tok::kRange);
  CHECK(t[4].duration_ns == 5'400'000'000'000);
  CHECK(t[5].duration_ns == 5'400'000'000'000);
}

TEST_CASE("Lexer unquotes strings as Prometheus' strutil.Unquote does", "[lexer]") {
  // Loki's lexer hands string tokens to strutil.Unquote, an older copy of strconv.Unquote.
  struct Case {
    std::string in;
    std::string value;
  };
  const std::vector<Case> cases = {
      {R"q("\ud800")q", "\xef\xbf\xbd"},  // a surrogate escape is U+FFFD, not an error
      {R"q("\xff\xfe")q", "\xff\xfe"},     // \x escapes are bytes
      {"`a\rb`", "a\rb"},                  // raw strings keep carriage returns
      {"`multi\nline`", "multi\nline"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto toks = Lex(c.in);
    REQUIRE(toks.ok());
    CHECK(toks->at(0).kind == Tok::kString);
    CHECK(toks->at(0).text == c.value);
  }
}

TEST_CASE("Lexer records 1-based line and column of each token", "[lexer]") {
  auto toks = Lex("{a=\"é\"}\n  | json");
  REQUIRE(toks.ok());
  CHECK(toks->at(4).line == 1);
  CHECK(toks->at(4).col == 7);  // } after a two-byte rune counts one column
  CHECK(toks->at(5).line == 2);
  CHECK(toks->at(5).col == 3);
  CHECK(toks->back().kind == Tok::kEnd);
  CHECK(toks->back().col == 9);
}

TEST_CASE("Lexer errors", "[lexer]") {
  struct Case {
    std::string in;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {R"q("abc)q", "literal not terminated"},
      {"\"a\nb\"", "literal not terminated"},
      {"`abc", "literal not terminated"},
      {R"q("\q")q", "invalid char escape"},
      {R"q("\x4")q", "invalid char escape"},
      {R"q("\'")q", "invalid char escape"},   // only the string's own quote is escaped
      {R"q("\400")q", "invalid syntax"},      // text/scanner passes it, Unquote does not
      {R"q("\U00110000")q", "invalid syntax"},
      {"[5m", "missing closing ']' in duration"},
      // Prometheus' model.ParseDuration texts (prometheus/common v0.43.0, as Loki 2.9 vendors)
      {"[5x]", "unknown unit \"x\" in duration \"5x\""},
      {"[1.5h]", "unknown unit \".\" in duration \"1.5h\""},
      {"[5m1h]", "not a valid duration string: \"5m1h\""},
      {"[293y]", "duration out of range"},
      {"[]", "empty duration string"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto toks = Lex(c.in);
    REQUIRE_FALSE(toks.ok());
    CHECK(toks.status().message().rfind("parse error at line ", 0) == 0);
    CHECK(toks.status().message().find(c.fragment) != std::string::npos);
  }
}

TEST_CASE("Duration and size literals", "[lexer]") {
  const int64_t s = 1'000'000'000;
  // Loki's parseDuration: Prometheus' form first, then Go's (each tested in tests/base).
  struct Case {
    std::string in;
    bool ok;
    int64_t ns;
  };
  const std::vector<Case> cases = {
      {"1y2w3d4h5m6s7ms", true, ((365 + 14 + 3) * 86400 + 4 * 3600 + 5 * 60 + 6) * s + 7'000'000},
      {"0", true, 0},
      {"1d", true, 86400 * s},              // only Prometheus knows days
      {"1.5h", true, 5400 * s},             // only Go knows fractions
      {"-30m1h", true, -5400 * s},          // and signs, and any unit order
      {"2\xc2\xb5s", true, 2000},
      {"1.9999999999s", true, 1999999999},  // Go truncates the fraction
      {"5m1h", true, 65 * 60 * s},
      {"1.5d", false, 0},
      {"5x", false, 0},
      {"", false, 0},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    int64_t ns = -1;
    CHECK(ParseDurationLiteral(c.in, &ns) == c.ok);
    if (c.ok) CHECK(ns == c.ns);
  }

  uint64_t b = 0;
  CHECK(ParseBytesLiteral("20MB", &b));
  CHECK(b == 20'000'000);
  CHECK(ParseBytesLiteral("1KiB", &b));
  CHECK(b == 1024);
  CHECK(ParseBytesLiteral("1.5GiB", &b));
  CHECK(b == 1'610'612'736);
  CHECK(ParseBytesLiteral("5b", &b));
  CHECK(b == 5);
  CHECK(ParseBytesLiteral("10k", &b));
  CHECK(b == 10'000);
  CHECK_FALSE(ParseBytesLiteral("5XB", &b));
  CHECK_FALSE(ParseBytesLiteral("MB", &b));
}

}  // namespace
}  // namespace fenrir::query
