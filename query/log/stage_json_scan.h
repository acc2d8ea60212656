#pragma once
// A small single-pass JSON scanner with the exact leniency and error messages of
// github.com/buger/jsonparser (which Loki's json and unpack stages use): values are located by
// skipping, not validated; text after the top-level object is ignored; nested objects are
// delimited by brace counting. Stateless; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace fenrir::query::json {

enum class Type { kNotExist, kString, kNumber, kObject, kArray, kBoolean, kNull, kUnknown };

inline constexpr std::string_view kMalformedJson = "Malformed JSON error";
inline constexpr std::string_view kMalformedString =
    "Value is string, but can't find closing '\"' symbol";
inline constexpr std::string_view kMalformedArray =
    "Value is array, but can't find closing ']' symbol";
inline constexpr std::string_view kMalformedObject =
    "Value looks like object, but can't find closing '}' symbol";
inline constexpr std::string_view kMalformedValue =
    "Value looks like Number/Boolean/None, but can't find its end: ',' or '}' symbol";
inline constexpr std::string_view kUnknownValueType = "Unknown value type";
inline constexpr std::string_view kMalformedStringEscape =
    "Encountered an invalid escape sequence in a string";

// Offset of the first non-whitespace byte, or -1.
int64_t NextToken(std::string_view d);

// The value at the start of `d` (after whitespace): its bytes (strings without quotes), type and
// the offset just past it. Returns an error message or empty on success.
std::string_view GetValue(std::string_view d, std::string_view* value, Type* type, size_t* end);

// jsonparser.Unescape: decodes escapes into `out`. Returns false on an invalid escape.
bool Unescape(std::string_view in, std::string* out);

// Loki's unescapeJSONString: the unescaped value, or "" when unescaping fails or the result holds
// U+FFFD (from invalid UTF-8 or an escape).
void UnescapeValue(std::string_view raw, std::string* out);

// jsonparser.ObjectEach: calls fn(key, value, type) for each member of the object at the start
// of `d` (key unescaped). fn returns an error message (empty to continue). Returns the first error.
template <typename Fn>
std::string_view ObjectEach(std::string_view d, Fn&& fn) {
  thread_local std::string key_buf;
  size_t off = 0;
  int64_t t = NextToken(d);
  if (t < 0 || d[t] != '{') return kMalformedObject;
  off = t + 1;
  t = NextToken(d.substr(off));
  if (t < 0) return kMalformedJson;
  off += t;
  if (d[off] == '}') return {};
  while (off < d.size()) {
    if (d[off] == '}') return {};
    if (d[off] != '"') return kMalformedObject;
    ++off;
    // Find the end of the key string.
    size_t k = off;
    bool escaped = false;
    bool found = false;
    bool key_escaped = false;
    for (; k < d.size(); ++k) {
      char c = d[k];
      if (c == '"') {
        if (!escaped) {
          found = true;
          break;
        }
        // Count the backslashes before the quote.
        size_t j = k;
        size_t n = 0;
        while (j > off && d[j - 1] == '\\') {
          --j;
          ++n;
        }
        if (n % 2 == 0) {
          found = true;
          key_escaped = true;
          break;
        }
      } else if (c == '\\') {
        escaped = true;
      }
    }
    if (!found) return kMalformedJson;
    std::string_view key = d.substr(off, k - off);
    off = k + 1;
    if (key_escaped) {
      if (!Unescape(key, &key_buf)) return kMalformedStringEscape;
      key = key_buf;
    }
    t = NextToken(d.substr(off));
    if (t < 0 || d[off + t] != ':') return kMalformedJson;
    off += t + 1;
    std::string_view value;
    Type type;
    size_t end;
    std::string_view err = GetValue(d.substr(off), &value, &type, &end);
    if (!err.empty()) return err;
    std::string key_copy;  // the callback may reuse key_buf (nested objects)
    if (key_escaped) {
      key_copy.assign(key);
      key = key_copy;
    }
    err = fn(key, value, type);
    if (!err.empty()) return err;
    off += end;
    t = NextToken(d.substr(off));
    if (t < 0) return kMalformedArray;
    off += t;
    if (d[off] == '}') return {};
    if (d[off] != ',') return kMalformedObject;
    ++off;
    t = NextToken(d.substr(off));
    if (t < 0) return kMalformedArray;
    off += t;
  }
  return kMalformedObject;
}

// jsonparser.ArrayEach-style walk used by path lookups: calls fn(value, type) per element until
// it returns false. Returns an error message or empty.
template <typename Fn>
std::string_view ArrayEach(std::string_view d, Fn&& fn) {
  int64_t t = NextToken(d);
  if (t < 0 || d[t] != '[') return kMalformedArray;
  size_t off = t + 1;
  t = NextToken(d.substr(off));
  if (t < 0) return kMalformedArray;
  off += t;
  if (d[off] == ']') return {};
  while (off < d.size()) {
    std::string_view value;
    Type type;
    size_t end;
    std::string_view err = GetValue(d.substr(off), &value, &type, &end);
    if (!err.empty()) return err;
    if (!fn(value, type)) return {};
    off += end;
    t = NextToken(d.substr(off));
    if (t < 0) return kMalformedArray;
    off += t;
    if (d[off] == ']') return {};
    if (d[off] != ',') return kMalformedArray;
    ++off;
  }
  return kMalformedArray;
}

}  // namespace fenrir::query::json
