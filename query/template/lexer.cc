#include "query/template/lexer.h"

#include <cstdio>
#include <cstring>

#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr int kEof = -1;

bool IsSpace(int r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

bool IsAlphaNumeric(int r) {
  return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
         r >= 0x80;
}

bool HasLeftTrimMarker(std::string_view s) { return s.size() >= 2 && s[0] == '-' && IsSpace(s[1]); }
bool HasRightTrimMarker(std::string_view s) { return s.size() >= 2 && IsSpace(s[0]) && s[1] == '-'; }

size_t RightTrimLength(std::string_view s) {
  size_t n = s.size();
  while (n > 0 && IsSpace(static_cast<unsigned char>(s[n - 1]))) --n;
  return s.size() - n;
}
size_t LeftTrimLength(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && IsSpace(static_cast<unsigned char>(s[n]))) ++n;
  return n;
}

ItemType Keyword(std::string_view w) {
  if (w == ".") return ItemType::kDot;
  if (w == "block") return ItemType::kBlock;
  if (w == "break") return ItemType::kBreak;
  if (w == "continue") return ItemType::kContinue;
  if (w == "define") return ItemType::kDefine;
  if (w == "else") return ItemType::kElse;
  if (w == "end") return ItemType::kEnd;
  if (w == "if") return ItemType::kIf;
  if (w == "range") return ItemType::kRange;
  if (w == "nil") return ItemType::kNil;
  if (w == "template") return ItemType::kTemplate;
  if (w == "with") return ItemType::kWith;
  return ItemType::kError;
}

class Lexer {
 public:
  explicit Lexer(std::string_view input) : in_(input) {}

  std::vector<Item> Run() {
    while (!done_) {
      if (in_action_) {
        InsideAction();
      } else {
        Text();
      }
    }
    return std::move(items_);
  }

 private:
  int Peek() const { return pos_ < in_.size() ? static_cast<unsigned char>(in_[pos_]) : kEof; }
  int Next() {
    if (pos_ >= in_.size()) {
      at_eof_ = true;
      return kEof;
    }
    int r = static_cast<unsigned char>(in_[pos_]);
    // Decode a UTF-8 rune so that %#U messages and widths are right.
    size_t width = 1;
    if (r >= 0x80) {
      uint32_t cp;
      width = DecodeRune(in_.substr(pos_), &cp);
      r = static_cast<int>(cp);
    }
    pos_ += width;
    last_width_ = width;
    at_eof_ = false;
    if (r == '\n') ++line_;
    return r;
  }
  void Backup() {
    if (at_eof_) {
      at_eof_ = false;
      return;
    }
    pos_ -= last_width_;
    if (pos_ < in_.size() && in_[pos_] == '\n') --line_;
  }
  bool Accept(std::string_view valid) {
    int r = Peek();
    if (r != kEof && valid.find(static_cast<char>(r)) != std::string_view::npos) {
      Next();
      return true;
    }
    return false;
  }
  void AcceptRun(std::string_view valid) {
    while (Accept(valid)) {
    }
  }
  void Emit(ItemType t) {
    Item it{t, static_cast<int>(start_), start_line_, in_.substr(start_, pos_ - start_), {}};
    items_.push_back(std::move(it));
    Ignore();
  }
  void Ignore() {
    // Count the lines in the skipped text for the next item's start line.
    start_ = pos_;
    start_line_ = line_;
  }
  void Errorf(std::string msg) {
    Item it{ItemType::kError, static_cast<int>(start_), start_line_, {}, std::move(msg)};
    items_.push_back(std::move(it));
    done_ = true;
  }
  // Moves pos_ forward without Next() (line bookkeeping included).
  void Skip(size_t n) {
    for (size_t i = 0; i < n && pos_ < in_.size(); ++i) {
      if (in_[pos_] == '\n') ++line_;
      ++pos_;
    }
  }

