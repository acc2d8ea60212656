// Entry points, binary operators (precedence climbing) and primary expressions.

#include "query/syntax/parser.h"

#include <cmath>
#include <cstdlib>

#include "base/utf8.h"
#include "query/syntax/parser_internal.h"

namespace fenrir::query {

namespace internal {

Status ParseError(const std::string& msg) {
  return Status::InvalidArgument("parse error : " + msg);
}

bool ParseFloatToken(const std::string& text, double* v, std::string* err) {
  char* end = nullptr;
  *v = std::strtod(text.c_str(), &end);
  const char* why = nullptr;
  if (end != text.c_str() + text.size()) {
    why = "invalid syntax";
  } else if (std::isinf(*v)) {
    why = "value out of range";
  }
  if (why == nullptr) return true;
  *err = "strconv.ParseFloat: parsing \"" + text + "\": " + why;
  return false;
}

Status Parser::Unexpected(std::initializer_list<Tok> expecting) const {
  std::string msg = "parse error at line " + std::to_string(Cur().line) + ", col " +
                    std::to_string(Cur().col) + ": syntax error: unexpected " + TokenName(Cur());
  if (expecting.size() > 0) {
    msg += ", expecting ";
    bool first = true;
    for (Tok t : expecting) {
      if (!first) msg += " or ";
      msg += TokenName(t);
      first = false;
    }
  }
  return Status::InvalidArgument(std::move(msg));
}

Status Parser::Expect(Tok k, std::initializer_list<Tok> expecting) {
  if (Accept(k)) return Status::OK();
  return Unexpected(expecting);
}

Result<Expr> Parser::ParseRoot() {
  Result<Expr> e = ParseBinary(0);
  if (!e.ok()) return e;
  if (!Is(Tok::kEnd)) return Unexpected();
  return e;
}

namespace {

struct BinOpInfo {
  BinaryOp op;
  int prec;
};

bool BinOpOf(Tok t, BinOpInfo* info) {
  switch (t) {
    case Tok::kOr: *info = {BinaryOp::kOr, 1}; return true;
    case Tok::kAnd: *info = {BinaryOp::kAnd, 2}; return true;
    case Tok::kUnless: *info = {BinaryOp::kUnless, 2}; return true;
    case Tok::kCmpEq: *info = {BinaryOp::kEq, 3}; return true;
    case Tok::kNeq: *info = {BinaryOp::kNotEq, 3}; return true;
    case Tok::kGt: *info = {BinaryOp::kGt, 3}; return true;
    case Tok::kGte: *info = {BinaryOp::kGte, 3}; return true;
    case Tok::kLt: *info = {BinaryOp::kLt, 3}; return true;
    case Tok::kLte: *info = {BinaryOp::kLte, 3}; return true;
    case Tok::kAdd: *info = {BinaryOp::kAdd, 4}; return true;
    case Tok::kSub: *info = {BinaryOp::kSub, 4}; return true;
    case Tok::kMul: *info = {BinaryOp::kMul, 5}; return true;
    case Tok::kDiv: *info = {BinaryOp::kDiv, 5}; return true;
    case Tok::kMod: *info = {BinaryOp::kMod, 5}; return true;
    case Tok::kPow: *info = {BinaryOp::kPow, 6}; return true;
    default: return false;
  }
}

}  // namespace

Result<Expr> Parser::ParseBinary(int min_prec) {
  Result<Expr> lhs = ParsePrimary();
  if (!lhs.ok()) return lhs;
  BinOpInfo info;
  while (BinOpOf(Cur().kind, &info) && info.prec >= min_prec) {
    Take();
    BinaryExpr bin;
    bin.op = info.op;
    bin.return_bool = Accept(Tok::kBool);
    if (Is(Tok::kOn) || Is(Tok::kIgnoring)) {
      bin.matching.specified = true;
      bin.matching.on = Take().kind == Tok::kOn;
      if (!Is(Tok::kOpenParen)) return Unexpected({Tok::kOpenParen});
      auto labels = ParseLabelList();
      if (!labels.ok()) return labels.status();
      bin.matching.labels = std::move(*labels);
      if (Is(Tok::kGroupLeft) || Is(Tok::kGroupRight)) {
        bin.matching.card = Take().kind == Tok::kGroupLeft ? VectorMatching::Card::kManyToOne
                                                           : VectorMatching::Card::kOneToMany;
        if (Is(Tok::kOpenParen)) {
          auto include = ParseLabelList();
          if (!include.ok()) return include.status();
          bin.matching.include = std::move(*include);
        }
      }
    }
    // ^ is right-associative; everything else left-associative.
    Result<Expr> rhs = ParseBinary(info.op == BinaryOp::kPow ? info.prec : info.prec + 1);
    if (!rhs.ok()) return rhs;
    bin.lhs = std::make_unique<Expr>(std::move(*lhs));
    bin.rhs = std::make_unique<Expr>(std::move(*rhs));
    Expr e;
    e.node = std::move(bin);
    lhs = std::move(e);
  }
  return lhs;
}

Result<Expr> Parser::ParsePrimary() {
  Expr e;
  switch (Cur().kind) {
    case Tok::kOpenParen: {
      Take();
      Result<Expr> inner = ParseBinary(0);
      if (!inner.ok()) return inner;
      FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen));
      inner->parenthesized = true;
      return inner;
    }
    case Tok::kOpenBrace: {
      LogSelector sel;
      auto matchers = ParseSelector();
      if (!matchers.ok()) return matchers.status();
      sel.matchers = std::move(*matchers);
      FENRIR_RETURN_IF_ERROR(ParseStages(&sel.stages, nullptr));
      e.node = std::move(sel);
      return e;
    }
    case Tok::kAdd:
    case Tok::kSub:
    case Tok::kNumber: {
      bool negate = false;
      if (!Is(Tok::kNumber)) {
        negate = Take().kind == Tok::kSub;
        if (!Is(Tok::kNumber)) return Unexpected({Tok::kNumber});
      }
      Token num = Take();
      double v = 0;
      std::string err;
      if (!ParseFloatToken(num.text, &v, &err)) {
        return ParseError("unable to parse literal as a float: " + err);
      }
      e.node = LiteralExpr{negate ? -v : v};
      return e;
    }
    case Tok::kRangeOp: return ParseRangeAggregation();
    case Tok::kVectorOp: return ParseVectorAggregation();
    case Tok::kVector: return ParseVectorExpr();
    case Tok::kLabelReplace: return ParseLabelReplace();
    default: return Unexpected();
  }
}

}  // namespace internal

