// Regular expressions (RE2, as Go's regexp): regexReplaceAll with Go's $1 / ${name} expansion,
// regexReplaceAllLiteral, and count (number of non-overlapping matches).

#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <re2/re2.h>

#include "query/template/funcs.h"
#include "query/template/strconv.h"

namespace fenrir::query::tmpl {
namespace {

using A = std::span<const Value>;
constexpr ParamType kS = ParamType::kString;

// Patterns are nearly always template literals: compile each once per thread.
const RE2* Compile(std::string_view pattern, std::string* err) {
  thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
  auto it = cache.find(std::string(pattern));
  if (it == cache.end()) {
    if (cache.size() > 256) cache.clear();
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), opts);
    it = cache.emplace(std::string(pattern), std::move(re)).first;
  }
  if (!it->second->ok()) {
    *err = "error parsing regexp: " + it->second->error();
    return nullptr;
  }
  return it->second.get();
}

// Calls f(groups) for each match Go's regexp would report in a replace/find-all loop.
// `replace_rule` applies ReplaceAll's rule for empty matches; otherwise FindAll's.
template <typename F>
void ForEachMatch(const RE2& re, std::string_view s, bool replace_rule, F f) {
  int ngroups = re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(ngroups));
  re2::StringPiece text(s.data(), s.size());
  size_t pos = 0;
  long last_end = -1;
  while (pos <= s.size()) {
    if (!re.Match(text, pos, s.size(), RE2::UNANCHORED, groups.data(), ngroups)) break;
    size_t a0 = static_cast<size_t>(groups[0].data() - s.data());
    size_t a1 = a0 + groups[0].size();
    bool accept;
    if (replace_rule) {
      accept = static_cast<long>(a1) > last_end || a0 == 0;
    } else {
      accept = !(a1 == pos && a1 == a0 && static_cast<long>(a0) == last_end);
    }
    if (accept) f(groups, a0, a1);
    last_end = static_cast<long>(a1);
    size_t width = 1;
    if (pos < s.size()) {
      uint32_t r;
      width = DecodeRune(s.substr(pos), &r);
    }
    if (replace_rule) {
      if (pos + width > a1) {
        pos += width;
      } else if (pos + 1 > a1) {
        ++pos;
      } else {
        pos = a1;
      }
    } else {
      pos = a1 == a0 && a1 == pos ? pos + width : a1;
    }
  }
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// regexp.Expand: $1, ${1}, $name, ${name}, $$; an unknown or malformed reference expands to "".
void Expand(std::string* out, std::string_view tmpl, const RE2& re,
            const std::vector<re2::StringPiece>& groups) {
  while (!tmpl.empty()) {
    size_t d = tmpl.find('$');
    if (d == std::string_view::npos) break;
    out->append(tmpl.substr(0, d));
    tmpl.remove_prefix(d);
    if (tmpl.size() > 1 && tmpl[1] == '$') {
      out->push_back('$');
      tmpl.remove_prefix(2);
      continue;
    }
    std::string_view name;
    size_t consumed = 0;
    bool ok = false;
    if (tmpl.size() > 1 && tmpl[1] == '{') {
      size_t close = tmpl.find('}', 2);
      if (close != std::string_view::npos) {
        name = tmpl.substr(2, close - 2);
        ok = !name.empty();
        for (char c : name) ok = ok && IsWordChar(c);
        consumed = close + 1;
      }
    } else {
      size_t i = 1;
      while (i < tmpl.size() && IsWordChar(tmpl[i])) ++i;
      name = tmpl.substr(1, i - 1);
      ok = !name.empty();
      consumed = i;
    }
    if (!ok) {
      // Malformed: the $ is copied literally.
      out->push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    tmpl.remove_prefix(consumed);
    int num = -1;
    bool all_digits = true;
    for (char c : name) all_digits = all_digits && c >= '0' && c <= '9';
    if (all_digits && name.size() < 9) {
      num = std::stoi(std::string(name));
    } else {
      const auto& names = re.NamedCapturingGroups();
      auto it = names.find(std::string(name));
      if (it != names.end()) num = it->second;
    }
    if (num >= 0 && static_cast<size_t>(num) < groups.size() && groups[num].data() != nullptr) {
      out->append(groups[num].data(), groups[num].size());
    }
  }
  out->append(tmpl);
}

Status ReplaceAll(A a, Value* out, bool literal) {
  std::string err;
  const RE2* re = Compile(a[0].AsString(), &err);
  if (re == nullptr) return Errorf(err);
  std::string_view s = a[1].AsString(), repl = a[2].AsString();
  std::string r;
  size_t last = 0;
  ForEachMatch(*re, s, true, [&](const std::vector<re2::StringPiece>& g, size_t a0, size_t a1) {
    r.append(s.substr(last, a0 - last));
    if (literal) {
      r.append(repl);
    } else {
      Expand(&r, repl, *re, g);
    }
    last = a1;
  });
  // Matches skipped by the empty-match rule still advance `last` in Go.
  r.append(s.substr(std::min(last, s.size())));
  *out = Value::Owned(std::move(r));
  return Status::OK();
}

Status FnRegexReplaceAll(const CallContext&, A a, Value* out) { return ReplaceAll(a, out, false); }
Status FnRegexReplaceAllLiteral(const CallContext&, A a, Value* out) {
  return ReplaceAll(a, out, true);
}

Status FnCount(const CallContext&, A a, Value* out) {
  std::string err;
  const RE2* re = Compile(a[0].AsString(), &err);
  if (re == nullptr) return Errorf(err);
  int64_t n = 0;
  ForEachMatch(*re, a[1].AsString(), false,
               [&](const std::vector<re2::StringPiece>&, size_t, size_t) { ++n; });
  *out = Value::Int(n);
  return Status::OK();
}

}  // namespace

void AddRegexFuncs(std::vector<FuncDef>* out) {
  out->push_back({"regexReplaceAll", {kS, kS, kS}, false, FnRegexReplaceAll});
  out->push_back({"regexReplaceAllLiteral", {kS, kS, kS}, false, FnRegexReplaceAllLiteral});
  out->push_back({"count", {kS, kS}, false, FnCount});
}

}  // namespace fenrir::query::tmpl
