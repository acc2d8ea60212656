// Targeted checks of the syntax tree the parser builds: precedence, grouping, durations,
// byte sizes, unwrap conversions, stage arguments.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "query/syntax/parser.h"

namespace fenrir::query {
namespace {

Expr MustParse(const std::string& q) {
  auto e = ParseExpr(q);
  INFO(q);
  if (!e.ok()) FAIL(e.status().message());
  return std::move(*e);
}

const BinaryExpr& Bin(const Expr& e) { return std::get<BinaryExpr>(e.node); }
double Vec(const Expr& e) { return std::get<VectorExpr>(e.node).value; }
double Lit(const Expr& e) { return std::get<LiteralExpr>(e.node).value; }

TEST_CASE("Binary operators follow Prometheus precedence and associativity", "[parser]") {
  Expr e = MustParse("vector(1) + vector(2) * vector(3)");
  CHECK(Bin(e).op == BinaryOp::kAdd);
  CHECK(Bin(*Bin(e).rhs).op == BinaryOp::kMul);

  e = MustParse("vector(1) - vector(2) - vector(3)");  // left-associative
  CHECK(Bin(*Bin(e).lhs).op == BinaryOp::kSub);
  CHECK(Vec(*Bin(e).rhs) == 3);

  e = MustParse("vector(2) ^ vector(3) ^ vector(4)");  // right-associative
  CHECK(Vec(*Bin(e).lhs) == 2);
  CHECK(Bin(*Bin(e).rhs).op == BinaryOp::kPow);

  e = MustParse("vector(1) or vector(2) and vector(3) unless vector(4)");
  CHECK(Bin(e).op == BinaryOp::kOr);
  CHECK(Bin(*Bin(e).rhs).op == BinaryOp::kUnless);
  CHECK(Bin(*Bin(*Bin(e).rhs).lhs).op == BinaryOp::kAnd);

  e = MustParse("vector(1) > vector(2) + vector(3) and vector(4)");
  CHECK(Bin(e).op == BinaryOp::kAnd);
  CHECK(Bin(*Bin(e).lhs).op == BinaryOp::kGt);
  CHECK(Bin(*Bin(*Bin(e).lhs).rhs).op == BinaryOp::kAdd);

  e = MustParse("(vector(1) + vector(2)) * vector(3)");
  CHECK(Bin(e).op == BinaryOp::kMul);
  CHECK(Bin(e).lhs->parenthesized);
}

TEST_CASE("Literal-only operations fold like Loki's reduceBinOp", "[parser]") {
  CHECK(Lit(MustParse("1 + 2 * 3")) == 7);
  CHECK(Lit(MustParse("2 ^ 3 ^ 2")) == 512);
  CHECK(Lit(MustParse("-1 + +2 - -3")) == 4);
  CHECK(Lit(MustParse("1 > 2")) == 0);
  CHECK(Lit(MustParse("2 >= bool 2")) == 1);
  CHECK(std::isnan(Lit(MustParse("1 / 0"))));
  CHECK(Lit(MustParse("7 % 4")) == 3);
  Expr e = MustParse("vector(2) * (3 - 1)");
  CHECK(Lit(*Bin(e).rhs) == 2);
}

TEST_CASE("Binary modifiers: bool, on/ignoring, group_left/right", "[parser]") {
  const std::string a = R"q(rate({app="a"}[5m]))q";
  Expr e = MustParse(a + " > bool 5");
  CHECK(Bin(e).return_bool);
  CHECK_FALSE(Bin(e).matching.specified);

  e = MustParse(a + " / on (x, y) group_left (z) " + a);
  const VectorMatching& m = Bin(e).matching;
  CHECK(m.specified);
  CHECK(m.on);
  CHECK(m.labels == std::vector<std::string>{"x", "y"});
  CHECK(m.card == VectorMatching::Card::kManyToOne);
  CHECK(m.include == std::vector<std::string>{"z"});

  e = MustParse(a + " - ignoring (x) group_right " + a);
  CHECK(Bin(e).matching.specified);
  CHECK_FALSE(Bin(e).matching.on);
  CHECK(Bin(e).matching.card == VectorMatching::Card::kOneToMany);
  CHECK(Bin(e).matching.include.empty());
}

TEST_CASE("Vector aggregations: grouping before or after, parameters", "[parser]") {
  const std::string r = R"q(rate({app="a"}[5m]))q";
  Expr e = MustParse("sum by (a, b) (" + r + ")");
  const auto& v = std::get<VectorAggregation>(e.node);
  REQUIRE(v.grouping);
  CHECK_FALSE(v.grouping->without);
  CHECK(v.grouping->labels == std::vector<std::string>{"a", "b"});
  CHECK_FALSE(v.grouping_after);

  e = MustParse("avg(" + r + ") without (c)");
  const auto& w = std::get<VectorAggregation>(e.node);
  CHECK(w.op == VectorOp::kAvg);
  CHECK(w.grouping->without);
  CHECK(w.grouping_after);

  e = MustParse("count by () (" + r + ")");
  CHECK(std::get<VectorAggregation>(e.node).grouping->labels.empty());

  e = MustParse("topk(3, " + r + ")");
  CHECK(std::get<VectorAggregation>(e.node).op == VectorOp::kTopK);
  CHECK(std::get<VectorAggregation>(e.node).param == 3);
  CHECK_FALSE(std::get<VectorAggregation>(e.node).grouping);
}

TEST_CASE("Log ranges: durations in nanoseconds, offset, unwrap, range position", "[parser]") {
  struct Case {
    std::string range;
    int64_t ns;
  };
  const int64_t s = 1'000'000'000;
  for (const auto& c : std::vector<Case>{{"5m", 300 * s}, {"1h30m", 5400 * s}, {"1d", 86400 * s},
                                         {"1w", 7 * 86400 * s}, {"1y", 365 * 86400 * s},
                                         {"500ms", s / 2}, {"90s", 90 * s}}) {
    Expr e = MustParse(R"q(count_over_time({app="a"}[)q" + c.range + "])");
    CHECK(std::get<RangeAggregation>(e.node).range.range_ns == c.ns);
  }
  // A second range after a trailing pipeline is not LogQL.
  CHECK_FALSE(ParseExpr(R"q(rate({app="a"}[5m] | json | unwrap x [5m]))q").ok());
}

TEST_CASE("Range before pipeline and unwrap details are recorded", "[parser]") {
  Expr e = MustParse(R"q(count_over_time({app="a"}[5m] offset 10m | json))q");
  const auto& r = std::get<RangeAggregation>(e.node).range;
  CHECK(r.range_before_pipeline);
  CHECK(r.offset_ns == 600'000'000'000);
  CHECK(r.selector.stages.size() == 1);

  e = MustParse(R"q(quantile_over_time(0.95, {app="a"} | logfmt | unwrap duration_seconds(lat) | __error__="" | lat > 1 [1m]) by (x))q");
  const auto& q = std::get<RangeAggregation>(e.node);
  CHECK(q.op == RangeOp::kQuantileOverTime);
  CHECK(q.param == 0.95);
  CHECK_FALSE(q.range.range_before_pipeline);
  REQUIRE(q.range.unwrap);
  CHECK(q.range.unwrap->label == "lat");
  CHECK(q.range.unwrap->conversion == Unwrap::Conversion::kDurationSeconds);
  CHECK(q.range.unwrap->post_filters.size() == 2);
  CHECK(q.grouping->labels == std::vector<std::string>{"x"});

  e = MustParse(R"q(sum_over_time({app="a"} | unwrap bytes(b) [1m]))q");
  CHECK(std::get<RangeAggregation>(e.node).range.unwrap->conversion ==
        Unwrap::Conversion::kBytes);
  e = MustParse(R"q(sum_over_time({app="a"} | unwrap duration(b) [1m]))q");
  CHECK(std::get<RangeAggregation>(e.node).range.unwrap->conversion ==
        Unwrap::Conversion::kDuration);
  e = MustParse(R"q(sum_over_time({app="a"} | unwrap bytes [1m]))q");
  CHECK(std::get<RangeAggregation>(e.node).range.unwrap->label == "bytes");
  CHECK(std::get<RangeAggregation>(e.node).range.unwrap->conversion == Unwrap::Conversion::kNone);
}

const LabelFilter& FilterOf(const Expr& e, size_t stage = 0) {
  return std::get<LabelFilterStage>(std::get<LogSelector>(e.node).stages.at(stage)).filter;
}

TEST_CASE("Label filters: and binds tighter than or; comma and space chain to the right",
          "[parser]") {
  using K = LabelFilter::Kind;
  Expr e = MustParse(R"q({app="a"} | a="1" or b="2" and c="3")q");
  const LabelFilter* f = &FilterOf(e);
  CHECK(f->kind == K::kOr);
  CHECK(f->left->name == "a");
  CHECK(f->right->kind == K::kAnd);

  e = MustParse(R"q({app="a"} | a="1" and b="2" or c="3")q");
  CHECK(FilterOf(e).kind == K::kOr);
  CHECK(FilterOf(e).left->kind == K::kAnd);

  e = MustParse(R"q({app="a"} | a="1", b="2" or c="3")q");
  CHECK(FilterOf(e).kind == K::kAnd);
  CHECK(FilterOf(e).right->kind == K::kOr);

  e = MustParse(R"q({app="a"} | a="1" b="2")q");
  CHECK(FilterOf(e).kind == K::kAnd);

  e = MustParse(R"q({app="a"} | (a="1" or b="2") and c="3")q");
  CHECK(FilterOf(e).kind == K::kAnd);
  CHECK(FilterOf(e).left->kind == K::kOr);
  CHECK(FilterOf(e).left->parenthesized);
}

TEST_CASE("Label filter values: numbers, durations, bytes, ip, strings", "[parser]") {
  using K = LabelFilter::Kind;
  struct Case {
    std::string filter;
    K kind;
    CompareOp op;
    double number;
  };
  const std::vector<Case> cases = {
      {"x > 1.5e3", K::kNumber, CompareOp::kGt, 1500},
      {"x == 42", K::kNumber, CompareOp::kEqEq, 42},
      {"x = 42", K::kNumber, CompareOp::kEq, 42},
      {"x >= -3", K::kNumber, CompareOp::kGte, -3},
      {"x < 5ms", K::kDuration, CompareOp::kLt, 0.005},
      {"x <= 1m30s", K::kDuration, CompareOp::kLte, 90},
      {"x != 1.5h", K::kDuration, CompareOp::kNotEq, 5400},
      {"x > 20MB", K::kBytes, CompareOp::kGt, 20e6},
      {"x > 1KiB", K::kBytes, CompareOp::kGt, 1024},
      {"x == 1.5kB", K::kBytes, CompareOp::kEqEq, 1500},
      {"x = ip(\"10.0.0.0/8\")", K::kIp, CompareOp::kEq, 0},
      {"x !~ \"a.*\"", K::kString, CompareOp::kNotRegex, 0},
  };
  for (const auto& c : cases) {
    INFO(c.filter);
    Expr e = MustParse(R"q({app="a"} | )q" + c.filter);
    const LabelFilter& f = FilterOf(e);
    CHECK(f.kind == c.kind);
    CHECK(f.op == c.op);
    CHECK(f.name == "x");
    CHECK(f.number == Approx(c.number));
  }
  Expr e = MustParse(R"q({app="a"} | x <= 1m30s | y > 20MB | z = ip("1.2.3.4"))q");
  CHECK(FilterOf(e, 0).text == "1m30s");
  CHECK(FilterOf(e, 1).text == "20MB");
  CHECK(FilterOf(e, 2).text == "1.2.3.4");
}

TEST_CASE("Line filters and parser stages keep their arguments", "[parser]") {
  Expr e = MustParse(
      R"q({app="a"} |= "x" or "y" != ip("1.2.3.4") |> "<_> z" | json a, b="c.d" | logfmt --keep-empty --strict e | label_format f=g, h="{{.i}}" | drop j, k=~"l.*" | keep m | regexp "(?P<n>.)" | pattern "<o> " | unpack | decolorize | line_format "{{.p}}")q");
  const auto& st = std::get<LogSelector>(e.node).stages;
  REQUIRE(st.size() == 13);
  const auto& lf = std::get<LineFilter>(st[0]);
  CHECK(lf.op == LineFilterOp::kContains);
  CHECK(lf.value == "x");
  CHECK(lf.or_values == std::vector<std::string>{"y"});
  CHECK(std::get<LineFilter>(st[1]).ip);
  CHECK(std::get<LineFilter>(st[1]).op == LineFilterOp::kNotContains);
  CHECK(std::get<LineFilter>(st[2]).op == LineFilterOp::kPattern);
  const auto& json = std::get<JsonParser>(st[3]);
  REQUIRE(json.params.size() == 2);
  CHECK(json.params[0].expression == "a");
  CHECK(json.params[1].expression == "c.d");
  const auto& logfmt = std::get<LogfmtParser>(st[4]);
  CHECK(logfmt.strict);
  CHECK(logfmt.keep_empty);
  CHECK(logfmt.params.size() == 1);
  const auto& fmt = std::get<LabelFormat>(st[5]);
  CHECK(fmt.items[0].rename);
  CHECK_FALSE(fmt.items[1].rename);
  CHECK(fmt.items[1].value == "{{.i}}");
  const auto& drop = std::get<DropLabels>(st[6]);
  CHECK_FALSE(drop.labels[0].matcher);
  REQUIRE(drop.labels[1].matcher);
  CHECK(drop.labels[1].matcher->type() == MatchType::kRegex);
  CHECK(std::get<KeepLabels>(st[7]).labels[0].name == "m");
  CHECK(std::get<RegexpParser>(st[8]).regex == "(?P<n>.)");
  CHECK(std::get<PatternParser>(st[9]).pattern == "<o> ");
  CHECK(std::holds_alternative<UnpackParser>(st[10]));
  CHECK(std::holds_alternative<Decolorize>(st[11]));
  CHECK(std::get<LineFormat>(st[12]).tmpl == "{{.p}}");
}

}  // namespace
}  // namespace fenrir::query
