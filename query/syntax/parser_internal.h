#pragma once
// The recursive-descent LogQL parser shared by parser*.cc. Not a public interface: use
// query/syntax/parser.h. One Parser parses one text; not thread-safe.
//
// Syntax errors stop parsing at once ("parse error at line L, col C: syntax error: unexpected X,
// expecting Y"). Loki's semantic checks that its grammar defers (range aggregation rules, vector
// aggregation parameters, binary operation legs, the non-empty matcher rule) run afterwards in
// Validate(), in Loki's order, with the "parse error : ..." form.

#include <initializer_list>
#include <string>
#include <vector>

#include "query/syntax/ast.h"
#include "query/syntax/lexer.h"
#include "base/status.h"

namespace fenrir::query::internal {

// "parse error : <msg>" (Loki's position-less parse error).
Status ParseError(const std::string& msg);

// Go strconv.ParseFloat(text, 64) on a NUMBER token: false with Go's error text in *err
// ("strconv.ParseFloat: parsing \"1e400\": value out of range") when `text` is not a whole
// float or overflows to ±Inf, as Loki rejects such literals at parse time.
bool ParseFloatToken(const std::string& text, double* v, std::string* err);

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : toks_(std::move(tokens)) {}

  // expr $end
  Result<Expr> ParseRoot();

  // parser_selector.cc
  Result<std::vector<Matcher>> ParseSelector();  // { matchers }
  Result<LineFilter> ParseLineFilter();          // at a line filter operator
  Result<Matcher> ParseMatcher();                // name op "value"

  // parser_pipeline.cc
  // Parses stages while they continue; with `unwrap` non-null also accepts `| unwrap ...` (which
  // ends the pipeline, followed only by label filters).
  Status ParseStages(std::vector<Stage>* stages, std::optional<Unwrap>* unwrap);
  Result<LabelFilter> ParseLabelFilter(int min_prec = 0);

  // parser_metric.cc
  Result<Expr> ParseRangeAggregation();
  Result<Expr> ParseVectorAggregation();
  Result<Expr> ParseLabelReplace();
  Result<Expr> ParseVectorExpr();
  Result<LogRange> ParseLogRange();
  Result<Grouping> ParseGrouping();
  Result<std::vector<std::string>> ParseLabelList();  // ( a, b ) ; the ( is current

  // parser.cc
  Result<Expr> ParseBinary(int min_prec);
  Result<Expr> ParsePrimary();

  // Token access.
  const Token& Cur() const { return toks_[pos_]; }
  const Token& Ahead(size_t n) const {
    return toks_[std::min(pos_ + n, toks_.size() - 1)];
  }
  bool Is(Tok k) const { return Cur().kind == k; }
  Token Take() {
    Token t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool Accept(Tok k) {
    if (!Is(k)) return false;
    Take();
    return true;
  }
  // Syntax error at the current token, listing what was expected (empty: none listed, as yacc
  // does when more than four tokens would fit).
  Status Unexpected(std::initializer_list<Tok> expecting = {}) const;
  Status Expect(Tok k, std::initializer_list<Tok> expecting = {});

 private:
  std::vector<Token> toks_;
  size_t pos_ = 0;
};

// Post-parse: folds literal-only binary operations (as Loki does) and applies Loki's semantic
// validation. parser_validate.cc.
Status FoldAndValidate(Expr* expr);
// Checks performed while parsing in Loki (they abort its parser immediately).
Status CheckRegexpParser(const std::string& re);
Status CheckPatternParser(const std::string& pattern);
Status CheckLabelFilterRegex(const std::string& re);
// Go's regexp/syntax error text for a regex RE2 rejected:
// "error parsing regexp: missing closing ): `(`".
std::string GoRegexpError(const std::string& pattern, bool anchored);
// Loki's rule: at least one matcher must not match the empty string.
Status ValidateMatchers(const std::vector<Matcher>& matchers);

}  // namespace fenrir::query::internal
