// String functions: Go's strings package as Loki exposes it (ToLower, Replace, Trim...), sprig's
// (lower, trunc, substr, indent, trimAll...) and Loki's alignLeft / alignRight.

#include <string>

#include "query/template/funcs.h"
#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

using A = std::span<const Value>;
constexpr ParamType kS = ParamType::kString;
constexpr ParamType kI = ParamType::kInt;

Status Str(std::string s, Value* out) {
  *out = Value::Owned(std::move(s));
  return Status::OK();
}

// Simple case mapping for ASCII, Latin-1, Greek and Cyrillic (unicode.ToLower/ToUpper subset).
uint32_t ToLowerRune(uint32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  if ((r >= 0xC0 && r <= 0xDE && r != 0xD7)) return r + 32;
  if (r >= 0x100 && r <= 0x17F && r != 0x130 && r != 0x131 && r != 0x138 && r != 0x149 &&
      r != 0x17F) {
    bool odd_lower = (r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17E);
    if (odd_lower) return (r % 2 == 1) ? r + 1 : r;
    return (r % 2 == 0) ? r + 1 : r;
  }
  if (r >= 0x391 && r <= 0x3AB && r != 0x3A2) return r + 32;
  if (r >= 0x410 && r <= 0x42F) return r + 32;
  if (r >= 0x400 && r <= 0x40F) return r + 80;
  return r;
}

uint32_t ToUpperRune(uint32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') ? r - 32 : r;
  if (r >= 0xE0 && r <= 0xFE && r != 0xF7) return r - 32;
  if (r == 0xFF) return 0x178;
  if (r >= 0x100 && r <= 0x17F && r != 0x130 && r != 0x131 && r != 0x138 && r != 0x149 &&
      r != 0x17F) {
    bool odd_lower = (r >= 0x139 && r <= 0x148) || (r >= 0x179 && r <= 0x17E);
    if (odd_lower) return (r % 2 == 0) ? r - 1 : r;
    return (r % 2 == 1) ? r - 1 : r;
  }
  if (r >= 0x3B1 && r <= 0x3CB && r != 0x3C2) return r - 32;
  if (r >= 0x430 && r <= 0x44F) return r - 32;
  if (r >= 0x450 && r <= 0x45F) return r - 80;
  return r;
}

template <typename F>
std::string MapRunes(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(f(c)));
      ++i;
      continue;
    }
    uint32_t r;
    size_t w = DecodeRune(s.substr(i), &r);
    AppendRune(&out, f(r));
    i += w;
  }
  return out;
}

Status FnLower(const CallContext&, A a, Value* out) {
  return Str(MapRunes(a[0].AsString(), ToLowerRune), out);
}
Status FnUpper(const CallContext&, A a, Value* out) {
  return Str(MapRunes(a[0].AsString(), ToUpperRune), out);
}

bool IsSeparator(uint32_t r) {
  if (r <= 0x7F) {
    if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == '_') {
      return false;
    }
    return true;
  }
  return r == 0xA0 || r == 0x2028 || r == 0x2029 || r == 0x3000 || (r >= 0x2000 && r <= 0x200A);
}

Status FnTitle(const CallContext&, A a, Value* out) {
  std::string_view s = a[0].AsString();
  std::string res;
  uint32_t prev = ' ';
  for (size_t i = 0; i < s.size();) {
    uint32_t r;
    size_t w = DecodeRune(s.substr(i), &r);
    AppendRune(&res, IsSeparator(prev) ? ToUpperRune(r) : r);
    prev = r;
    i += w;
  }
  return Str(std::move(res), out);
}

std::string Replace(std::string_view s, std::string_view old, std::string_view neu, int64_t n) {
  if (old == neu || n == 0) return std::string(s);
  std::string res;
  size_t start = 0;
  int64_t done = 0;
  if (old.empty()) {
    // Go inserts neu before every rune and at the end (up to n times).
    for (size_t i = 0; i <= s.size() && (n < 0 || done < n);) {
      res.append(neu);
      ++done;
      if (i == s.size()) {
        start = i;
        break;
      }
      uint32_t r;
      size_t w = DecodeRune(s.substr(i), &r);
      res.append(s.substr(i, w));
      i += w;
      start = i;
    }
    res.append(s.substr(start));
    return res;
  }
  while (n < 0 || done < n) {
    size_t pos = s.find(old, start);
    if (pos == std::string_view::npos) break;
    res.append(s.substr(start, pos - start));
    res.append(neu);
    start = pos + old.size();
    ++done;
  }
  res.append(s.substr(start));
  return res;
}

bool InCutset(uint32_t r, std::string_view cutset) {
  for (size_t i = 0; i < cutset.size();) {
    uint32_t c;
    i += DecodeRune(cutset.substr(i), &c);
    if (c == r) return true;
  }
  return false;
}

std::string_view TrimLeftSet(std::string_view s, std::string_view cutset) {
  while (!s.empty()) {
    uint32_t r;
    size_t w = DecodeRune(s, &r);
    if (!InCutset(r, cutset)) break;
    s.remove_prefix(w);
  }
  return s;
}

