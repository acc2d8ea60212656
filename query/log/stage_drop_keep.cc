// drop and keep: remove labels by name or by matcher; the error pair has its own rules.
#include "query/log/stage.h"

namespace fenrir::query {

namespace {

class DropStage : public LineStage {
 public:
  explicit DropStage(std::vector<LabelSpec> specs) : specs_(std::move(specs)) {}
  bool Process(int64_t, std::string_view*, LabelsBuilder* lbs, std::string*) const override {
    for (const auto& s : specs_) {
      const std::string& name = s.matcher ? s.matcher->name() : s.name;
      if (name == kErrorLabel) {
        if (!s.matcher || s.matcher->Matches(lbs->err())) lbs->ResetErr();
        continue;
      }
      if (name == kErrorDetailsLabel) {
        if (!s.matcher || s.matcher->Matches(lbs->err_details())) lbs->ResetErrDetails();
        continue;
      }
      const std::string* v = lbs->Get(name);
      if (s.matcher) {
        if (s.matcher->Matches(v ? std::string_view(*v) : std::string_view())) lbs->Del(name);
      } else if (v != nullptr) {
        lbs->Del(name);
      }
    }
    return true;
  }

 private:
  std::vector<LabelSpec> specs_;
};

// keep never removes __error__, __error_details__ or __preserve_error__.
class KeepStage : public LineStage {
 public:
  explicit KeepStage(std::vector<LabelSpec> specs) : specs_(std::move(specs)) {}
  bool Process(int64_t, std::string_view*, LabelsBuilder* lbs, std::string*) const override {
    if (specs_.empty()) return true;
    thread_local std::vector<storage::Label> all;
    all.clear();
    lbs->AppendAll(&all);
    for (const auto& l : all) {
      if (l.name == kErrorLabel || l.name == kErrorDetailsLabel || l.name == kPreserveErrorLabel) {
        continue;
      }
      bool keep = false;
      for (const auto& s : specs_) {
        if (s.matcher) {
          if (s.matcher->name() == l.name && s.matcher->Matches(l.value)) {
            keep = true;
            break;
          }
        } else if (s.name == l.name) {
          keep = true;
          break;
        }
      }
      if (!keep) lbs->Del(l.name);
    }
    return true;
  }

 private:
  std::vector<LabelSpec> specs_;
};

}  // namespace

LineStagePtr BuildDropLabels(const DropLabels& d) { return std::make_unique<DropStage>(d.labels); }
LineStagePtr BuildKeepLabels(const KeepLabels& k) { return std::make_unique<KeepStage>(k.labels); }

}  // namespace fenrir::query
