#pragma once
// LogQL parsing: text -> syntax tree (ast.h), and the syntax tree back to text.

#include <string>
#include <string_view>
#include <vector>

#include "query/syntax/ast.h"
#include "base/status.h"

namespace fenrir::query {

// Parses a whole LogQL expression (log or metric). Errors are InvalidArgument with Loki's text,
// e.g. "parse error at line 1, col 9: syntax error: unexpected $end, expecting } or ,".
Result<Expr> ParseExpr(std::string_view text);

// Parses a bare stream selector `{a="b", c=~"d"}` (series match[], label values query, stats).
// Applies Loki's rule that at least one matcher must not accept the empty string.
Result<std::vector<Matcher>> ParseSelector(std::string_view text);

// LogQL text that re-parses to an equal tree (Loki's canonical String() form).
std::string Print(const Expr& expr);
std::string Print(const LogSelector& selector);
std::string Print(const LabelFilter& filter);

}  // namespace fenrir::query
