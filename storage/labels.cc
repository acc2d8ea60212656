#include "storage/labels.h"

#include <re2/re2.h>
#include <xxhash.h>

#include <algorithm>

namespace fenrir::storage {

Labels::Labels(std::vector<Label> labels) : items_(std::move(labels)) {
  std::sort(items_.begin(), items_.end(),
            [](const Label& a, const Label& b) { return a.name < b.name; });
}

const std::string* Labels::Get(std::string_view name) const {
  auto it = std::lower_bound(items_.begin(), items_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it == items_.end() || it->name != name) return nullptr;
  return &it->value;
}

std::string Labels::ToString() const {
  std::string out = "{";
  for (size_t i = 0; i < items_.size(); ++i) {
    if (i) out += ", ";
    out += items_[i].name;
    out += '=';
    out += GoQuote(items_[i].value);
  }
  out += '}';
  return out;
}

uint64_t Labels::Hash() const {
  // name 0xff value 0xff per label (0xff never occurs inside UTF-8 names or values), hashed in
  // one shot: XXH3's streaming and one-shot forms give the same value, and this skips the
  // streaming state's allocation (ids hashed this way are persisted, so the value must not
  // change).
  static constexpr char kSep = '\xff';
  thread_local std::string buf;
  buf.clear();
  for (const auto& l : items_) {
    buf.append(l.name);
    buf.push_back(kSep);
    buf.append(l.value);
    buf.push_back(kSep);
  }
  return XXH3_64bits(buf.data(), buf.size());
}

Result<Matcher> Matcher::Make(MatchType type, std::string name, std::string value) {
  Matcher m;
  m.type_ = type;
  m.name_ = std::move(name);
  m.value_ = std::move(value);
  if (type == MatchType::kRegex || type == MatchType::kNotRegex) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_dot_nl(true);  // Prometheus matchers use (?s)
    auto re = std::make_shared<RE2>("^(?:" + m.value_ + ")$", opts);
    if (!re->ok()) {
      return Status::InvalidArgument("error parsing regexp: " + re->error());
    }
    m.re_ = std::move(re);
  }
  return m;
}

bool Matcher::Matches(std::string_view v) const {
  switch (type_) {
    case MatchType::kEqual: return v == value_;
    case MatchType::kNotEqual: return v != value_;
    case MatchType::kRegex: return RE2::FullMatch(v, *re_);
    case MatchType::kNotRegex: return !RE2::FullMatch(v, *re_);
  }
  return false;
}

std::string Matcher::ToString() const {
  static const char* kOps[] = {"=", "!=", "=~", "!~"};
  return name_ + kOps[static_cast<int>(type_)] + GoQuote(value_);
}

bool MatchesAll(const std::vector<Matcher>& matchers, const Labels& labels) {
  static const std::string kEmpty;
  for (const auto& m : matchers) {
    const std::string* v = labels.Get(m.name());
    if (!m.Matches(v ? *v : kEmpty)) return false;
  }
  return true;
}

}  // namespace fenrir::storage
