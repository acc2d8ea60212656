// Stream selectors and line filters.

#include "query/syntax/parser_internal.h"

namespace fenrir::query::internal {

Result<std::vector<Matcher>> Parser::ParseSelector() {
  FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenBrace, {Tok::kOpenBrace}));
  std::vector<Matcher> matchers;
  if (Accept(Tok::kCloseBrace)) return matchers;
  while (true) {
    if (!Is(Tok::kIdentifier)) {
      return matchers.empty() ? Unexpected({Tok::kIdentifier, Tok::kCloseBrace})
                              : Unexpected({Tok::kIdentifier});
    }
    auto m = ParseMatcher();
    if (!m.ok()) return m.status();
    matchers.push_back(std::move(*m));
    if (Accept(Tok::kCloseBrace)) return matchers;
    if (!Accept(Tok::kComma)) return Unexpected({Tok::kCloseBrace, Tok::kComma});
  }
}

Result<Matcher> Parser::ParseMatcher() {
  if (!Is(Tok::kIdentifier)) return Unexpected({Tok::kIdentifier});
  std::string name = Take().text;
  MatchType type;
  switch (Cur().kind) {
    case Tok::kEq: type = MatchType::kEqual; break;
    case Tok::kNeq: type = MatchType::kNotEqual; break;
    case Tok::kRe: type = MatchType::kRegex; break;
    case Tok::kNre: type = MatchType::kNotRegex; break;
    default: return Unexpected({Tok::kEq, Tok::kRe, Tok::kNre, Tok::kNeq});
  }
  Take();
  if (!Is(Tok::kString)) return Unexpected({Tok::kString});
  std::string value = Take().text;
  auto m = Matcher::Make(type, std::move(name), value);
  if (!m.ok()) {
    bool regex = type == MatchType::kRegex || type == MatchType::kNotRegex;
    return ParseError(regex ? GoRegexpError(value, true) : m.status().message());
  }
  return m;
}

Result<LineFilter> Parser::ParseLineFilter() {
  LineFilter f;
  switch (Cur().kind) {
    case Tok::kPipeExact: f.op = LineFilterOp::kContains; break;
    case Tok::kNeq: f.op = LineFilterOp::kNotContains; break;
    case Tok::kPipeMatch: f.op = LineFilterOp::kRegex; break;
    case Tok::kNre: f.op = LineFilterOp::kNotRegex; break;
    case Tok::kPipePattern: f.op = LineFilterOp::kPattern; break;
    case Tok::kNpa: f.op = LineFilterOp::kNotPattern; break;
    default: return Unexpected();
  }
  Take();
  if (Is(Tok::kString)) {
    f.value = Take().text;
    // Loki 3: |= "a" or "b". An `or` not followed by a string belongs to a binary operation.
    while (Is(Tok::kOr) && Ahead(1).kind == Tok::kString) {
      Take();
      f.or_values.push_back(Take().text);
    }
    return f;
  }
  if (Is(Tok::kIp)) {
    Take();
    FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenParen, {Tok::kOpenParen}));
    if (!Is(Tok::kString)) return Unexpected({Tok::kString});
    f.value = Take().text;
    f.ip = true;
    FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen, {Tok::kCloseParen}));
    return f;
  }
  return Unexpected({Tok::kString, Tok::kIp});
}

}  // namespace fenrir::query::internal
