#pragma once
// Go text/template's lexer: splits a template into text, delimiters and action tokens, with
// Go's trim markers ({{- and -}}), comments and error messages.

#include <string>
#include <string_view>
#include <vector>

namespace fenrir::query::tmpl {

enum class ItemType {
  kError,  // the item's text is the message; lexing stops there
  kBool,
  kChar,  // a printable ASCII character not otherwise meaningful (e.g. ',')
  kCharConstant,
  kComment,
  kComplex,
  kAssign,   // =
  kDeclare,  // :=
  kEOF,
  kField,  // .Name
  kIdentifier,
  kLeftDelim,
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,
  kRightDelim,
  kRightParen,
  kSpace,
  kString,
  kText,
  kVariable,  // $name or $
  // Keywords (printed as <word> in errors).
  kKeyword,
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Item {
  ItemType type;
  int pos;   // byte offset in the input
  int line;  // 1-based line of the item's start
  std::string_view val;  // a view into the input (or a static message for kError)
  std::string message;   // kError only
  // Go's item.String(): EOF, the error text, <keyword>, or the %q-quoted text.
  std::string String() const;
};

// Lexes the whole input. The last item is kEOF or kError.
std::vector<Item> Lex(std::string_view input);

}  // namespace fenrir::query::tmpl
