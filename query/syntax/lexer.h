#pragma once
// LogQL tokens, scanned the way Loki 2.9's lexer does (pkg/logql/syntax/lex.go): Go strings and
// raw strings, Go and Prometheus durations (5m, 1h30m, 1.5h, 1d), humanized byte sizes (20MB,
// 1KiB), `[range]` as one token, parser flags (--strict), and words that are function tokens only
// when followed by `(` or `by (`/`without (` (so `bytes`, `count`, `rate` stay usable as labels).
// Comments (`#`, `//`, `/* */`) are skipped. Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/syntax/ast.h"
#include "base/status.h"

namespace fenrir::query {

enum class Tok {
  kEnd,
  kIdentifier, kString, kNumber, kDuration, kBytes, kRange, kParserFlag,
  // punctuation and matchers
  kComma, kDot, kOpenBrace, kCloseBrace, kOpenParen, kCloseParen, kCloseBracket,
  kEq, kRe, kNre, kPipeExact, kPipeMatch, kPipePattern, kNpa, kPipe,
  // binary operators (kNeq doubles as matcher and line filter)
  kOr, kAnd, kUnless, kAdd, kSub, kMul, kDiv, kMod, kPow,
  kCmpEq, kNeq, kGt, kGte, kLt, kLte,
  // keywords
  kBy, kWithout, kBool, kOffset, kOn, kIgnoring, kGroupLeft, kGroupRight, kUnwrap,
  kJson, kRegexp, kLogfmt, kUnpack, kPattern, kLabelFmt, kLineFmt, kIp, kDecolorize, kDrop,
  kKeep, kLabelReplace,
  // function tokens (only before `(`)
  kRangeOp, kVectorOp, kVector, kBytesConv, kDurationConv, kDurationSecondsConv,
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;          // identifier / number text as written; unquoted string value
  int64_t duration_ns = 0;   // kDuration, kRange
  uint64_t bytes = 0;        // kBytes
  RangeOp range_op = RangeOp::kCountOverTime;  // kRangeOp
  VectorOp vector_op = VectorOp::kSum;         // kVectorOp
  int line = 1, col = 1;     // 1-based position of the token's first character
};

// Tokenizes `input`; the last token is always kEnd. Errors are InvalidArgument
// "parse error at line L, col C: <reason>".
Result<std::vector<Token>> Lex(std::string_view input);

// The name yacc would print for this token in "unexpected X": "IDENTIFIER", "STRING", "$end",
// "}", "by", "COUNT_OVER_TIME"...
std::string TokenName(const Token& token);
std::string TokenName(Tok kind);

// Duration and size literals (lexer_units.cc).
// Loki's duration literal: Prometheus' form first (1y2w3d, base/prom_duration.h), then Go's
// (1.5h, -30m, base/go_duration.h).
bool ParseDurationLiteral(std::string_view s, int64_t* ns);
// go-humanize ParseBytes (base/humanize_bytes.h): 20MB, 1.5 KiB, 10k, 5b.
bool ParseBytesLiteral(std::string_view s, uint64_t* bytes);

}  // namespace fenrir::query
