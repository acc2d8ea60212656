// Byte-level matchers behind line filters: memmem substring search, Loki's case-insensitive
// scan, literal simplification of regexes, and the RE2 fallback.
#include <emmintrin.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstring>

#include "base/utf8.h"
#include "query/log/stage_line_filter.h"

namespace fenrir::query {

namespace {

uint32_t LowerRune(uint32_t r) {
  if (r < 0x80) return (r >= 'A' && r <= 'Z') ? r + 32 : r;
  if ((r >= 0xC0 && r <= 0xDE && r != 0xD7)) return r + 32;
  if (r >= 0x100 && r <= 0x137) return r | 1;
  if (r >= 0x139 && r <= 0x148) return (r & 1) ? r + 1 : r;
  if (r >= 0x14A && r <= 0x177) return r | 1;
  if (r == 0x178) return 0xFF;
  if (r >= 0x179 && r <= 0x17E) return (r & 1) ? r + 1 : r;
  if (r >= 0x391 && r <= 0x3AB && r != 0x3A2) return r + 32;
  if (r >= 0x410 && r <= 0x42F) return r + 32;
  if (r >= 0x400 && r <= 0x40F) return r + 80;
  return r;
}

class TrueMatcher : public LineMatcher {
 public:
  bool Matches(std::string_view) const override { return true; }
};

class NonEmptyMatcher : public LineMatcher {
 public:
  bool Matches(std::string_view line) const override { return !line.empty(); }
};

class ContainsMatcher : public LineMatcher {
 public:
  explicit ContainsMatcher(std::string needle) : needle_(std::move(needle)) {}
  bool Matches(std::string_view line) const override {
    if (needle_.size() == 1) return std::memchr(line.data(), needle_[0], line.size()) != nullptr;
    return memmem(line.data(), line.size(), needle_.data(), needle_.size()) != nullptr;
  }

 private:
  std::string needle_;
};

class ContainsLowerMatcher : public LineMatcher {
 public:
  explicit ContainsLowerMatcher(std::string needle)
      : needle_(ToLowerUnicode(needle)),
        letters_only_(std::all_of(needle_.begin(), needle_.end(),
                                  [](char c) { return c >= 'a' && c <= 'z'; })) {}
  bool Matches(std::string_view line) const override {
    // ContainsLower (Loki's scan) matches a byte c to a needle letter m iff c is m or its
    // upper case, so it can only succeed where the ASCII-lowercased line contains the needle:
    // memmem on a lowercased copy rejects most lines at memory speed, exactly.
    if (letters_only_ && !LowerContains(line)) return false;
    return ContainsLower(line, needle_);
  }

 private:
  // For a letters-only needle, byte c matches letter m iff (c | 0x20) == m. SSE2 finds the
  // positions where the first and last needle letters match, then checks the rest.
  bool LowerContains(std::string_view line) const {
    const char* p = line.data();
    const size_t n = line.size(), m = needle_.size();
    if (m > n) return false;
    if (m < 2) {
      for (size_t i = 0; i < n; ++i) {
        if ((p[i] | 0x20) == needle_[0]) return true;
      }
      return false;
    }
    const __m128i bit = _mm_set1_epi8(0x20);
    const __m128i first = _mm_set1_epi8(needle_[0]);
    const __m128i last = _mm_set1_epi8(needle_[m - 1]);
    size_t i = 0;
    for (; i + m + 15 <= n; i += 16) {
      __m128i bf = _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), bit);
      __m128i bl =
          _mm_or_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + m - 1)), bit);
      auto mask = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(bf, first), _mm_cmpeq_epi8(bl, last))));
      while (mask != 0) {
        if (EqualLower(p + i + __builtin_ctz(mask))) return true;
        mask &= mask - 1;
      }
    }
    for (; i + m <= n; ++i) {
      if (EqualLower(p + i)) return true;
    }
    return false;
  }
  bool EqualLower(const char* at) const {
    for (size_t k = 0; k < needle_.size(); ++k) {
      if ((at[k] | 0x20) != needle_[k]) return false;
    }
    return true;
  }

  std::string needle_;
  bool letters_only_;  // every needle byte is in [a-z]
};

