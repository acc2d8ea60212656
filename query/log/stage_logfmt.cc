// The logfmt parser stage, with Loki's decoder (adapted go-logfmt) semantics.
#include <cstdio>
#include <map>

#include "base/utf8.h"
#include "query/log/stage.h"
#include "query/log/stage_json_scan.h"

namespace fenrir::query {

namespace {

bool Hex4(std::string_view s, size_t i, uint32_t* r) {
  if (i + 4 > s.size()) return false;
  uint32_t v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    char c = s[k];
    int h = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
    if (h < 0) return false;
    v = (v << 4) | static_cast<uint32_t>(h);
  }
  *r = v;
  return true;
}

// One record's key/value scanner (Loki's logfmt.Decoder).
class Decoder {
 public:
  explicit Decoder(std::string_view line) : line_(line) {}
  bool Eol() const { return pos_ >= line_.size(); }
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }
  bool has_err() const { return !err_.empty(); }
  const std::string& err() const { return err_; }

  // Advances to the next pair; false when it stops (end or error).
  bool ScanKeyval() {
    key_ = {};
    value_ = {};
    const size_t n = line_.size();
    auto c_at = [&](size_t i) { return static_cast<unsigned char>(line_[i]); };
    while (pos_ < n && c_at(pos_) <= ' ') ++pos_;
    if (pos_ >= n) return false;

    size_t start = pos_;
    bool multibyte = false;
    for (; pos_ < n; ++pos_) {
      unsigned char c = c_at(pos_);
      if (c == '=') {
        if (pos_ > start) {
          key_ = line_.substr(start, pos_ - start);
          if (multibyte && HasRuneError(key_)) {
            SyntaxError("invalid key");
            return SkipValue();
          }
        }
        if (key_.data() == nullptr) {
          UnexpectedByte(c);
          return SkipValue();
        }
        return Equal();
      }
      if (c == '"') {
        UnexpectedByte(c);
        return SkipValue();
      }
      if (c <= ' ') {
        if (pos_ > start) {
          key_ = line_.substr(start, pos_ - start);
          if (multibyte && HasRuneError(key_)) {
            SyntaxError("invalid key");
            return false;
          }
        }
        return true;
      }
      if (c >= 0x80) multibyte = true;
    }
    if (pos_ > start) {
      key_ = line_.substr(start, pos_ - start);
      if (multibyte && HasRuneError(key_)) {
        SyntaxError("invalid key");
        return false;
      }
    }
    return true;
  }

  static bool HasRuneError(std::string_view s) { return ContainsRuneError(s); }

 private:
  bool Equal() {
    const size_t n = line_.size();
    ++pos_;
    if (pos_ >= n) return true;
    unsigned char c = line_[pos_];
    if (c <= ' ') return true;
    if (c == '"') return QValue();
    size_t start = pos_;
    for (; pos_ < n; ++pos_) {
      unsigned char d = line_[pos_];
      if (d == '=' || d == '"') {
        UnexpectedByte(d);
        return SkipValue();
      }
      if (d <= ' ') {
        if (pos_ > start) value_ = line_.substr(start, pos_ - start);
        return true;
      }
    }
    if (pos_ > start) value_ = line_.substr(start, pos_ - start);
    return true;
  }

  bool SkipValue() {
    const size_t n = line_.size();
    for (; pos_ < n; ++pos_) {
      if (static_cast<unsigned char>(line_[pos_]) <= ' ') return false;
    }
    return false;
  }

  bool QValue() {
    const size_t n = line_.size();
    bool has_esc = false, esc = false;
    size_t start = pos_;
    for (size_t p = pos_ + 1; p < n; ++p) {
      char c = line_[p];
      if (esc) {
        esc = false;
      } else if (c == '\\') {
        has_esc = esc = true;
      } else if (c == '"') {
        pos_ = p + 1;
        if (has_esc) {
          if (!Unquote(line_.substr(start, pos_ - start), &unquoted_)) {
            SyntaxError("invalid quoted value");
            return false;
          }
          value_ = unquoted_;
        } else if (pos_ - 1 > start + 1) {
          value_ = line_.substr(start + 1, pos_ - 1 - (start + 1));
        }
        return true;
      }
    }
    pos_ = n;
    SyntaxError("unterminated quoted value");
    return false;
  }