  // Returns whether a right delimiter (optionally trim-marked) starts at pos_.
  bool AtRightDelim(bool* trim) const {
    std::string_view rest = in_.substr(pos_);
    if (HasRightTrimMarker(rest) && rest.substr(2).substr(0, kRightDelim.size()) == kRightDelim) {
      *trim = true;
      return true;
    }
    *trim = false;
    return rest.substr(0, kRightDelim.size()) == kRightDelim;
  }
  bool AtTerminator() const {
    int r = Peek();
    if (IsSpace(r)) return true;
    switch (r) {
      case kEof: case '.': case ',': case '|': case ':': case ')': case '(':
        return true;
    }
    return in_.substr(pos_, kRightDelim.size()) == kRightDelim;
  }

  void Text() {
    size_t x = in_.find(kLeftDelim, pos_);
    if (x == std::string_view::npos) {
      Skip(in_.size() - pos_);
      if (pos_ > start_) Emit(ItemType::kText);
      Emit(ItemType::kEOF);
      done_ = true;
      return;
    }
    if (x > pos_) {
      size_t delim_end = x + kLeftDelim.size();
      size_t trim = 0;
      if (HasLeftTrimMarker(in_.substr(delim_end))) {
        trim = RightTrimLength(in_.substr(start_, x - start_));
      }
      Skip(x - trim - pos_);
      if (pos_ > start_) Emit(ItemType::kText);
      Skip(trim);
      Ignore();
    }
    LeftDelim();
  }

  void LeftDelim() {
    Skip(kLeftDelim.size());
    bool trim = HasLeftTrimMarker(in_.substr(pos_));
    size_t after = trim ? 2 : 0;
    if (in_.substr(pos_ + after, kLeftComment.size()) == kLeftComment) {
      Skip(after);
      Ignore();
      Comment();
      return;
    }
    Emit(ItemType::kLeftDelim);
    Skip(after);
    Ignore();
    paren_depth_ = 0;
    in_action_ = true;
  }

  void Comment() {
    Skip(kLeftComment.size());
    size_t x = in_.find(kRightComment, pos_);
    if (x == std::string_view::npos) return Errorf("unclosed comment");
    Skip(x + kRightComment.size() - pos_);
    bool trim;
    if (!AtRightDelim(&trim)) return Errorf("comment ends before closing delimiter");
    if (trim) Skip(2);
    Skip(kRightDelim.size());
    if (trim) Skip(LeftTrimLength(in_.substr(pos_)));
    Ignore();
  }

  void RightDelim() {
    bool trim;
    AtRightDelim(&trim);
    if (trim) {
      Skip(2);
      Ignore();
    }
    Skip(kRightDelim.size());
    Emit(ItemType::kRightDelim);
    if (trim) {
      Skip(LeftTrimLength(in_.substr(pos_)));
      Ignore();
    }
    in_action_ = false;
  }

  void InsideAction() {
    bool trim;
    if (AtRightDelim(&trim)) {
      if (paren_depth_ == 0) return RightDelim();
      return Errorf("unclosed left paren");
    }
    int r = Next();
    if (r == kEof) return Errorf("unclosed action");
    if (IsSpace(r)) {
      Backup();
      return Space();
    }
    switch (r) {
      case '=': return Emit(ItemType::kAssign);
      case ':':
        if (Next() != '=') return Errorf("expected :=");
        return Emit(ItemType::kDeclare);
      case '|': return Emit(ItemType::kPipe);
      case '"': return Quote();
      case '`': return RawQuote();
      case '$': return FieldOrVariable(ItemType::kVariable);
      case '\'': return Char();
      case '(':
        ++paren_depth_;
        return Emit(ItemType::kLeftParen);
      case ')':
        --paren_depth_;
        if (paren_depth_ < 0) return Errorf("unexpected right paren");
        return Emit(ItemType::kRightParen);
    }
    if (r == '.') {
      int n = Peek();
      if (n < '0' || n > '9') return FieldOrVariable(ItemType::kField);
    }
    if (r == '.' || r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      Backup();
      return Number();
    }
    if (IsAlphaNumeric(r)) {
      Backup();
      return Identifier();
    }
    if (r < 0x80 && r >= 0x20 && r < 0x7f) return Emit(ItemType::kChar);
    return Errorf("unrecognized character in action: " + FormatRuneU(r));
  }

