// The regexp parser stage: named groups of the first (leftmost) match become labels.
#include <re2/re2.h>

#include <set>

#include "query/log/stage.h"

namespace fenrir::query {

namespace {

class RegexpStage : public LineStage {
 public:
  RegexpStage(std::unique_ptr<RE2> re, std::vector<std::pair<int, std::string>> names)
      : re_(std::move(re)), names_(std::move(names)) {}
  bool Process(int64_t, std::string_view* line, LabelsBuilder* lbs, std::string*) const override {
    const int n = re_->NumberOfCapturingGroups() + 1;
    thread_local std::vector<re2::StringPiece> groups;
    groups.assign(n, re2::StringPiece());
    if (!re_->Match(re2::StringPiece(line->data(), line->size()), 0, line->size(), RE2::UNANCHORED,
                    groups.data(), n)) {
      return true;
    }
    for (const auto& [index, name] : names_) {
      std::string_view v(groups[index].data() ? groups[index].data() : "", groups[index].size());
      if (lbs->BaseHas(name)) {
        lbs->Set(lbs->ExtractedName(name), v);
      } else {
        lbs->Set(name, v);
      }
    }
    return true;
  }

 private:
  std::unique_ptr<RE2> re_;
  std::vector<std::pair<int, std::string>> names_;  // by group index
};

}  // namespace

Result<LineStagePtr> BuildRegexpParser(const RegexpParser& p) {
  RE2::Options opts;
  opts.set_log_errors(false);
  auto re = std::make_unique<RE2>(p.regex, opts);
  if (!re->ok()) {
    return Status::InvalidArgument("invalid regexp parser: error parsing regexp: " + re->error());
  }
  std::vector<std::pair<int, std::string>> names;
  for (const auto& [name, index] : re->NamedCapturingGroups()) {
    if (!IsValidLabelName(name)) {
      return Status::InvalidArgument("invalid regexp parser: invalid extracted label name '" +
                                     name + "'");
    }
    names.emplace_back(index, name);
  }
  if (names.empty()) {
    return Status::InvalidArgument(
        "invalid regexp parser: at least one named capture must be supplied");
  }
  std::sort(names.begin(), names.end());
  return LineStagePtr(std::make_unique<RegexpStage>(std::move(re), std::move(names)));
}

}  // namespace fenrir::query
