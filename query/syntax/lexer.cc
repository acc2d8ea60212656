#include "query/syntax/lexer.h"

#include <cctype>
#include <unordered_map>

#include "base/prom_duration.h"
#include "query/syntax/lexer_strings.h"

namespace fenrir::query {

namespace {

struct Word {
  Tok kind;
  RangeOp range_op = RangeOp::kCountOverTime;
  VectorOp vector_op = VectorOp::kSum;
};

// Words that are tokens only when a `(` (or `by (` / `without (`) follows.
const std::unordered_map<std::string_view, Word>& FunctionWords() {
  static const auto* m = new std::unordered_map<std::string_view, Word>{
      {"rate", {Tok::kRangeOp, RangeOp::kRate}},
      {"rate_counter", {Tok::kRangeOp, RangeOp::kRateCounter}},
      {"count_over_time", {Tok::kRangeOp, RangeOp::kCountOverTime}},
      {"bytes_rate", {Tok::kRangeOp, RangeOp::kBytesRate}},
      {"bytes_over_time", {Tok::kRangeOp, RangeOp::kBytesOverTime}},
      {"avg_over_time", {Tok::kRangeOp, RangeOp::kAvgOverTime}},
      {"sum_over_time", {Tok::kRangeOp, RangeOp::kSumOverTime}},
      {"min_over_time", {Tok::kRangeOp, RangeOp::kMinOverTime}},
      {"max_over_time", {Tok::kRangeOp, RangeOp::kMaxOverTime}},
      {"stdvar_over_time", {Tok::kRangeOp, RangeOp::kStdvarOverTime}},
      {"stddev_over_time", {Tok::kRangeOp, RangeOp::kStddevOverTime}},
      {"quantile_over_time", {Tok::kRangeOp, RangeOp::kQuantileOverTime}},
      {"first_over_time", {Tok::kRangeOp, RangeOp::kFirstOverTime}},
      {"last_over_time", {Tok::kRangeOp, RangeOp::kLastOverTime}},
      {"absent_over_time", {Tok::kRangeOp, RangeOp::kAbsentOverTime}},
      {"vector", {Tok::kVector}},
      {"sum", {Tok::kVectorOp, {}, VectorOp::kSum}},
      {"avg", {Tok::kVectorOp, {}, VectorOp::kAvg}},
      {"max", {Tok::kVectorOp, {}, VectorOp::kMax}},
      {"min", {Tok::kVectorOp, {}, VectorOp::kMin}},
      {"count", {Tok::kVectorOp, {}, VectorOp::kCount}},
      {"stddev", {Tok::kVectorOp, {}, VectorOp::kStddev}},
      {"stdvar", {Tok::kVectorOp, {}, VectorOp::kStdvar}},
      {"bottomk", {Tok::kVectorOp, {}, VectorOp::kBottomK}},
      {"topk", {Tok::kVectorOp, {}, VectorOp::kTopK}},
      {"sort", {Tok::kVectorOp, {}, VectorOp::kSort}},
      {"sort_desc", {Tok::kVectorOp, {}, VectorOp::kSortDesc}},
      {"label_replace", {Tok::kLabelReplace}},
      {"bytes", {Tok::kBytesConv}},
      {"duration", {Tok::kDurationConv}},
      {"duration_seconds", {Tok::kDurationSecondsConv}},
      {"ip", {Tok::kIp}},
  };
  return *m;
}

const std::unordered_map<std::string_view, Tok>& KeywordWords() {
  static const auto* m = new std::unordered_map<std::string_view, Tok>{
      {"by", Tok::kBy}, {"without", Tok::kWithout}, {"bool", Tok::kBool},
      {"offset", Tok::kOffset}, {"on", Tok::kOn}, {"ignoring", Tok::kIgnoring},
      {"group_left", Tok::kGroupLeft}, {"group_right", Tok::kGroupRight},
      {"unwrap", Tok::kUnwrap}, {"or", Tok::kOr}, {"and", Tok::kAnd}, {"unless", Tok::kUnless},
      {"json", Tok::kJson}, {"regexp", Tok::kRegexp}, {"logfmt", Tok::kLogfmt},
      {"unpack", Tok::kUnpack}, {"pattern", Tok::kPattern}, {"label_format", Tok::kLabelFmt},
      {"line_format", Tok::kLineFmt}, {"ip", Tok::kIp}, {"decolorize", Tok::kDecolorize},
      {"drop", Tok::kDrop}, {"keep", Tok::kKeep}, {"label_replace", Tok::kLabelReplace},
  };
  return *m;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Non-ASCII bytes are taken as letters (Go accepts Unicode letters in identifiers).
bool IsIdentStart(char c) {
  return c == '_' || std::isalpha(static_cast<unsigned char>(c)) || (c & 0x80);
}
bool IsIdentPart(char c) { return IsIdentStart(c) || IsDigit(c); }
// 'µ' (U+00B5) arrives as the bytes C2 B5.
bool IsDurationRune(char c) {
  return c == '\xc2' || c == '\xb5' || c == 'n' || c == 'u' || c == 'm' || c == 's' ||
         c == 'h' || c == 'd' || c == 'w' || c == 'y';
}
bool IsBytesRune(char c) {
  return c == 'B' || c == 'i' || c == 'k' || c == 'K' || c == 'M' || c == 'G' || c == 'T' ||
         c == 'P';
}

class Lexer {
 public:
  explicit Lexer(std::string_view in) : in_(in) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      SkipSpaceAndComments();
      Token t;
      t.line = line_;
      t.col = col_;
      if (pos_ >= in_.size()) {
        out.push_back(std::move(t));
        return out;
      }
      Status st = Next(&t);
      if (!st.ok()) return st;
      out.push_back(std::move(t));
    }
  }

