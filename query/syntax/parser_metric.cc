// Metric expressions: range and vector aggregations, log ranges, vector(), label_replace().

#include <re2/re2.h>

#include <cstdlib>

#include "query/syntax/parser_internal.h"

namespace fenrir::query::internal {

namespace {

bool IsPipelineStart(Tok t) {
  return t == Tok::kPipe || t == Tok::kPipeExact || t == Tok::kNeq || t == Tok::kPipeMatch ||
         t == Tok::kNre || t == Tok::kPipePattern || t == Tok::kNpa;
}

// Loki's RangeAggregationExpr.validate().
Status CheckRangeAggregation(const RangeAggregation& agg) {
  std::string op(Name(agg.op));
  using R = RangeOp;
  if (agg.grouping) {
    switch (agg.op) {
      case R::kAvgOverTime: case R::kStddevOverTime: case R::kStdvarOverTime:
      case R::kQuantileOverTime: case R::kMaxOverTime: case R::kMinOverTime:
      case R::kFirstOverTime: case R::kLastOverTime:
        break;
      default:
        return ParseError("grouping not allowed for " + op + " aggregation");
    }
  }
  if (agg.range.unwrap) {
    switch (agg.op) {
      case R::kAvgOverTime: case R::kSumOverTime: case R::kMaxOverTime: case R::kMinOverTime:
      case R::kStddevOverTime: case R::kStdvarOverTime: case R::kQuantileOverTime:
      case R::kRate: case R::kRateCounter: case R::kAbsentOverTime: case R::kFirstOverTime:
      case R::kLastOverTime:
        return Status::OK();
      default:
        return ParseError("invalid aggregation " + op + " with unwrap");
    }
  }
  switch (agg.op) {
    case R::kBytesOverTime: case R::kBytesRate: case R::kCountOverTime: case R::kRate:
    case R::kAbsentOverTime:
      return Status::OK();
    default:
      return ParseError("invalid aggregation " + op + " without unwrap");
  }
}

// Go strconv.Atoi: optional sign, decimal digits.
bool Atoi(const std::string& s, int64_t* out) {
  size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  if (i == s.size() || s.size() > 19) return false;
  for (size_t k = i; k < s.size(); ++k) {
    if (s[k] < '0' || s[k] > '9') return false;
  }
  *out = std::strtoll(s.c_str(), nullptr, 10);
  return true;
}

}  // namespace

Result<std::vector<std::string>> Parser::ParseLabelList() {
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenParen, {Tok::kOpenParen}));
  std::vector<std::string> labels;
  if (Accept(Tok::kCloseParen)) return labels;
  while (true) {
    if (!Is(Tok::kIdentifier)) {
      return labels.empty() ? Unexpected({Tok::kIdentifier, Tok::kCloseParen})
                            : Unexpected({Tok::kIdentifier});
    }
    labels.push_back(Take().text);
    if (Accept(Tok::kCloseParen)) return labels;
    if (!Accept(Tok::kComma)) return Unexpected({Tok::kComma, Tok::kCloseParen});
  }
}

Result<Grouping> Parser::ParseGrouping() {
  Grouping g;
  if (Is(Tok::kWithout)) {
    g.without = true;
  } else if (!Is(Tok::kBy)) {
    return Unexpected({Tok::kBy, Tok::kWithout});
  }
  Take();
  auto labels = ParseLabelList();
  if (!labels.ok()) return labels.status();
  g.labels = std::move(*labels);
  return g;
}

Result<LogRange> Parser::ParseLogRange() {
  LogRange r;
  bool parens = Accept(Tok::kOpenParen);
  if (parens && Is(Tok::kOpenParen)) {
    auto inner = ParseLogRange();
    if (!inner.ok()) return inner;
    FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen));
    return inner;
  }
  if (!Is(Tok::kOpenBrace)) return Unexpected();
  auto matchers = ParseSelector();
  if (!matchers.ok()) return matchers.status();
  r.selector.matchers = std::move(*matchers);
  FENRIR_RETURN_IF_ERROR(ParseStages(&r.selector.stages, &r.unwrap));
  // `( {..} | pipeline ) [5m]` closes before the range; `( {..} [5m] )` after it.
  bool closed_early = parens && Accept(Tok::kCloseParen);
  if (!Is(Tok::kRange)) return Unexpected();
  r.range_ns = Take().duration_ns;
  bool bare = r.selector.stages.empty() && !r.unwrap;
  if (Accept(Tok::kOffset)) {
    if (!Is(Tok::kDuration)) return Unexpected({Tok::kDuration});
    r.offset_ns = Take().duration_ns;
  }
  if (bare && IsPipelineStart(Cur().kind)) {
    FENRIR_RETURN_IF_ERROR(ParseStages(&r.selector.stages, &r.unwrap));
    r.range_before_pipeline = !r.selector.stages.empty() || r.unwrap.has_value();
  }
  if (parens && !closed_early) FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen));
  return r;
}

