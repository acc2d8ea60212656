#include "query/eval/label_replace.h"

#include <re2/re2.h>

#include <cctype>
#include <vector>

namespace fenrir::query {

LabelReplacer::~LabelReplacer() = default;

Result<std::shared_ptr<const LabelReplacer>> LabelReplacer::Make(const LabelReplaceExpr& expr) {
  std::shared_ptr<LabelReplacer> r(new LabelReplacer());
  RE2::Options opts;
  opts.set_log_errors(false);
  r->re_ = std::make_unique<re2::RE2>("^(?:" + expr.regex + ")$", opts);
  if (!r->re_->ok()) {
    return Status::InvalidArgument("invalid regular expression in label_replace(): " +
                                   expr.regex);
  }
  r->dst_ = expr.dst;
  r->replacement_ = expr.replacement;
  r->src_ = expr.src;
  return std::shared_ptr<const LabelReplacer>(std::move(r));
}

std::string ExpandTemplate(const re2::RE2& re, std::string_view tmpl,
                           const std::vector<std::string_view>& groups) {
  std::string out;
  auto is_name = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t i = 0; i < tmpl.size();) {
    char c = tmpl[i];
    if (c != '$' || i + 1 >= tmpl.size()) {
      out += c;
      ++i;
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    std::string_view name;
    size_t next = i + 1;
    if (tmpl[next] == '{') {
      size_t close = tmpl.find('}', next + 1);
      std::string_view inner =
          close == std::string_view::npos ? std::string_view() : tmpl.substr(next + 1, close - next - 1);
      bool valid = !inner.empty();
      for (char ch : inner) valid = valid && is_name(ch);
      if (!valid) {  // Go keeps a malformed reference literally
        out += c;
        ++i;
        continue;
      }
      name = inner;
      next = close + 1;
    } else {
      size_t end = next;
      while (end < tmpl.size() && is_name(tmpl[end])) ++end;
      if (end == next) {
        out += c;
        ++i;
        continue;
      }
      name = tmpl.substr(next, end - next);
      next = end;
    }
    int index = -1;
    bool numeric = true;
    for (char ch : name) numeric = numeric && std::isdigit(static_cast<unsigned char>(ch));
    if (numeric) {
      index = name.size() > 9 ? -1 : std::stoi(std::string(name));
    } else {
      auto& named = re.NamedCapturingGroups();
      auto it = named.find(std::string(name));
      if (it != named.end()) index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size()) out += groups[index];
    i = next;
  }
  return out;
}

storage::Labels LabelReplacer::Apply(const storage::Labels& metric) const {
  const std::string* src = metric.Get(src_);
  std::string_view value = src ? std::string_view(*src) : std::string_view();
  const int n = re_->NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(n);
  if (!re_->Match(value, 0, value.size(), RE2::UNANCHORED, pieces.data(), n)) return metric;
  std::vector<std::string_view> groups;
  groups.reserve(n);
  for (const auto& p : pieces) groups.emplace_back(p.data(), p.size());
  std::string res = ExpandTemplate(*re_, replacement_, groups);
  std::vector<storage::Label> out;
  for (const auto& l : metric) {
    if (l.name != dst_) out.push_back(l);
  }
  if (!res.empty()) out.push_back({dst_, std::move(res)});
  return storage::Labels(std::move(out));
}

namespace {

class LabelReplaceEvaluator : public StepEvaluator {
 public:
  LabelReplaceEvaluator(std::shared_ptr<const LabelReplacer> r,
                        std::unique_ptr<StepEvaluator> inner)
      : replacer_(std::move(r)), inner_(std::move(inner)) {}

  bool Next(int64_t* ts_ms, Vector* out) override {
    if (!inner_->Next(ts_ms, out)) return false;
    for (auto& s : *out) s.metric = replacer_->Apply(s.metric);
    return true;
  }
  Status status() const override { return inner_->status(); }

 private:
  std::shared_ptr<const LabelReplacer> replacer_;
  std::unique_ptr<StepEvaluator> inner_;
};

}  // namespace

std::unique_ptr<StepEvaluator> NewLabelReplaceEvaluator(
    std::shared_ptr<const LabelReplacer> replacer, std::unique_ptr<StepEvaluator> inner) {
  return std::make_unique<LabelReplaceEvaluator>(std::move(replacer), std::move(inner));
}

}  // namespace fenrir::query
