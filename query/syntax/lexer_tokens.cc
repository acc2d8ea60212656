// Token names as goyacc prints them in "unexpected X" messages.

#include <cctype>

#include "query/syntax/lexer.h"

namespace fenrir::query {

std::string TokenName(Tok kind) {
  switch (kind) {
    case Tok::kEnd: return "$end";
    case Tok::kIdentifier: return "IDENTIFIER";
    case Tok::kString: return "STRING";
    case Tok::kNumber: return "NUMBER";
    case Tok::kDuration: return "DURATION";
    case Tok::kBytes: return "BYTES";
    case Tok::kRange: return "RANGE";
    case Tok::kParserFlag: return "PARSER_FLAG";
    case Tok::kComma: return ",";
    case Tok::kDot: return ".";
    case Tok::kOpenBrace: return "{";
    case Tok::kCloseBrace: return "}";
    case Tok::kOpenParen: return "(";
    case Tok::kCloseParen: return ")";
    case Tok::kCloseBracket: return "]";
    case Tok::kEq: return "=";
    case Tok::kRe: return "=~";
    case Tok::kNre: return "!~";
    case Tok::kPipeExact: return "|=";
    case Tok::kPipeMatch: return "|~";
    case Tok::kPipePattern: return "|>";
    case Tok::kNpa: return "!>";
    case Tok::kPipe: return "|";
    case Tok::kOr: return "or";
    case Tok::kAnd: return "and";
    case Tok::kUnless: return "unless";
    case Tok::kAdd: return "+";
    case Tok::kSub: return "-";
    case Tok::kMul: return "*";
    case Tok::kDiv: return "/";
    case Tok::kMod: return "%";
    case Tok::kPow: return "^";
    case Tok::kCmpEq: return "==";
    case Tok::kNeq: return "!=";
    case Tok::kGt: return ">";
    case Tok::kGte: return ">=";
    case Tok::kLt: return "<";
    case Tok::kLte: return "<=";
    case Tok::kBy: return "by";
    case Tok::kWithout: return "without";
    case Tok::kBool: return "bool";
    case Tok::kOffset: return "offset";
    case Tok::kOn: return "on";
    case Tok::kIgnoring: return "ignoring";
    case Tok::kGroupLeft: return "group_left";
    case Tok::kGroupRight: return "group_right";
    case Tok::kUnwrap: return "unwrap";
    case Tok::kJson: return "json";
    case Tok::kRegexp: return "regexp";
    case Tok::kLogfmt: return "logfmt";
    case Tok::kUnpack: return "unpack";
    case Tok::kPattern: return "pattern";
    case Tok::kLabelFmt: return "label_format";
    case Tok::kLineFmt: return "line_format";
    case Tok::kIp: return "ip";
    case Tok::kDecolorize: return "decolorize";
    case Tok::kDrop: return "drop";
    case Tok::kKeep: return "keep";
    case Tok::kLabelReplace: return "label_replace";
    case Tok::kRangeOp: return "RANGE_OP";
    case Tok::kVectorOp: return "VECTOR_OP";
    case Tok::kVector: return "VECTOR";
    case Tok::kBytesConv: return "BYTES_CONV";
    case Tok::kDurationConv: return "DURATION_CONV";
    case Tok::kDurationSecondsConv: return "DURATION_SECONDS_CONV";
  }
  return "?";
}

std::string TokenName(const Token& token) {
  if (token.kind == Tok::kRangeOp || token.kind == Tok::kVectorOp) {
    std::string s = token.kind == Tok::kRangeOp ? std::string(Name(token.range_op))
                                                 : std::string(Name(token.vector_op));
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }
  return TokenName(token.kind);
}

}  // namespace fenrir::query