  // encoding/json-style unquoting (go-logfmt's unquoteBytes), with \' accepted.
  static bool Unquote(std::string_view s, std::string* out) {
    s = s.substr(1, s.size() - 2);
    out->clear();
    for (size_t i = 0; i < s.size();) {
      char c = s[i];
      if (c == '"') return false;
      if (c != '\\') {
        out->push_back(c);
        ++i;
        continue;
      }
      if (++i >= s.size()) return false;
      char e = s[i];
      if (e == '\'') {
        out->push_back('\'');
        ++i;
        continue;
      }
      if (e == 'u') {
        uint32_t r;
        if (!Hex4(s, i + 1, &r)) return false;
        i += 5;
        if (r >= 0xD800 && r < 0xE000) {
          uint32_t r2;
          if (i + 1 < s.size() && s[i] == '\\' && s[i + 1] == 'u' && Hex4(s, i + 2, &r2) &&
              r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000) {
            r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
            i += 6;
          } else {
            r = 0xFFFD;
          }
        }
        AppendRune(out, r);
        continue;
      }
      std::string dec;
      char pair[2] = {'\\', e};
      if (!json::Unescape(std::string_view(pair, 2), &dec)) return false;
      out->append(dec);
      ++i;
    }
    return true;
  }

  void SyntaxError(std::string_view msg) {
    err_ = "logfmt syntax error at pos " + std::to_string(pos_ + 1) + " : " + std::string(msg);
  }
  void UnexpectedByte(unsigned char c) {
    char buf[16];
    if (c == '"') {
      std::snprintf(buf, sizeof buf, "'\"'");
    } else {
      std::snprintf(buf, sizeof buf, "'%c'", c);
    }
    err_ = "logfmt syntax error at pos " + std::to_string(pos_ + 1) + " : unexpected " + buf;
  }

  std::string_view line_;
  size_t pos_ = 0;
  std::string_view key_, value_;
  std::string unquoted_;
  std::string err_;
};

class LogfmtStage : public LineStage {
 public:
  LogfmtStage(bool strict, bool keep_empty) : strict_(strict), keep_empty_(keep_empty) {}
  bool Process(int64_t, std::string_view* line, LabelsBuilder* lbs, std::string*) const override {
    Decoder dec(*line);
    while (!dec.Eol()) {
      if (!dec.ScanKeyval()) {
        if (strict_) break;
        continue;
      }
      std::string key = SanitizeLabelKey(dec.key(), true);
      if (key.empty()) continue;
      if (lbs->BaseHas(key)) key += kExtractedSuffix;
      std::string_view val = dec.value();
      if (Decoder::HasRuneError(val)) val = {};
      if (!keep_empty_ && val.empty()) continue;
      lbs->Set(key, val);
    }
    if (strict_ && dec.has_err()) {
      lbs->SetErr(kErrLogfmt);
      lbs->SetErrDetails(dec.err());
    }
    return true;
  }

 private:
  bool strict_, keep_empty_;
};

// | logfmt name="key", ... : only the named keys, renamed; missing ones are "".
class LogfmtExprStage : public LineStage {
 public:
  LogfmtExprStage(std::vector<JsonParser::Param> params, bool strict)
      : params_(std::move(params)), strict_(strict) {}
  bool Process(int64_t, std::string_view* line, LabelsBuilder* lbs, std::string*) const override {
    for (const auto& p : params_) {
      if (!lbs->BaseHas(p.name)) lbs->Set(p.name, "");
    }
    Decoder dec(*line);
    while (!dec.Eol()) {
      if (!dec.ScanKeyval()) {
        if (strict_) break;
        continue;
      }
      std::string key = SanitizeLabelKey(dec.key(), true);
      if (key.empty()) continue;
      std::string_view val = dec.value();
      if (Decoder::HasRuneError(val)) val = {};
      const std::string* id = nullptr;
      for (const auto& p : params_) {
        if (p.expression == key) {
          id = &p.name;
          break;
        }
      }
      if (id == nullptr) {
        for (const auto& p : params_) {
          if (p.name == key) {
            id = &p.name;
            break;
          }
        }
      }
      if (id == nullptr) continue;
      lbs->Set(lbs->ExtractedName(*id), val);
    }
    if (strict_ && dec.has_err()) {
      lbs->SetErr(kErrLogfmt);
      lbs->SetErrDetails(dec.err());
    }
    return true;
  }

 private:
  std::vector<JsonParser::Param> params_;
  bool strict_;
};

}  // namespace

Result<LineStagePtr> BuildLogfmtParser(const LogfmtParser& p) {
  if (p.params.empty()) {
    return LineStagePtr(std::make_unique<LogfmtStage>(p.strict, p.keep_empty));
  }
  for (const auto& param : p.params) {
    if (!IsValidLabelName(param.name)) {
      return Status::InvalidArgument("invalid extracted label name '" + param.name + "'");
    }
    if (!IsValidLabelName(param.expression)) {
      return Status::InvalidArgument("cannot parse expression [" + param.expression +
                                     "]: syntax error");
    }
  }
  return LineStagePtr(std::make_unique<LogfmtExprStage>(p.params, p.strict));
}

}  // namespace fenrir::query