std::string_view TrimRightSet(std::string_view s, std::string_view cutset) {
  while (!s.empty()) {
    // Find the start of the last rune.
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80 &&
           s.size() - start < 4) {
      --start;
    }
    uint32_t r;
    size_t w = DecodeRune(s.substr(start), &r);
    if (start + w != s.size()) {
      start = s.size() - 1;
      r = kRuneError;
    }
    if (!InCutset(r, cutset)) break;
    s.remove_suffix(s.size() - start);
  }
  return s;
}

bool IsSpaceRune(uint32_t r) {
  return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 || r == 0x1680 ||
         (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F ||
         r == 0x205F || r == 0x3000;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty()) {
    uint32_t r;
    size_t w = DecodeRune(s, &r);
    if (!IsSpaceRune(r)) break;
    s.remove_prefix(w);
  }
  while (!s.empty()) {
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    uint32_t r;
    DecodeRune(s.substr(start), &r);
    if (!IsSpaceRune(r)) break;
    s.remove_suffix(s.size() - start);
  }
  return s;
}

std::string_view TrimPrefix(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p ? s.substr(p.size()) : s;
}
std::string_view TrimSuffix(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p
             ? s.substr(0, s.size() - p.size())
             : s;
}

Status FnGoReplace(const CallContext&, A a, Value* out) {
  return Str(Replace(a[0].AsString(), a[1].AsString(), a[2].AsString(), a[3].AsInt()), out);
}
Status FnGoTrim(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimRightSet(TrimLeftSet(a[0].AsString(), a[1].AsString()),
                                      a[1].AsString())),
             out);
}
Status FnGoTrimLeft(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimLeftSet(a[0].AsString(), a[1].AsString())), out);
}
Status FnGoTrimRight(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimRightSet(a[0].AsString(), a[1].AsString())), out);
}
Status FnGoTrimPrefix(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimPrefix(a[0].AsString(), a[1].AsString())), out);
}
Status FnGoTrimSuffix(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimSuffix(a[0].AsString(), a[1].AsString())), out);
}
Status FnTrimSpace(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimSpace(a[0].AsString())), out);
}

// sprig's argument order puts the subject last, for pipelines.
Status FnTrimAll(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimRightSet(TrimLeftSet(a[1].AsString(), a[0].AsString()),
                                      a[0].AsString())),
             out);
}
Status FnTrimPrefix(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimPrefix(a[1].AsString(), a[0].AsString())), out);
}
Status FnTrimSuffix(const CallContext&, A a, Value* out) {
  return Str(std::string(TrimSuffix(a[1].AsString(), a[0].AsString())), out);
}
Status FnReplace(const CallContext&, A a, Value* out) {
  return Str(Replace(a[2].AsString(), a[0].AsString(), a[1].AsString(), -1), out);
}
Status FnContains(const CallContext&, A a, Value* out) {
  *out = Value::Bool(a[1].AsString().find(a[0].AsString()) != std::string_view::npos);
  return Status::OK();
}
Status FnHasPrefix(const CallContext&, A a, Value* out) {
  std::string_view s = a[1].AsString(), p = a[0].AsString();
  *out = Value::Bool(s.substr(0, p.size()) == p);
  return Status::OK();
}
Status FnHasSuffix(const CallContext&, A a, Value* out) {
  std::string_view s = a[1].AsString(), p = a[0].AsString();
  *out = Value::Bool(s.size() >= p.size() && s.substr(s.size() - p.size()) == p);
  return Status::OK();
}

std::string SliceError(int64_t lo, int64_t hi, size_t len, bool lo_side) {
  if (lo_side) {
    return "runtime error: slice bounds out of range [" + std::to_string(lo) + ":" +
           std::to_string(hi) + "]";
  }
  return "runtime error: slice bounds out of range [:" + std::to_string(hi) + "] with length " +
         std::to_string(len);
}

// sprig's trunc works on bytes.
Status FnTrunc(const CallContext&, A a, Value* out) {
  int64_t c = a[0].AsInt();
  std::string_view s = a[1].AsString();
  int64_t len = static_cast<int64_t>(s.size());
  if (c < 0 && len + c > 0) return Str(std::string(s.substr(static_cast<size_t>(len + c))), out);
  if (c >= 0 && len > c) return Str(std::string(s.substr(0, static_cast<size_t>(c))), out);
  *out = a[1];
  return Status::OK();
}

// sprig's substr works on bytes; out-of-range slices panic in Go, reported as errors.
Status FnSubstr(const CallContext&, A a, Value* out) {
  int64_t start = a[0].AsInt(), end = a[1].AsInt();
  std::string_view s = a[2].AsString();
  int64_t len = static_cast<int64_t>(s.size());
  if (start < 0) {
    if (end < 0 || end > len) return Errorf(SliceError(0, end, s.size(), false));
    return Str(std::string(s.substr(0, static_cast<size_t>(end))), out);
  }
  if (end < 0 || end > len) {
    if (start > len) {
      return Errorf("runtime error: slice bounds out of range [" + std::to_string(start) +
                    ":" + std::to_string(len) + "]");
    }
    return Str(std::string(s.substr(static_cast<size_t>(start))), out);
  }
  if (start > end) return Errorf(SliceError(start, end, s.size(), true));
  return Str(std::string(s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start))),
             out);
}

