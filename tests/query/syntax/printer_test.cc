#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "query/syntax/parser.h"

namespace fenrir::query {
namespace {

// Input -> Loki's canonical String() form (pkg/logql/syntax), which must also be a fixed point.
struct Case {
  std::string in;
  std::string out;
};

const std::vector<Case> kCases = {
    {R"q({a="b",c=~`d.*`})q", R"q({a="b", c=~"d.*"})q"},
    {R"q({a="b"} |= `x"y` != "z" |~ "\\d" !~ "q" |> "<_> a" !> "b")q",
     R"q({a="b"} |= "x\"y" != "z" |~ "\\d" !~ "q" |> "<_> a" !> "b")q"},
    {R"q({a="b"} |= "x" or "y" != ip("10.0.0.0/8"))q",
     R"q({a="b"} |= "x" or "y" != ip("10.0.0.0/8"))q"},
    {R"q({a="b"} | json | logfmt --strict --keep-empty | regexp `(?P<x>\w+)` | pattern `<y> -` | unpack)q",
     R"q({a="b"} | json | logfmt --strict --keep-empty | regexp "(?P<x>\\w+)" | pattern "<y> -" | unpack)q"},
    {R"q({a="b"} | json x, y="a.b" | logfmt --strict z="k")q",
     R"q({a="b"} | json x="x",y="a.b" | logfmt --strict z="k")q"},
    {R"q({a="b"} | x > 1 and y = "2" or z =~ "3")q",
     R"q({a="b"} | ( ( x>1 , y="2" ) or z=~"3" ))q"},
    {R"q({a="b"} | x == 1.50 | y >= 1m30s | z < 20MB | w = ip("1.2.3.4") | v != 500ms)q",
     R"q({a="b"} | x==1.5 | y>=1m30s | z<20MB | w=ip("1.2.3.4") | v!=500ms)q"},
    {R"q({a="b"} | d > 90s | e < 1h)q", R"q({a="b"} | d>1m30s | e<1h0m0s)q"},
    {R"q({a="b"} | line_format "{{.x}}\n" | label_format a=b, c="{{.d}}" | drop e, f="g" | keep h | decolorize)q",
     R"q({a="b"} | line_format "{{.x}}\n" | label_format a=b,c="{{.d}}" | drop e,f="g" | keep h | decolorize)q"},
    {R"q(count_over_time({a="b"}[5m]))q", R"q(count_over_time({a="b"}[5m]))q"},
    {R"q(count_over_time({a="b"}[90s] offset 1h))q", R"q(count_over_time({a="b"}[1m30s] offset 1h0m0s))q"},
    {R"q(count_over_time({a="b"}[5m] | json))q", R"q(count_over_time({a="b"} | json[5m]))q"},
    {R"q(sum_over_time({a="b"} | unwrap bytes(x) | __error__="" [1d]))q",
     R"q(sum_over_time({a="b"} | unwrap bytes(x) | __error__=""[1d]))q"},
    {R"q(quantile_over_time(0.99, {a="b"} | unwrap x [7d]) by (c, d))q",
     R"q(quantile_over_time(0.99,{a="b"} | unwrap x[1w]) by (c,d))q"},
    {R"q(sum(rate({a="b"}[5m])) by (c))q", R"q(sum by (c)(rate({a="b"}[5m])))q"},
    {R"q(topk(5, rate({a="b"}[5m])))q", R"q(topk(5,rate({a="b"}[5m])))q"},
    {R"q(rate({a="b"}[5m]) > bool 2 * 3)q", R"q((rate({a="b"}[5m]) > bool 6))q"},
    {R"q(rate({a="b"}[5m]) / on(c) group_left(d, e) rate({a="b"}[5m]))q",
     R"q((rate({a="b"}[5m]) / on (c) group_left (d,e) rate({a="b"}[5m])))q"},
    {R"q(rate({a="b"}[5m]) + ignoring(c) rate({a="b"}[5m]))q",
     R"q((rate({a="b"}[5m]) + ignoring (c) rate({a="b"}[5m])))q"},
    {"vector(1) - 1000000", "(vector(1.000000) - 1e+06)"},
    {"vector(0.5) * 0.00001", "(vector(0.500000) * 1e-05)"},
    {"-2.5", "-2.5"},
    {R"q(label_replace(rate({a="b"}[5m]), "x", "$1", "y", "(.*)"))q",
     R"q(label_replace(rate({a="b"}[5m]),"x","$1","y","(.*)"))q"},
    {R"q(({a="b"}))q", R"q({a="b"})q"},
};

TEST_CASE("Print produces Loki's canonical form, a fixed point of parse+print", "[printer]") {
  for (const auto& c : kCases) {
    INFO(c.in);
    auto e = ParseExpr(c.in);
    REQUIRE(e.ok());
    CHECK(Print(*e) == c.out);
    auto again = ParseExpr(c.out);
    REQUIRE(again.ok());
    CHECK(Print(*again) == c.out);
  }
}

TEST_CASE("Print of built trees without source text", "[printer]") {
  LabelFilter bytes;
  bytes.kind = LabelFilter::Kind::kBytes;
  bytes.name = "size";
  bytes.op = CompareOp::kGt;
  bytes.number = 2048;
  CHECK(Print(bytes) == "size>2048B");

  LabelFilter dur;
  dur.kind = LabelFilter::Kind::kDuration;
  dur.name = "d";
  dur.op = CompareOp::kLte;
  dur.number = 0.0015;
  CHECK(Print(dur) == "d<=1.5ms");

  LogSelector sel;
  sel.matchers.push_back(*Matcher::Make(MatchType::kNotRegex, "a", "x\"y"));
  CHECK(Print(sel) == R"q({a!~"x\"y"})q");
}

}  // namespace
}  // namespace fenrir::query