Result<Expr> Parser::ParseRangeAggregation() {
  RangeAggregation agg;
  agg.op = Take().range_op;
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenParen, {Tok::kOpenParen}));
  std::optional<std::string> param;
  if (Is(Tok::kNumber) && Ahead(1).kind == Tok::kComma) {
    param = Take().text;
    Take();
  }
  auto range = ParseLogRange();
  if (!range.ok()) return range.status();
  agg.range = std::move(*range);
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen));
  if (Is(Tok::kBy) || Is(Tok::kWithout)) {
    auto g = ParseGrouping();
    if (!g.ok()) return g.status();
    agg.grouping = std::move(*g);
  }
  std::string op(Name(agg.op));
  if (param) {
    if (agg.op != RangeOp::kQuantileOverTime) {
      return ParseError("parameter " + *param + " not supported for operation " + op);
    }
    double v = 0;
    std::string err;
    if (!ParseFloatToken(*param, &v, &err)) {
      return ParseError("invalid parameter for operation " + op + ": " + err);
    }
    agg.param = v;
  } else if (agg.op == RangeOp::kQuantileOverTime) {
    return ParseError("parameter required for operation " + op);
  }
  FENRIR_RETURN_IF_ERROR(CheckRangeAggregation(agg));
  Expr e;
  e.node = std::move(agg);
  return e;
}

Result<Expr> Parser::ParseVectorAggregation() {
  VectorAggregation agg;
  agg.op = Take().vector_op;
  if (Is(Tok::kBy) || Is(Tok::kWithout)) {
    auto g = ParseGrouping();
    if (!g.ok()) return g.status();
    agg.grouping = std::move(*g);
  }
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenParen, {Tok::kOpenParen}));
  std::optional<std::string> param;
  if (Is(Tok::kNumber) && Ahead(1).kind == Tok::kComma) {
    param = Take().text;
    Take();
  }
  auto inner = ParseBinary(0);
  if (!inner.ok()) return inner;
  if (inner->IsLogQuery()) return Unexpected();  // the grammar wants a metric expression here
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen));
  if (!agg.grouping && (Is(Tok::kBy) || Is(Tok::kWithout))) {
    auto g = ParseGrouping();
    if (!g.ok()) return g.status();
    agg.grouping = std::move(*g);
    agg.grouping_after = true;
  }
  std::string op(Name(agg.op));
  if (agg.op == VectorOp::kTopK || agg.op == VectorOp::kBottomK) {
    if (!param) return ParseError("parameter required for operation " + op);
    int64_t k = 0;
    if (!Atoi(*param, &k)) return ParseError("invalid parameter " + op + "(" + *param + ",");
    if (k <= 0) {
      return ParseError("invalid parameter (must be greater than 0) " + op + "(" + *param);
    }
    agg.param = k;
  } else if (param) {
    return ParseError("unsupported parameter for operation " + op + "(" + *param + ",");
  }
  if ((agg.op == VectorOp::kSort || agg.op == VectorOp::kSortDesc) && agg.grouping &&
      !agg.grouping->labels.empty()) {
    return ParseError("sort and sort_desc doesn't allow grouping by ");
  }
  agg.inner = std::make_unique<Expr>(std::move(*inner));
  Expr e;
  e.node = std::move(agg);
  return e;
}

Result<Expr> Parser::ParseVectorExpr() {
  Take();
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenParen, {Tok::kOpenParen}));
  if (!Is(Tok::kNumber)) return Unexpected({Tok::kNumber});
  Token num = Take();
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen, {Tok::kCloseParen}));
  double v = 0;
  std::string err;
  if (!ParseFloatToken(num.text, &v, &err)) {
    return ParseError("unable to parse vectorExpr as a float: " + err);
  }
  Expr e;
  e.node = VectorExpr{v};
  return e;
}

Result<Expr> Parser::ParseLabelReplace() {
  Take();
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenParen, {Tok::kOpenParen}));
  auto inner = ParseBinary(0);
  if (!inner.ok()) return inner;
  if (inner->IsLogQuery()) return Unexpected();
  LabelReplaceExpr lr;
  std::string* fields[] = {&lr.dst, &lr.replacement, &lr.src, &lr.regex};
  for (std::string* f : fields) {
    FENRIR_RETURN_IF_ERROR(Expect(Tok::kComma, {Tok::kComma}));
    if (!Is(Tok::kString)) return Unexpected({Tok::kString});
    *f = Take().text;
  }
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen, {Tok::kCloseParen}));
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 re("^(?:" + lr.regex + ")$", opts);
  if (!re.ok()) {
    return ParseError("invalid regex in label_replace: " + GoRegexpError(lr.regex, true));
  }
  lr.inner = std::make_unique<Expr>(std::move(*inner));
  Expr e;
  e.node = std::move(lr);
  return e;
}

}  // namespace fenrir::query::internal