  void Space() {
    int spaces = 0;
    while (IsSpace(Peek())) {
      Next();
      ++spaces;
    }
    std::string_view from = in_.substr(pos_ - 1);
    if (HasRightTrimMarker(from) && from.substr(2, kRightDelim.size()) == kRightDelim) {
      Backup();
      if (spaces == 1) return;  // the space belongs to " -}}"
    }
    Emit(ItemType::kSpace);
  }

  void Identifier() {
    while (true) {
      int r = Next();
      if (IsAlphaNumeric(r)) continue;
      Backup();
      std::string_view word = in_.substr(start_, pos_ - start_);
      if (!AtTerminator()) return Errorf("bad character " + FormatRuneU(r));
      ItemType kw = Keyword(word);
      if (kw != ItemType::kError) return Emit(kw);
      if (word[0] == '.') return Emit(ItemType::kField);
      if (word == "true" || word == "false") return Emit(ItemType::kBool);
      return Emit(ItemType::kIdentifier);
    }
  }

  void FieldOrVariable(ItemType t) {
    if (AtTerminator()) return Emit(t == ItemType::kVariable ? ItemType::kVariable : ItemType::kDot);
    int r;
    while (true) {
      r = Next();
      if (!IsAlphaNumeric(r)) {
        Backup();
        break;
      }
    }
    if (!AtTerminator()) return Errorf("bad character " + FormatRuneU(r));
    Emit(t);
  }

  void Char() {
    while (true) {
      int r = Next();
      if (r == '\\') {
        int n = Next();
        if (n != kEof && n != '\n') continue;
        return Errorf("unterminated character constant");
      }
      if (r == kEof || r == '\n') return Errorf("unterminated character constant");
      if (r == '\'') break;
    }
    Emit(ItemType::kCharConstant);
  }

  void Quote() {
    while (true) {
      int r = Next();
      if (r == '\\') {
        int n = Next();
        if (n != kEof && n != '\n') continue;
        return Errorf("unterminated quoted string");
      }
      if (r == kEof || r == '\n') return Errorf("unterminated quoted string");
      if (r == '"') break;
    }
    Emit(ItemType::kString);
  }

  void RawQuote() {
    while (true) {
      int r = Next();
      if (r == kEof) return Errorf("unterminated raw quoted string");
      if (r == '`') break;
    }
    Emit(ItemType::kRawString);
  }

  bool ScanNumber() {
    Accept("+-");
    std::string_view digits = "0123456789_";
    if (Accept("0")) {
      if (Accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (Accept("oO")) {
        digits = "01234567_";
      } else if (Accept("bB")) {
        digits = "01_";
      }
    }
    AcceptRun(digits);
    if (Accept(".")) AcceptRun(digits);
    if (digits.size() == 11 && Accept("eE")) {
      Accept("+-");
      AcceptRun("0123456789_");
    }
    if (digits.size() == 23 && Accept("pP")) {
      Accept("+-");
      AcceptRun("0123456789_");
    }
    Accept("i");
    if (IsAlphaNumeric(Peek())) {
      Next();
      return false;
    }
    return true;
  }

  void Number() {
    if (!ScanNumber()) {
      return Errorf("bad number syntax: " + GoQuote(in_.substr(start_, pos_ - start_)));
    }
    int sign = Peek();
    if (sign == '+' || sign == '-') {
      if (!ScanNumber() || in_[pos_ - 1] != 'i') {
        return Errorf("bad number syntax: " + GoQuote(in_.substr(start_, pos_ - start_)));
      }
      return Emit(ItemType::kComplex);
    }
    Emit(ItemType::kNumber);
  }

  std::string_view in_;
  size_t pos_ = 0;
  size_t start_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  size_t last_width_ = 1;
  bool at_eof_ = false;
  bool in_action_ = false;
  bool done_ = false;
  int paren_depth_ = 0;
  std::vector<Item> items_;
};

}  // namespace

std::string Item::String() const {
  switch (type) {
    case ItemType::kEOF: return "EOF";
    case ItemType::kError: return message;
    default: break;
  }
  if (type > ItemType::kKeyword) return "<" + std::string(val) + ">";
  if (RuneCount(val) > 10) return GoQuotePrefix(val, 10) + "...";
  return GoQuote(val);
}

std::vector<Item> Lex(std::string_view input) { return Lexer(input).Run(); }

}  // namespace fenrir::query::tmpl
