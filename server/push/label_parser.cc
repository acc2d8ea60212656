#include "server/push/label_parser.h"

#include <string>

#include "base/go_unquote.h"
#include "base/utf8.h"

namespace fenrir::server {

namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsMetricChar(char c) { return IsNameChar(c) || c == ':'; }

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size() || (n == 2 && c < 0xC2)) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

class SeriesParser {
 public:
  explicit SeriesParser(std::string_view text) : s_(text) {}

  Result<std::vector<storage::Label>> Parse() {
    std::vector<storage::Label> out;
    SkipSpace();
    if (pos_ < s_.size() && (IsNameStart(s_[pos_]) || s_[pos_] == ':')) {
      size_t start = pos_;
      while (pos_ < s_.size() && IsMetricChar(s_[pos_])) ++pos_;
      out.push_back({"__name__", std::string(s_.substr(start, pos_ - start))});
      SkipSpace();
      if (pos_ == s_.size()) return out;
    }
    if (pos_ >= s_.size()) return Error("unexpected end of input, expected label set");
    if (s_[pos_] != '{') return Error(Unexpected() + ", expected \"{\"");
    ++pos_;
    while (true) {
      SkipSpace();
      if (pos_ >= s_.size()) return Error("unexpected end of input inside braces");
      if (s_[pos_] == '}') {
        ++pos_;
        break;
      }
      if (!IsNameStart(s_[pos_])) {
        return Error(Unexpected() + " in label set, expected identifier or \"}\"");
      }
      size_t start = pos_;
      while (pos_ < s_.size() && IsNameChar(s_[pos_])) ++pos_;
      std::string name(s_.substr(start, pos_ - start));
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '=' ||
          (pos_ + 1 < s_.size() && (s_[pos_ + 1] == '~' || s_[pos_ + 1] == '='))) {
        return Error(Unexpected() + " in label set, expected \"=\"");
      }
      ++pos_;
      SkipSpace();
      std::string value;
      Status st = ReadString(&value);
      if (!st.ok()) return st;
      out.push_back({std::move(name), std::move(value)});
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < s_.size() && s_[pos_] == '}') continue;
      if (pos_ >= s_.size()) return Error("unexpected end of input inside braces");
      return Error(Unexpected() + " in label set, expected \",\" or \"}\"");
    }
    SkipSpace();
    if (pos_ != s_.size()) return Error(Unexpected() + ", expected end of input");
    return out;
  }

 private:
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' ||
                                s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  std::string Unexpected() const {
    if (pos_ >= s_.size()) return "unexpected end of input";
    return std::string("unexpected character: '") + s_[pos_] + "'";
  }

  Status Error(const std::string& msg) const {
    return Status::InvalidArgument("1:" + std::to_string(pos_ + 1) + ": parse error: " + msg);
  }

  Status ReadString(std::string* out) {
    if (pos_ >= s_.size()) return Error("unexpected end of input, expected string");
    char q = s_[pos_];
    if (q != '"' && q != '\'' && q != '`') {
      return Error(Unexpected() + " in label set, expected string");
    }
    size_t start = ++pos_;
    if (q == '`') {
      size_t end = s_.find('`', start);
      if (end == std::string_view::npos) return Error("unterminated raw string");
      *out = std::string(s_.substr(start, end - start));
      pos_ = end + 1;
    } else {
      while (pos_ < s_.size() && s_[pos_] != q) {
        if (s_[pos_] == '\n') return Error("unterminated quoted string");
        if (s_[pos_] == '\\') ++pos_;
        ++pos_;
      }
      if (pos_ >= s_.size()) return Error("unterminated quoted string");
      // Prometheus unquotes with util/strutil.Unquote.
      auto value = PromUnquote(s_.substr(start - 1, pos_ - start + 2));
      if (!value) return Error("invalid syntax in quoted string");
      *out = std::move(*value);
      ++pos_;
    }
    if (!ValidUtf8(*out)) return Error("invalid UTF-8 rune");
    return Status::OK();
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<storage::Label>> ParseSeriesLabels(std::string_view text) {
  // Prometheus' lexer stops at the first invalid rune.
  size_t bad = FirstInvalidUtf8(text);
  if (bad != std::string_view::npos) {
    return Status::InvalidArgument("1:" + std::to_string(bad + 1) +
                                   ": parse error: invalid UTF-8 rune");
  }
  return SeriesParser(text).Parse();
}

}  // namespace fenrir::server
