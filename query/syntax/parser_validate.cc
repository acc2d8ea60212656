// Loki's parse-time semantic checks and literal folding.

#include <re2/re2.h>

#include <cmath>
#include <cstdio>
#include <set>

#include "query/syntax/parser_internal.h"

namespace fenrir::query::internal {

namespace {

constexpr const char* kNeedMatcher =
    "queries require at least one regexp or equality matcher that does not have an "
    "empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but "
    "app=~\".+\" will";

bool IsLogical(BinaryOp op) {
  return op == BinaryOp::kOr || op == BinaryOp::kAnd || op == BinaryOp::kUnless;
}

// Loki's reduceBinOp: comparisons yield 1 or 0, x/0 and x%0 yield NaN.
double Merge(BinaryOp op, double l, double r) {
  switch (op) {
    case BinaryOp::kAdd: return l + r;
    case BinaryOp::kSub: return l - r;
    case BinaryOp::kMul: return l * r;
    case BinaryOp::kDiv: return r == 0 ? std::nan("") : l / r;
    case BinaryOp::kMod: return r == 0 ? std::nan("") : std::fmod(l, r);
    case BinaryOp::kPow: return std::pow(l, r);
    case BinaryOp::kEq: return l == r;
    case BinaryOp::kNotEq: return l != r;
    case BinaryOp::kGt: return l > r;
    case BinaryOp::kGte: return l >= r;
    case BinaryOp::kLt: return l < r;
    case BinaryOp::kLte: return l <= r;
    default: return 0;
  }
}

void Fold(Expr* e) {
  if (auto* bin = std::get_if<BinaryExpr>(&e->node)) {
    Fold(bin->lhs.get());
    Fold(bin->rhs.get());
    auto* l = std::get_if<LiteralExpr>(&bin->lhs->node);
    auto* r = std::get_if<LiteralExpr>(&bin->rhs->node);
    if (l && r && !IsLogical(bin->op)) {
      double v = Merge(bin->op, l->value, r->value);
      e->node = LiteralExpr{v};
    }
  } else if (auto* va = std::get_if<VectorAggregation>(&e->node)) {
    Fold(va->inner.get());
  } else if (auto* lr = std::get_if<LabelReplaceExpr>(&e->node)) {
    Fold(lr->inner.get());
  }
}

std::string GoTypeName(const Expr& e) {
  const auto& sel = std::get<LogSelector>(e.node);
  return sel.stages.empty() ? "*syntax.MatchersExpr" : "*syntax.PipelineExpr";
}

std::string GoFloatF(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%f", v);
  return buf;
}

Status Validate(const Expr& e) {
  if (const auto* sel = std::get_if<LogSelector>(&e.node)) return ValidateMatchers(sel->matchers);
  if (const auto* ra = std::get_if<RangeAggregation>(&e.node)) {
    return ValidateMatchers(ra->range.selector.matchers);
  }
  if (const auto* va = std::get_if<VectorAggregation>(&e.node)) return Validate(*va->inner);
  if (const auto* lr = std::get_if<LabelReplaceExpr>(&e.node)) return Validate(*lr->inner);
  if (const auto* bin = std::get_if<BinaryExpr>(&e.node)) {
    std::string op(Name(bin->op));
    if (bin->lhs->IsLogQuery()) {
      return ParseError("unexpected type for left leg of binary operation (" + op +
                        "): " + GoTypeName(*bin->lhs));
    }
    if (bin->rhs->IsLogQuery()) {
      return ParseError("unexpected type for right leg of binary operation (" + op +
                        "): " + GoTypeName(*bin->rhs));
    }
    if (IsLogical(bin->op)) {
      if (const auto* l = std::get_if<LiteralExpr>(&bin->lhs->node)) {
        return ParseError("unexpected literal for left leg of logical/set binary operation (" +
                          op + "): " + GoFloatF(l->value));
      }
      if (const auto* r = std::get_if<LiteralExpr>(&bin->rhs->node)) {
        return ParseError("unexpected literal for right leg of logical/set binary operation (" +
                          op + "): " + GoFloatF(r->value));
      }
    }
    FENRIR_RETURN_IF_ERROR(Validate(*bin->lhs));
    return Validate(*bin->rhs);
  }
  return Status::OK();
}

bool IsLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string GoRegexpError(const std::string& pattern, bool anchored) {
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 re(anchored ? "^(?:" + pattern + ")$" : pattern, opts);
  if (re.ok()) return "error parsing regexp";
  const char* what = "invalid or unsupported Perl syntax";
  switch (re.error_code()) {
    case RE2::ErrorBadEscape: what = "invalid escape sequence"; break;
    case RE2::ErrorBadCharClass: what = "invalid character class"; break;
    case RE2::ErrorBadCharRange: what = "invalid character class range"; break;
    case RE2::ErrorMissingBracket: what = "missing closing ]"; break;
    case RE2::ErrorMissingParen: what = "missing closing )"; break;
    case RE2::ErrorUnexpectedParen: what = "unexpected )"; break;
    case RE2::ErrorTrailingBackslash: what = "trailing backslash at end of expression"; break;
    case RE2::ErrorRepeatArgument: what = "missing argument to repetition operator"; break;
    case RE2::ErrorRepeatSize: what = "invalid repeat count"; break;
    case RE2::ErrorRepeatOp: what = "invalid nested repetition operator"; break;
    case RE2::ErrorBadUTF8: what = "invalid UTF-8"; break;
    case RE2::ErrorBadNamedCapture: what = "invalid named capture"; break;
    case RE2::ErrorPatternTooLarge: what = "expression too large"; break;
    default: break;
  }
  return std::string("error parsing regexp: ") + what + ": `" + re.error_arg() + "`";
}

Status ValidateMatchers(const std::vector<Matcher>& matchers) {
  for (const auto& m : matchers) {
    if (!m.MatchesEmpty()) return Status::OK();
  }
  return ParseError(kNeedMatcher);
}

Status FoldAndValidate(Expr* expr) {
  Fold(expr);
  return Validate(*expr);
}

Status CheckRegexpParser(const std::string& re) {
  RE2::Options opts;
  opts.set_log_errors(false);
  RE2 compiled(re, opts);
  if (!compiled.ok()) {
    return ParseError("invalid regexp parser: " + GoRegexpError(re, false));
  }
  const auto& names = compiled.NamedCapturingGroups();
  for (const auto& [name, index] : names) {
    if (!IsLabelName(name)) {
      return ParseError("invalid regexp parser: invalid extracted label name '" + name + "'");
    }
  }
  if (names.empty()) {
    return ParseError("invalid regexp parser: at least one named capture must be supplied");
  }
  return Status::OK();
}

Status CheckPatternParser(const std::string& pattern) {
  // Tokens: `<name>` captures (name = [A-Za-z_][A-Za-z0-9_]*), anything else is literal text.
  std::vector<std::string> nodes;  // captures as "<name>", literals as ""
  std::vector<std::string> names;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '<') {
      size_t j = i + 1;
      while (j < pattern.size() && (pattern[j] == '_' || std::isalnum(static_cast<unsigned char>(
                                                             pattern[j])))) {
        ++j;
      }
      if (j > i + 1 && j < pattern.size() && pattern[j] == '>' &&
          !std::isdigit(static_cast<unsigned char>(pattern[i + 1]))) {
        std::string name = pattern.substr(i + 1, j - i - 1);
        nodes.push_back("<" + name + ">");
        if (name != "_") names.push_back(name);
        i = j + 1;
        continue;
      }
    }
    if (nodes.empty() || !nodes.back().empty()) nodes.push_back("");
    ++i;
  }
  if (names.empty()) return ParseError("invalid pattern parser: at least one capture is required");
  for (size_t i = 0; i + 1 < nodes.size(); ++i) {
    if (!nodes[i].empty() && !nodes[i + 1].empty()) {
      return ParseError("invalid pattern parser: found consecutive capture '" + nodes[i] +
                        nodes[i + 1] + "': invalid expression");
    }
  }
  std::set<std::string> seen;
  for (const auto& n : names) {
    if (!seen.insert(n).second) {
      return ParseError("invalid pattern parser: duplicate capture name (" + n +
                        "): invalid expression");
    }
  }
  return Status::OK();
}

Status CheckLabelFilterRegex(const std::string& re) {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_dot_nl(true);
  RE2 compiled("^(?:" + re + ")$", opts);
  if (!compiled.ok()) return ParseError(GoRegexpError(re, true));
  return Status::OK();
}

}  // namespace fenrir::query::internal