namespace {
constexpr size_t kMaxInputSize = 5120;

// Go's text/scanner (under Loki's lexer) rejects invalid UTF-8 in the query text.
Status CheckUtf8(std::string_view text) {
  int line = 1, col = 1;
  for (size_t i = 0; i < text.size();) {
    uint32_t rune;
    const size_t n = DecodeRune(text.substr(i), &rune);
    if (rune == kRuneError && n == 1) {
      return Status::InvalidArgument("parse error at line " + std::to_string(line) + ", col " +
                                     std::to_string(col) + ": invalid UTF-8 encoding");
    }
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    i += n;
  }
  return Status::OK();
}

Result<std::vector<Token>> LexChecked(std::string_view text) {
  if (text.size() >= kMaxInputSize) {
    return internal::ParseError("input size too long (" + std::to_string(text.size()) + " > " +
                                std::to_string(kMaxInputSize) + ")");
  }
  FENRIR_RETURN_IF_ERROR(CheckUtf8(text));
  return Lex(text);
}
}  // namespace

Result<Expr> ParseExpr(std::string_view text) {
  auto tokens = LexChecked(text);
  if (!tokens.ok()) return tokens.status();
  internal::Parser parser(std::move(*tokens));
  Result<Expr> e = parser.ParseRoot();
  if (!e.ok()) return e;
  FENRIR_RETURN_IF_ERROR(internal::FoldAndValidate(&*e));
  return e;
}

Result<std::vector<Matcher>> ParseSelector(std::string_view text) {
  Result<Expr> e = ParseExpr(text);
  if (!e.ok()) return e.status();
  auto* sel = std::get_if<LogSelector>(&e->node);
  if (sel == nullptr || !sel->stages.empty()) {
    return Status::InvalidArgument("only label matchers is supported");
  }
  return std::move(sel->matchers);
}

}  // namespace fenrir::query
