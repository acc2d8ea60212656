// Regression tests for fuzzing findings in the query layer (docs/fuzzing.md, "Findings"). Each
// input is the reproducer from tests/fuzz/crashes/<target>/ (also kept in the seed corpus).

#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "base/prom_duration.h"
#include "query/syntax/lexer.h"
#include "query/syntax/parser.h"
#include "query/template/template.h"

namespace fenrir::query {
namespace {

// Parses, prints, re-parses and re-prints `text`: the printed form must parse and be a fixed
// point. Returns the folded literal's value when the whole query is a literal (NaN otherwise).
std::string RoundTrip(std::string_view text) {
  auto e = ParseExpr(text);
  REQUIRE(e.ok());
  std::string printed = Print(*e);
  INFO("printed: " << printed);
  auto again = ParseExpr(printed);
  REQUIRE(again.ok());
  CHECK(Print(*again) == printed);
  return printed;
}

double LiteralValue(std::string_view text) {
  auto e = ParseExpr(text);
  REQUIRE(e.ok());
  const auto* lit = std::get_if<LiteralExpr>(&e->node);
  REQUIRE(lit != nullptr);
  return lit->value;
}

TEST_CASE("folded non-finite and negative-zero literals print as text that re-parses") {
  struct Case {
    std::string query;  // reproducer (crashes/logql_parser/...)
    std::string want;   // Print output
  };
  std::vector<Case> cases = {
      {"1/0", "(0 / 0)"},                                   // print-nan-1div0
      {"0/0", "(0 / 0)"},                                   //
      {"1e308 * 10", "(1e308 * 10)"},                                 //
      {"0*-1", "-0.0"},                                     // print-negative-zero
      {"sum(count_over_time({a=\"b\"}[1m])) > 1/0",         // print-nan-in-
       "(sum(count_over_time({a=\"b\"}[1m])) > (0 / 0))"},  //   comparison
  };
  for (const auto& c : cases) {
    INFO("query: " << c.query);
    CHECK(RoundTrip(c.query) == c.want);
  }
  CHECK(std::isinf(LiteralValue("(1e308 * 10)")));
  CHECK(LiteralValue("(1e308 * 10)") > 0);
  CHECK(std::isinf(LiteralValue("(-1e308 * 10)")));
  CHECK(LiteralValue("(-1e308 * 10)") < 0);
  CHECK(RoundTrip("-1e308 * 10") == "(-1e308 * 10)");
  CHECK(std::isnan(LiteralValue("(0 / 0)")));
  double neg_zero = LiteralValue("-0.0");
  CHECK(neg_zero == 0);
  CHECK(std::signbit(neg_zero));
  // Ordinary literals keep Loki's fmt.Sprint form.
  CHECK(RoundTrip("2 * 3") == "6");
  CHECK(RoundTrip("-0.5") == "-0.5");
}

TEST_CASE("a stray ! label name prints apart from the operator after it") {
  // print-bang-label-name: `json !` extracts a label named "!" (Loki lexes a stray character as
  // an identifier); printed as `!="!"` it re-lexed as the != line filter.
  CHECK(RoundTrip("{app=\"video-meta-app\"} | json !| keep level, status, namespace") ==
        "{app=\"video-meta-app\"} | json ! =\"!\" | keep level,status,namespace");
  CHECK(RoundTrip("{a=\"b\"} | label_format ! = x") == "{a=\"b\"} | label_format ! =x");
  CHECK(RoundTrip("{a=\"b\"} | logfmt | ! > 5") == "{a=\"b\"} | logfmt | ! >5");
}

TEST_CASE("a negative zero label filter number stays a number") {
  // print-label-filter-negative-zero: `d > - 0` printed `d>-0`, which lexes as the duration 0.
  CHECK(RoundTrip("{a=\"b\"} | logfmt | d > - 0") == "{a=\"b\"} | logfmt | d>-0.0");
  CHECK(RoundTrip("{a=\"b\"} | logfmt | d > -2") == "{a=\"b\"} | logfmt | d>-2");
}

TEST_CASE("float literals that overflow to infinity are parse errors, as in Loki") {
  struct Case {
    std::string query;
    std::string error;
  };
  std::vector<Case> cases = {
      // print-inf-literal
      {"vector(1) * 1e400",
       "unable to parse literal as a float: strconv.ParseFloat: parsing \"1e400\": value out of "
       "range"},
      {"-1e400",
       "unable to parse literal as a float: strconv.ParseFloat: parsing \"1e400\": value "
       "out of range"},
      {"vector(1e309)",
       "unable to parse vectorExpr as a float: strconv.ParseFloat: parsing \"1e309\": value out "
       "of range"},
      {"quantile_over_time(1e999, {a=\"b\"} | unwrap x [1m])",
       "invalid parameter for operation quantile_over_time: strconv.ParseFloat: parsing "
       "\"1e999\": value out of range"},
      {"{a=\"b\"} | x > 1e400",
       "unable to parse float: strconv.ParseFloat: parsing \"1e400\": value out of range"},
  };
  for (const auto& c : cases) {
    INFO("query: " << c.query);
    auto e = ParseExpr(c.query);
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().message().find(c.error) != std::string::npos);
  }
  // Underflow is not an error in Go: 1e-400 is 0.
  CHECK(LiteralValue("1e-400") == 0);
}

TEST_CASE("range durations whose nanoseconds overflow are parse errors") {
  // range-duration-int128-overflow and -weeks: a unit count up to 2^80 times a year's
  // nanoseconds overflowed __int128.
  for (const char* q :
       {"count_over_time({a=\"b\"}[1000000000000000000000000y])",
        "count_over_time({a=\"b\"}[1000000000000000000000000w])",
        "count_over_time({a=\"b\"}[9223372036854775808ms])", "count_over_time({a=\"b\"}[293y])"}) {
    INFO("query: " << q);
    CHECK_FALSE(ParseExpr(q).ok());
  }
  CHECK_FALSE(ParsePromDuration("1000000000000000000000000y").ok());
  CHECK_FALSE(ParsePromDuration("99999999999999999999999999999999999999y").ok());
  auto years = ParsePromDuration("292y");
  REQUIRE(years.ok());
  CHECK(*years == 292LL * 365 * 86400 * 1'000'000'000LL);
  CHECK_FALSE(ParsePromDuration("9223372036854775807ms").ok());
  auto ms = ParsePromDuration("9223372036854ms");
  REQUIRE(ms.ok());
  CHECK(*ms == 9223372036854'000'000LL);
}

std::string ExecTemplate(std::string_view text) {
  auto t = Template::Parse(text);
  if (!t.ok()) return "parse error: " + t.status().message();
  TemplateData d;
  d.lookup = [](std::string_view) -> const std::string* { return nullptr; };
  d.each = [](const std::function<void(std::string_view, std::string_view)>&) {};
  auto r = t->Execute(d);
  if (!r.ok()) return "exec error: " + r.status().message();
  return *r;
}

TEST_CASE("printf verbs never match the NUL byte") {
  using namespace std::string_literals;
  // printf-nul-verb-float: NUL after '%' reached snprintf as the format "%.*".
  struct Case {
    std::string tmpl;
    std::string want;
  };
  std::vector<Case> cases = {
      {"{{ printf \"%\0q\" 3.14 }}"s, "%!\0(float64=3.14)q"s},
      {"{{ printf \"%\0\" 3.14 }}"s, "%!\0(float64=3.14)"s},
      {"{{ printf \"%\0\" 7 }}"s, "%!\0(int=7)"s},
      {"{{ printf \"%\0\" \"s\" }}"s, "%!\0(string=s)"s},
      {"{{ printf \"%g\" 3.5 }}"s, "3.5"},
  };
  for (const auto& c : cases) {
    INFO("template: " << c.tmpl);
    CHECK(ExecTemplate(c.tmpl) == c.want);
  }
  // base64 decoding treats NUL as an illegal digit.
  CHECK(ExecTemplate("{{ b64dec \"QQ\0=\" }}"s) == "illegal base64 data at input byte 2");
  CHECK(ExecTemplate("{{ b64dec \"QUI=\" }}") == "AB");
}

TEST_CASE("printf widths and precisions past Go's bound of 1e6 are bad, never an int overflow") {
  using namespace std::string_literals;
  // printf-width-int-overflow: a 100-digit width overflowed int while it was read (UB). Go's
  // parsenum gives up past 1e6 and swallows the rest of the format: %!(NOVERB), then the
  // arguments as EXTRA; a `*` width past 1e6 is %!(BADWIDTH).
  struct Case {
    std::string tmpl;
    std::string want;
  };
  std::vector<Case> cases = {
      {"{{ printf \"%#" + std::string(100, '4') + "5.2f|%x\" 3.14159 255 }}",
       "%!(NOVERB)%!(EXTRA float64=3.14159, int=255)"},
      {"{{ printf \"a%100000000dz\" 5 }}", "a%!(NOVERB)%!(EXTRA int=5)"},
      {"{{ printf \"%.100000000f\" 1.5 }}", "%!(NOVERB)%!(EXTRA float64=1.5)"},
      {"{{ printf \"%*d\" 2000000 5 }}", "%!(BADWIDTH)5"},
      {"{{ printf \"%*d|\" -2000000 5 }}", "%!(BADWIDTH)5|"},
      {"{{ printf \"%*d|\" 3 5 }}", "  5|"},
      {"{{ printf \"%-*d|\" 3 5 }}", "5  |"},
      {"{{ printf \"%5.1f|\" 2.25 }}", "  2.2|"},
  };
  for (const auto& c : cases) {
    INFO("template: " << c.tmpl);
    CHECK(ExecTemplate(c.tmpl) == c.want);
  }
  // A width of exactly 1e6 is still honoured, as in Go.
  CHECK(ExecTemplate("{{ printf \"%1000000d\" 7 }}").size() == 1'000'000);
}

TEST_CASE("template time arithmetic past int64 nanoseconds wraps like Go, without UB") {
  // unixToTime multiplies milli/microseconds to nanoseconds and UnixNano multiplies seconds by
  // 1e9: Go's int64 arithmetic wraps there; in C++ it was signed overflow (UB).
  struct Case {
    std::string tmpl;
    std::string want;
  };
  std::vector<Case> cases = {
      {"{{ unixToTime \"9999999999999\" | unixEpoch }}", "-8446744074"},
      {"{{ unixToTime \"9999999999999999\" | unixEpoch }}", "-8446744074"},
      {"{{ unixToTime \"1700000000000\" | unixEpoch }}", "1700000000"},
      {"{{ toDate \"2006-01-02\" \"2300-01-01\" | unixEpochNanos }}", "-8032952073709551616"},
      {"{{ toDate \"2006-01-02\" \"2300-01-01\" | unixEpochMillis }}", "10413792000000"},
      {"{{ toDate \"2006-01-02\" \"2300-01-01\" | unixEpoch }}", "10413792000"},
  };
  for (const auto& c : cases) {
    INFO("template: " << c.tmpl);
    CHECK(ExecTemplate(c.tmpl) == c.want);
  }
}

}  // namespace
}  // namespace fenrir::query