 private:
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0';
  }
  void Advance(size_t n = 1) {
    for (size_t k = 0; k < n && pos_ < in_.size(); ++k) {
      char c = in_[pos_++];
      if (c == '\n') {
        ++line_;
        col_ = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++col_;  // count runes, not continuation bytes
      }
    }
  }
  Status Error(int line, int col, const std::string& msg) const {
    return Status::InvalidArgument("parse error at line " + std::to_string(line) + ", col " +
                                   std::to_string(col) + ": " + msg);
  }

  void SkipSpaceAndComments() {
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (IsSpace(c)) {
        Advance();
      } else if (c == '#' || (c == '/' && Peek(1) == '/')) {
        while (pos_ < in_.size() && in_[pos_] != '\n') Advance();
      } else if (c == '/' && Peek(1) == '*') {
        Advance(2);
        while (pos_ < in_.size() && !(in_[pos_] == '*' && Peek(1) == '/')) Advance();
        Advance(2);
      } else {
        return;
      }
    }
  }

  // Characters after the current position (up to whitespace) accepted by `pred`.
  template <typename Pred>
  size_t SuffixLen(Pred pred) const {
    size_t n = 0;
    while (pos_ + n < in_.size() && !IsSpace(in_[pos_ + n]) && pred(in_[pos_ + n])) ++n;
    return n;
  }

  Status Next(Token* t) {
    char c = in_[pos_];
    if (IsDigit(c) || (c == '.' && IsDigit(Peek(1)))) return Number(t);
    if (IsIdentStart(c)) return Word(t);
    if (c == '"' || c == '`') return StringLiteral(t);
    if (c == '[') return RangeLiteral(t);
    if (c == '-') {
      if (Peek(1) == '-') {
        size_t n = 1;
        while (pos_ + n < in_.size() &&
               (std::isalpha(static_cast<unsigned char>(in_[pos_ + n])) || in_[pos_ + n] == '-'))
          ++n;
        std::string_view flag = in_.substr(pos_, n);
        if (flag == "--strict" || flag == "--keep-empty") {
          t->kind = Tok::kParserFlag;
          t->text = std::string(flag);
          Advance(n);
          return Status::OK();
        }
      }
      size_t save = pos_;
      ++pos_;
      size_t n = SuffixLen([](char ch) { return IsDigit(ch) || IsDurationRune(ch) || ch == '.'; });
      pos_ = save;
      if (n > 0 && ParseDurationLiteral(in_.substr(pos_, n + 1), &t->duration_ns)) {
        t->kind = Tok::kDuration;
        t->text = std::string(in_.substr(pos_, n + 1));
        Advance(n + 1);
        return Status::OK();
      }
    }
    return Operator(t);
  }

  Status Number(Token* t) {
    size_t start = pos_;
    auto digits = [&] {
      while (pos_ < in_.size() && (IsDigit(in_[pos_]) || in_[pos_] == '_')) ++pos_;
    };
    if (Peek() == '0' && (Peek(1) == 'x' || Peek(1) == 'X')) {
      pos_ += 2;
      while (pos_ < in_.size() && std::isxdigit(static_cast<unsigned char>(in_[pos_]))) ++pos_;
    } else {
      digits();
      if (Peek() == '.') {
        ++pos_;
        digits();
      }
      if ((Peek() == 'e' || Peek() == 'E') &&
          (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
        pos_ += 2;
        digits();
      }
    }
    std::string number(in_.substr(start, pos_ - start));
    col_ += static_cast<int>(pos_ - start);
    size_t n = SuffixLen([](char ch) { return IsDigit(ch) || IsDurationRune(ch) || ch == '.'; });
    if (n > 0 && ParseDurationLiteral(number + std::string(in_.substr(pos_, n)), &t->duration_ns)) {
      t->kind = Tok::kDuration;
      t->text = number + std::string(in_.substr(pos_, n));
      Advance(n);
      return Status::OK();
    }
    n = SuffixLen([](char ch) { return IsDigit(ch) || IsBytesRune(ch) || ch == '.'; });
    if (n > 0 && ParseBytesLiteral(number + std::string(in_.substr(pos_, n)), &t->bytes)) {
      t->kind = Tok::kBytes;
      t->text = number + std::string(in_.substr(pos_, n));
      Advance(n);
      return Status::OK();
    }
    t->kind = Tok::kNumber;
    t->text = std::move(number);
    return Status::OK();
  }

  // True when the next non-space text is `(`, or `by`/`without` followed by `(`.
  bool FollowedByCall() const {
    size_t i = pos_;
    while (i < in_.size() && IsSpace(in_[i])) ++i;
    if (i < in_.size() && in_[i] == '(') return true;
    for (std::string_view kw : {std::string_view("by"), std::string_view("without")}) {
      if (in_.substr(i, kw.size()) == kw) {
        size_t j = i + kw.size();
        while (j < in_.size() && IsSpace(in_[j])) ++j;
        return j < in_.size() && in_[j] == '(';
      }
    }
    return false;
  }

  Status Word(Token* t) {
    size_t start = pos_;
    while (pos_ < in_.size() && IsIdentPart(in_[pos_])) Advance();
    std::string_view w = in_.substr(start, pos_ - start);
    t->text = std::string(w);
    auto fn = FunctionWords().find(w);
    if (fn != FunctionWords().end() && FollowedByCall()) {
      t->kind = fn->second.kind;
      t->range_op = fn->second.range_op;
      t->vector_op = fn->second.vector_op;
      return Status::OK();
    }
    auto kw = KeywordWords().find(w);
    t->kind = kw != KeywordWords().end() ? kw->second : Tok::kIdentifier;
    return Status::OK();
  }

  Status StringLiteral(Token* t) {
    auto literal = ScanStringLiteral(in_.substr(pos_));
    if (!literal.ok()) return Error(line_, col_, literal.status().message());
    t->kind = Tok::kString;
    t->text = std::move(literal->value);
    Advance(literal->length);
    return Status::OK();
  }

  Status RangeLiteral(Token* t) {
    int line = line_, col = col_;
    size_t close = in_.find(']', pos_);
    if (close == std::string_view::npos) {
      Advance(in_.size() - pos_);
      return Error(line_, col_, "missing closing ']' in duration");
    }
    std::string_view body = in_.substr(pos_ + 1, close - pos_ - 1);
    Advance(close - pos_ + 1);
    auto duration = ParsePromDuration(body);
    if (!duration.ok()) return Error(line, col, duration.status().message());
    t->duration_ns = *duration;
    t->kind = Tok::kRange;
    t->text = std::string(body);
    return Status::OK();
  }

  Status Operator(Token* t) {
    static const struct {
      std::string_view text;
      Tok kind;
    } kOps[] = {
        {"!=", Tok::kNeq},      {"=~", Tok::kRe},       {"!~", Tok::kNre},
        {"|=", Tok::kPipeExact}, {"|~", Tok::kPipeMatch}, {"|>", Tok::kPipePattern},
        {"!>", Tok::kNpa},      {"==", Tok::kCmpEq},    {">=", Tok::kGte},
        {"<=", Tok::kLte},      {",", Tok::kComma},     {".", Tok::kDot},
        {"{", Tok::kOpenBrace}, {"}", Tok::kCloseBrace}, {"(", Tok::kOpenParen},
        {")", Tok::kCloseParen}, {"]", Tok::kCloseBracket}, {"=", Tok::kEq},
        {"|", Tok::kPipe},      {"+", Tok::kAdd},       {"-", Tok::kSub},
        {"*", Tok::kMul},       {"/", Tok::kDiv},       {"%", Tok::kMod},
        {"^", Tok::kPow},       {">", Tok::kGt},        {"<", Tok::kLt},
    };
    for (const auto& op : kOps) {
      if (in_.substr(pos_, op.text.size()) == op.text) {
        t->kind = op.kind;
        t->text = std::string(op.text);
        Advance(op.text.size());
        return Status::OK();
      }
    }
    // Loki turns any other character into an identifier the grammar then rejects.
    size_t n = 1;
    while (pos_ + n < in_.size() && (in_[pos_ + n] & 0xC0) == 0x80) ++n;
    t->kind = Tok::kIdentifier;
    t->text = std::string(in_.substr(pos_, n));
    Advance(n);
    return Status::OK();
  }

  std::string_view in_;
  size_t pos_ = 0;
  int line_ = 1, col_ = 1;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view input) { return Lexer(input).Run(); }

}  // namespace fenrir::query