class AnyOfMatcher : public LineMatcher {
 public:
  explicit AnyOfMatcher(std::vector<std::unique_ptr<LineMatcher>> m) : m_(std::move(m)) {}
  bool Matches(std::string_view line) const override {
    for (const auto& m : m_) {
      if (m->Matches(line)) return true;
    }
    return false;
  }

 private:
  std::vector<std::unique_ptr<LineMatcher>> m_;
};

class RegexMatcher : public LineMatcher {
 public:
  explicit RegexMatcher(std::unique_ptr<RE2> re) : re_(std::move(re)) {}
  bool Matches(std::string_view line) const override {
    return RE2::PartialMatch(re2::StringPiece(line.data(), line.size()), *re_);
  }

 private:
  std::unique_ptr<RE2> re_;
};

bool IsMeta(char c) { return std::strchr("\\.+*?()|[]{}^$", c) != nullptr && c != '\0'; }

// Parses a run of literal characters from s[*i]; stops at '(' ')' '|' or the end. Returns false
// on any other regex syntax.
bool ParseLiteral(std::string_view s, size_t* i, std::string* out) {
  while (*i < s.size()) {
    char c = s[*i];
    if (c == '(' || c == ')' || c == '|') return true;
    if (c == '.' && *i + 1 < s.size() && s[*i + 1] == '*') return true;
    if (c == '\\') {
      if (*i + 1 >= s.size()) return false;
      char e = s[*i + 1];
      bool punct = (e >= 0x21 && e <= 0x2F) || (e >= 0x3A && e <= 0x40) ||
                   (e >= 0x5B && e <= 0x60) || (e >= 0x7B && e <= 0x7E);
      if (!punct) return false;
      out->push_back(e);
      *i += 2;
      continue;
    }
    if (IsMeta(c)) return false;
    out->push_back(c);
    ++*i;
  }
  return true;
}

bool SkipDotStars(std::string_view s, size_t* i) {
  bool any = false;
  while (*i + 1 < s.size() && s[*i] == '.' && s[*i + 1] == '*') {
    *i += 2;
    any = true;
  }
  return any;
}

// Splits s on top-level '|' (no nesting allowed beyond one group level).
bool SplitAlternation(std::string_view s, std::vector<std::string_view>* parts) {
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '[') return false;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth < 0) return false;
    if (c == '|' && depth == 0) {
      parts->push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  if (depth != 0) return false;
  parts->push_back(s.substr(start));
  return true;
}

// A branch: [.*] literal [ (alt|alt...) ] [.*]. Appends its literals.
bool SimplifyBranch(std::string_view b, std::vector<std::string>* out) {
  size_t i = 0;
  SkipDotStars(b, &i);
  std::string base;
  if (!ParseLiteral(b, &i, &base)) return false;
  if (i < b.size() && b[i] == '(') {
    if (base.empty()) return false;
    size_t close = b.rfind(')');
    if (close == std::string_view::npos || close < i) return false;
    std::string_view inner = b.substr(i + 1, close - i - 1);
    if (inner.substr(0, 2) == "?:") inner.remove_prefix(2);
    std::vector<std::string_view> alts;
    if (!SplitAlternation(inner, &alts)) return false;
    for (std::string_view a : alts) {
      size_t j = 0;
      std::string lit;
      if (!ParseLiteral(a, &j, &lit) || j != a.size()) return false;
      out->push_back(base + lit);
    }
    i = close + 1;
  } else {
    if (base.empty()) return false;
    out->push_back(base);
  }
  SkipDotStars(b, &i);
  return i == b.size();
}

}  // namespace

