// The pattern parser stage and the pattern expression matcher.
#include "query/log/stage_pattern.h"

#include <set>

#include "query/log/stage.h"

namespace fenrir::query {

namespace {

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdent(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

}  // namespace

Result<PatternMatcher> PatternMatcher::Make(std::string_view pattern, bool for_filter) {
  PatternMatcher m;
  for (size_t i = 0; i < pattern.size();) {
    if (pattern[i] == '<' && i + 1 < pattern.size() && IsIdentStart(pattern[i + 1])) {
      size_t j = i + 2;
      while (j < pattern.size() && IsIdent(pattern[j])) ++j;
      if (j < pattern.size() && pattern[j] == '>') {
        Node n;
        n.capture = true;
        n.text = std::string(pattern.substr(i + 1, j - i - 1));
        n.named = n.text != "_";
        m.nodes_.push_back(std::move(n));
        i = j + 1;
        continue;
      }
    }
    if (m.nodes_.empty() || m.nodes_.back().capture) m.nodes_.push_back(Node{});
    m.nodes_.back().text.push_back(pattern[i]);
    ++i;
  }
  std::set<std::string> seen;
  for (const auto& n : m.nodes_) {
    if (n.named) m.names_.push_back(n.text);
  }
  if (m.names_.empty() && !for_filter) {
    return Status::InvalidArgument("at least one capture is required");
  }
  for (size_t i = 0; i + 1 < m.nodes_.size(); ++i) {
    if (m.nodes_[i].capture && m.nodes_[i + 1].capture) {
      return Status::InvalidArgument("found consecutive capture '<" + m.nodes_[i].text + "><" +
                                     m.nodes_[i + 1].text + ">': invalid expression");
    }
  }
  for (const auto& n : m.names_) {
    if (!seen.insert(n).second) {
      return Status::InvalidArgument("duplicate capture name (" + n + "): invalid expression");
    }
  }
  return m;
}

void PatternMatcher::Matches(std::string_view in, std::vector<std::string_view>* caps) const {
  caps->clear();
  if (in.empty() || nodes_.empty()) return;
  size_t k = 0;
  if (!nodes_[0].capture) {
    if (in.substr(0, nodes_[0].text.size()) != nodes_[0].text) return;
    in.remove_prefix(nodes_[0].text.size());
    k = 1;
  }
  if (k == nodes_.size()) return;
  // From here: capture, literal, capture, ... (literal)?
  while (k < nodes_.size()) {
    const Node& cap = nodes_[k];
    if (k + 1 == nodes_.size()) {  // ending on a capture
      if (cap.named) caps->push_back(in);
      return;
    }
    const std::string& lit = nodes_[k + 1].text;
    k += 2;
    size_t i = in.find(lit);
    if (i == std::string_view::npos) {  // a missed literal captures up to the end
      if (cap.named) caps->push_back(in);
      return;
    }
    if (cap.named) caps->push_back(in.substr(0, i));
    in.remove_prefix(i + lit.size());
  }
}

bool PatternMatcher::Test(std::string_view in) const {
  if (in.empty() || nodes_.empty()) return in.empty() && nodes_.empty();
  size_t off = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].capture) continue;
    size_t j = in.find(nodes_[i].text, off);
    if (j == std::string_view::npos) return false;
    if (i != 0 && j == off) return false;  // the capture before it must not be empty
    off = j + nodes_[i].text.size();
  }
  bool needs_rest = nodes_.back().capture;
  return needs_rest == (off != in.size());
}

namespace {

class PatternStage : public LineStage {
 public:
  explicit PatternStage(PatternMatcher m) : m_(std::move(m)) {}
  bool Process(int64_t, std::string_view* line, LabelsBuilder* lbs, std::string*) const override {
    thread_local std::vector<std::string_view> caps;
    m_.Matches(*line, &caps);
    const auto& names = m_.names();
    for (size_t i = 0; i < caps.size() && i < names.size(); ++i) {
      if (lbs->BaseHas(names[i])) {
        lbs->Set(lbs->ExtractedName(names[i]), caps[i]);
      } else {
        lbs->Set(names[i], caps[i]);
      }
    }
    return true;
  }

 private:
  PatternMatcher m_;
};

}  // namespace

Result<LineStagePtr> BuildPatternParser(const PatternParser& p) {
  auto m = PatternMatcher::Make(p.pattern);
  if (!m.ok()) {
    return Status::InvalidArgument("invalid pattern parser: " + m.status().message());
  }
  return LineStagePtr(std::make_unique<PatternStage>(std::move(*m)));
}

}  // namespace fenrir::query