std::string Indent(int64_t spaces, std::string_view v) {
  std::string pad(spaces > 0 ? static_cast<size_t>(spaces) : 0, ' ');
  return pad + Replace(v, "\n", "\n" + pad, -1);
}
Status FnIndent(const CallContext&, A a, Value* out) {
  if (a[0].AsInt() < 0) return Errorf("strings: negative Repeat count");
  return Str(Indent(a[0].AsInt(), a[1].AsString()), out);
}
Status FnNindent(const CallContext&, A a, Value* out) {
  if (a[0].AsInt() < 0) return Errorf("strings: negative Repeat count");
  return Str("\n" + Indent(a[0].AsInt(), a[1].AsString()), out);
}
Status FnRepeat(const CallContext&, A a, Value* out) {
  int64_t n = a[0].AsInt();
  if (n < 0) return Errorf("strings: negative Repeat count");
  std::string_view s = a[1].AsString();
  if (!s.empty() && static_cast<uint64_t>(n) > (1ull << 30) / s.size()) {
    return Errorf("strings: Repeat output length overflow");
  }
  std::string res;
  res.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) res.append(s);
  return Str(std::move(res), out);
}

// Loki's alignLeft / alignRight count runes.
Status Align(A a, Value* out, bool left) {
  int64_t count = a[0].AsInt();
  std::string_view s = a[1].AsString();
  int64_t l = static_cast<int64_t>(RuneCount(s));
  if (count < 0 || count == l) {
    *out = a[1];
    return Status::OK();
  }
  if (count > l) {
    std::string pad(static_cast<size_t>(count - l), ' ');
    return Str(left ? std::string(s) + pad : pad + std::string(s), out);
  }
  // Keep count runes from the left or the right.
  size_t skip = static_cast<size_t>(left ? count : l - count);
  size_t i = 0;
  for (size_t k = 0; k < skip; ++k) {
    uint32_t r;
    i += DecodeRune(s.substr(i), &r);
  }
  return Str(std::string(left ? s.substr(0, i) : s.substr(i)), out);
}
Status FnAlignLeft(const CallContext&, A a, Value* out) { return Align(a, out, true); }
Status FnAlignRight(const CallContext&, A a, Value* out) { return Align(a, out, false); }

}  // namespace

void AddStringFuncs(std::vector<FuncDef>* out) {
  out->push_back({"ToLower", {kS}, false, FnLower});
  out->push_back({"ToUpper", {kS}, false, FnUpper});
  out->push_back({"Replace", {kS, kS, kS, kI}, false, FnGoReplace});
  out->push_back({"Trim", {kS, kS}, false, FnGoTrim});
  out->push_back({"TrimLeft", {kS, kS}, false, FnGoTrimLeft});
  out->push_back({"TrimRight", {kS, kS}, false, FnGoTrimRight});
  out->push_back({"TrimPrefix", {kS, kS}, false, FnGoTrimPrefix});
  out->push_back({"TrimSuffix", {kS, kS}, false, FnGoTrimSuffix});
  out->push_back({"TrimSpace", {kS}, false, FnTrimSpace});
  out->push_back({"lower", {kS}, false, FnLower});
  out->push_back({"upper", {kS}, false, FnUpper});
  out->push_back({"title", {kS}, false, FnTitle});
  out->push_back({"trunc", {kI, kS}, false, FnTrunc});
  out->push_back({"substr", {kI, kI, kS}, false, FnSubstr});
  out->push_back({"contains", {kS, kS}, false, FnContains});
  out->push_back({"hasPrefix", {kS, kS}, false, FnHasPrefix});
  out->push_back({"hasSuffix", {kS, kS}, false, FnHasSuffix});
  out->push_back({"indent", {kI, kS}, false, FnIndent});
  out->push_back({"nindent", {kI, kS}, false, FnNindent});
  out->push_back({"replace", {kS, kS, kS}, false, FnReplace});
  out->push_back({"repeat", {kI, kS}, false, FnRepeat});
  out->push_back({"trim", {kS}, false, FnTrimSpace});
  out->push_back({"trimAll", {kS, kS}, false, FnTrimAll});
  out->push_back({"trimPrefix", {kS, kS}, false, FnTrimPrefix});
  out->push_back({"trimSuffix", {kS, kS}, false, FnTrimSuffix});
  out->push_back({"alignLeft", {kI, kS}, false, FnAlignLeft});
  out->push_back({"alignRight", {kI, kS}, false, FnAlignRight});
}

}  // namespace fenrir::query::tmpl