std::string ToLowerUnicode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    if (c < 0x80) {
      out.push_back(static_cast<char>((c >= 'A' && c <= 'Z') ? c + 32 : c));
      ++i;
      continue;
    }
    uint32_t r;
    const size_t w = DecodeRune(s.substr(i), &r);
    if (r == kRuneError && w == 1) {
      out.push_back(static_cast<char>(c));
    } else {
      AppendRune(&out, LowerRune(r));
    }
    i += w;
  }
  return out;
}

bool ContainsLower(std::string_view line, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > line.size()) return false;
  size_t j = 0;
  size_t pos = 0;
  const size_t n = line.size();
  while (pos < n) {
    unsigned char c = line[pos];
    unsigned char m = needle[j];
    if (c < 0x80 && m < 0x80) {
      if (c == m || c + 32 == m || c == m + 32) {
        if (++j == needle.size()) return true;
      } else {
        j = 0;
      }
      ++pos;
      continue;
    }
    uint32_t lr, mr;
    const size_t lw = DecodeRune(line.substr(pos), &lr);
    const size_t mw = DecodeRune(needle.substr(j), &mr);
    if (lr == mr || mr == LowerRune(lr)) {
      j += mw;
      if (j == needle.size()) return true;
    } else {
      j = 0;
    }
    pos += lw;
  }
  return false;
}

std::unique_ptr<LineMatcher> MakeContainsMatcher(std::string needle, bool case_insensitive) {
  if (needle.empty()) return std::make_unique<TrueMatcher>();
  if (case_insensitive) return std::make_unique<ContainsLowerMatcher>(std::move(needle));
  return std::make_unique<ContainsMatcher>(std::move(needle));
}

bool SimplifyRegex(std::string_view re, std::vector<std::string>* literals, bool* ci,
                   bool* non_empty) {
  literals->clear();
  *ci = false;
  *non_empty = false;
  std::string_view s = re;
  if (s.substr(0, 4) == "(?i)") {
    *ci = true;
    s.remove_prefix(4);
  }
  if (s.empty() || s == ".*") return true;
  if (s == ".+") {
    *non_empty = true;
    return true;
  }
  if (s.find("(?") != std::string_view::npos && s.substr(0, 3) != "(?:") return false;
  std::vector<std::string_view> branches;
  if (!SplitAlternation(s, &branches)) return false;
  if (branches.size() == 1 && s.front() == '(' && s.back() == ')') {
    std::string_view inner = s.substr(1, s.size() - 2);
    if (inner.substr(0, 2) == "?:") inner.remove_prefix(2);
    branches.clear();
    if (!SplitAlternation(inner, &branches)) return false;
  }
  for (std::string_view b : branches) {
    if (!SimplifyBranch(b, literals)) return false;
  }
  return !literals->empty();
}

Result<std::unique_ptr<LineMatcher>> MakeRegexMatcher(std::string_view regex) {
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_dot_nl(false);
  auto re = std::make_unique<RE2>(re2::StringPiece(regex.data(), regex.size()), opts);
  if (!re->ok()) return Status::InvalidArgument("error parsing regexp: " + re->error());
  std::vector<std::string> lits;
  bool ci, non_empty;
  if (SimplifyRegex(regex, &lits, &ci, &non_empty)) {
    if (non_empty) return std::unique_ptr<LineMatcher>(std::make_unique<NonEmptyMatcher>());
    if (lits.empty()) return std::unique_ptr<LineMatcher>(std::make_unique<TrueMatcher>());
    if (lits.size() == 1) return MakeContainsMatcher(std::move(lits[0]), ci);
    std::vector<std::unique_ptr<LineMatcher>> ms;
    for (auto& l : lits) ms.push_back(MakeContainsMatcher(std::move(l), ci));
    return std::unique_ptr<LineMatcher>(std::make_unique<AnyOfMatcher>(std::move(ms)));
  }
  return std::unique_ptr<LineMatcher>(std::make_unique<RegexMatcher>(std::move(re)));
}

}  // namespace fenrir::query
