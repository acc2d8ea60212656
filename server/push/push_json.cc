// JSON push decoding: a hand-written scanner for the two push shapes (no DOM).

#include <emmintrin.h>
#include <algorithm>
#include <cstring>
#include <string>

#include "base/utf8.h"
#include "server/push/push_request.h"
#include "server/rfc3339.h"

namespace fenrir::server {

namespace {

class Scanner {
 public:
  Scanner(std::string_view s, std::string prefix) : s_(s), prefix_(std::move(prefix)) {}

  Status Error(const std::string& what) const {
    std::string context(s_.substr(pos_ > 10 ? pos_ - 10 : 0, 30));
    return Status::InvalidArgument(prefix_ + what + ", error found in #" +
                                   std::to_string(pos_ + 1) + " byte of ...|" + context + "|...");
  }

  void Ws() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool AtEnd() {
    Ws();
    return pos_ >= s_.size();
  }
  char Peek() {
    Ws();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  bool Consume(char c) {
    if (Peek() == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Status Expect(char c) {
    if (Consume(c)) return Status::OK();
    return Error(std::string("expect ") + c + ", but found " + Found());
  }
  std::string Found() {
    if (pos_ >= s_.size()) return "EOF";
    return std::string(1, s_[pos_]);
  }
  bool ConsumeNull() {
    if (Peek() == 'n' && s_.substr(pos_, 4) == "null") {
      pos_ += 4;
      return true;
    }
    return false;
  }

  // Advances pos_ over whole 16-byte runs free of '"', '\\' and control bytes (SSE2); the
  // byte loop in String finishes the run.
  void SkipPlain() {
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i c1f = _mm_set1_epi8(0x1f);
    while (pos_ + 16 <= s_.size()) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s_.data() + pos_));
      __m128i special = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
          _mm_cmpeq_epi8(_mm_max_epu8(v, c1f), c1f));  // max(v, 0x1f) == 0x1f: v <= 0x1f
      const int mask = _mm_movemask_epi8(special);
      if (mask != 0) {
        pos_ += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        return;
      }
      pos_ += 16;
    }
  }

  Status String(std::string* out) {
    if (Peek() != '"') return Error("ReadString: expects \" or n, but found " + Found());
    ++pos_;
    out->clear();
    while (true) {
      size_t start = pos_;
      SkipPlain();
      while (pos_ < s_.size() && s_[pos_] != '"' && s_[pos_] != '\\' &&
             static_cast<unsigned char>(s_[pos_]) >= 0x20) {
        ++pos_;
      }
      out->append(s_.data() + start, pos_ - start);
      if (pos_ >= s_.size()) return Error("ReadString: unterminated string");
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return Status::OK();
      }
      if (c != '\\') return Error("ReadString: invalid control character in string");
      if (++pos_ >= s_.size()) return Error("ReadString: unterminated string");
      c = s_[pos_++];
      switch (c) {
        case '"': out->push_back('"'); break;
        case '\\': out->push_back('\\'); break;
        case '/': out->push_back('/'); break;
        case 'b': out->push_back('\b'); break;
        case 'f': out->push_back('\f'); break;
        case 'n': out->push_back('\n'); break;
        case 'r': out->push_back('\r'); break;
        case 't': out->push_back('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return Error("ReadString: invalid \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.substr(pos_, 2) == "\\u") {
            size_t save = pos_;
            pos_ += 2;
            uint32_t lo;
            if (Hex4(&lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              pos_ = save;
              cp = 0xFFFD;
            }
          } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
          }
          AppendRune(out, cp);
          break;
        }
        default:
          return Error(std::string("ReadString: invalid escape char after \\: ") + c);
      }
    }
  }

  // Skips any JSON value.
  Status Skip(int depth = 0) {
    if (depth > 512) return Error("Skip: nesting too deep");
    char c = Peek();
    if (c == '"') {
      std::string tmp;
      return String(&tmp);
    }
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      ++pos_;
      if (Consume(close)) return Status::OK();
      while (true) {
        if (c == '{') {
          std::string key;
          FENRIR_RETURN_IF_ERROR(String(&key));
          FENRIR_RETURN_IF_ERROR(Expect(':'));
        }
        FENRIR_RETURN_IF_ERROR(Skip(depth + 1));
        if (Consume(',')) continue;
        return Expect(close);
      }
    }
    size_t start = pos_;
    while (pos_ < s_.size() && (isalnum(static_cast<unsigned char>(s_[pos_])) ||
                                s_[pos_] == '-' || s_[pos_] == '+' || s_[pos_] == '.')) {
      ++pos_;
    }
    std::string_view tok = s_.substr(start, pos_ - start);
    if (tok == "true" || tok == "false" || tok == "null") return Status::OK();
    if (!tok.empty() && (isdigit(static_cast<unsigned char>(tok[0])) || tok[0] == '-')) {
      return Status::OK();
    }
    pos_ = start;
    return Error("Skip: invalid value, found " + Found());
  }

  // Iterates an object: calls fn(key) positioned at the value. null -> no calls.
  template <typename Fn>
  Status Object(Fn fn) {
    if (ConsumeNull()) return Status::OK();
    FENRIR_RETURN_IF_ERROR(Expect('{'));
    if (Consume('}')) return Status::OK();
    std::string key;
    while (true) {
      FENRIR_RETURN_IF_ERROR(String(&key));
      FENRIR_RETURN_IF_ERROR(Expect(':'));
      FENRIR_RETURN_IF_ERROR(fn(key));
      if (Consume(',')) continue;
      return Expect('}');
    }
  }

  // Iterates an array: calls fn() positioned at each element. null -> no calls.
  template <typename Fn>
  Status Array(Fn fn) {
    if (ConsumeNull()) return Status::OK();
    FENRIR_RETURN_IF_ERROR(Expect('['));
    if (Consume(']')) return Status::OK();
    while (true) {
      FENRIR_RETURN_IF_ERROR(fn());
      if (Consume(',')) continue;
      return Expect(']');
    }
  }

  void SetPrefix(std::string p) { prefix_ = std::move(p); }

 private:
  bool Hex4(uint32_t* out) {
    if (pos_ + 4 > s_.size()) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_ + i];
      int h = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (h < 0) return false;
      v = v * 16 + static_cast<uint32_t>(h);
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string prefix_;
};

// Go strconv.ParseInt for a pushed timestamp.
bool ParseNanos(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size() || s.size() - i > 19) return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  if (v > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

// Canonical series text of a JSON label map: sorted, Go-quoted values.
std::string LabelMapText(std::vector<storage::Label>* pairs) {
  std::sort(pairs->begin(), pairs->end());
  std::string out = "{";
  for (size_t i = 0; i < pairs->size(); ++i) {
    if (i) out += ", ";
    out += (*pairs)[i].name;
    out += '=';
    out += storage::GoQuote((*pairs)[i].value);
  }
  out += '}';
  return out;
}

Status StringMap(Scanner* sc, std::vector<storage::Label>* out) {
  return sc->Object([&](const std::string& key) -> Status {
    std::string value;
    FENRIR_RETURN_IF_ERROR(sc->String(&value));
    for (auto& l : *out) {
      if (l.name == key) {  // Go maps keep the last duplicate key
        l.value = std::move(value);
        return Status::OK();
      }
    }
    out->push_back({key, std::move(value)});
    return Status::OK();
  });
}

}  // namespace

Status DecodeJsonPush(std::string_view body, RawPush* out) {
  Scanner sc(body, "loghttp.PushRequest.Streams: ");
  std::string ts_text;
  FENRIR_RETURN_IF_ERROR(sc.Object([&](const std::string& key) -> Status {
    if (key != "streams") return sc.Skip();
    return sc.Array([&]() -> Status {
      if (sc.ConsumeNull()) return Status::OK();
      RawStream stream;
      std::vector<storage::Label> pairs;
      FENRIR_RETURN_IF_ERROR(sc.Object([&](const std::string& skey) -> Status {
        if (skey == "stream") return StringMap(&sc, &pairs);
        if (skey != "values") return sc.Skip();
        return sc.Array([&]() -> Status {
          if (sc.ConsumeNull()) return Status::OK();
          RawEntry entry;
          int index = 0;
          FENRIR_RETURN_IF_ERROR(sc.Array([&]() -> Status {
            switch (index++) {
              case 0:
                FENRIR_RETURN_IF_ERROR(sc.String(&ts_text));
                if (!ParseNanos(ts_text, &entry.timestamp_ns)) {
                  return sc.Error("strconv.ParseInt: parsing " + storage::GoQuote(ts_text) +
                                  ": invalid syntax");
                }
                return Status::OK();
              case 1: return sc.String(&entry.line);
              case 2: return StringMap(&sc, &entry.metadata);
              default: return sc.Error("unexpected element in entry");
            }
          }));
          if (index < 2) return sc.Error("entry must have a timestamp and a line");
          stream.entries.push_back(std::move(entry));
          return Status::OK();
        });
      }));
      stream.labels = LabelMapText(&pairs);
      out->streams.push_back(std::move(stream));
      return Status::OK();
    });
  }));
  if (!sc.AtEnd()) return sc.Error("unexpected data after the top-level value");
  return Status::OK();
}

Status DecodeLegacyJsonPush(std::string_view body, RawPush* out) {
  Scanner sc(body, "logproto.PushRequest.Streams: ");
  std::string ts_text;
  FENRIR_RETURN_IF_ERROR(sc.Object([&](const std::string& key) -> Status {
    if (key != "streams") return sc.Skip();
    return sc.Array([&]() -> Status {
      if (sc.ConsumeNull()) return Status::OK();
      RawStream stream;
      FENRIR_RETURN_IF_ERROR(sc.Object([&](const std::string& skey) -> Status {
        if (skey == "labels") return sc.String(&stream.labels);
        if (skey != "entries") return sc.Skip();
        return sc.Array([&]() -> Status {
          if (sc.ConsumeNull()) return Status::OK();
          RawEntry entry;
          FENRIR_RETURN_IF_ERROR(sc.Object([&](const std::string& ekey) -> Status {
            if (ekey == "ts" || ekey == "timestamp") {
              FENRIR_RETURN_IF_ERROR(sc.String(&ts_text));
              auto ts = ParseRfc3339(ts_text);
              if (!ts.ok()) return sc.Error(ts.status().message());
              entry.timestamp_ns = *ts;
              return Status::OK();
            }
            if (ekey == "line") return sc.String(&entry.line);
            if (ekey == "structuredMetadata") {
              return sc.Array([&]() -> Status {
                storage::Label l;
                FENRIR_RETURN_IF_ERROR(sc.Object([&](const std::string& mkey) -> Status {
                  if (mkey == "name") return sc.String(&l.name);
                  if (mkey == "value") return sc.String(&l.value);
                  return sc.Skip();
                }));
                entry.metadata.push_back(std::move(l));
                return Status::OK();
              });
            }
            return sc.Skip();
          }));
          stream.entries.push_back(std::move(entry));
          return Status::OK();
        });
      }));
      out->streams.push_back(std::move(stream));
      return Status::OK();
    });
  }));
  if (!sc.AtEnd()) return sc.Error("unexpected data after the top-level value");
  return Status::OK();
}

}  // namespace fenrir::server
