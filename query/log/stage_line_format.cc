// line_format and label_format: Go templates (query/template/template.h) over the entry's labels, with
// __line__ and __timestamp__. Template failures set __error__=TemplateFormatErr.
#include <algorithm>
#include <optional>
#include <set>

#include "query/log/stage.h"
#include "query/template/template.h"

namespace fenrir::query {

namespace {

// Looks labels up as Loki's lbs.Map() shows them: the labels plus the error pair.
const std::string* LiveLookup(const LabelsBuilder* lbs, std::string_view name) {
  if (name == kErrorLabel) return lbs->err().empty() ? nullptr : &lbs->err();
  if (name == kErrorDetailsLabel) return lbs->err_details().empty() ? nullptr : &lbs->err_details();
  return lbs->Get(name);
}

class LineFormatStage : public LineStage {
 public:
  explicit LineFormatStage(Template t) : t_(std::move(t)) {}
  bool Process(int64_t ts, std::string_view* line, LabelsBuilder* lbs,
               std::string* scratch) const override {
    TemplateData data;
    data.lookup = [lbs](std::string_view n) { return LiveLookup(lbs, n); };
    data.line = *line;
    data.timestamp_ns = ts;
    auto out = t_.Execute(data);
    if (!out.ok()) {
      lbs->SetErr(kErrTemplateFormat);
      lbs->SetErrDetails(out.status().message());
      return true;
    }
    *scratch = std::move(*out);
    *line = *scratch;
    return true;
  }

 private:
  Template t_;
};

class LabelFormatStage : public LineStage {
 public:
  struct Item {
    std::string dst;
    std::string src;  // rename
    std::optional<Template> tmpl;
  };
  explicit LabelFormatStage(std::vector<Item> items) : items_(std::move(items)) {}

  bool Process(int64_t ts, std::string_view* line, LabelsBuilder* lbs, std::string*) const override {
    // Loki takes one snapshot of the labels for all templates of the stage, at the first one.
    std::vector<storage::Label> snapshot;
    bool have_snapshot = false;
    for (const auto& it : items_) {
      if (!it.tmpl) {
        const std::string* v = lbs->Get(it.src);
        if (v != nullptr) {
          std::string value = *v;
          lbs->Set(it.dst, value);
          lbs->Del(it.src);
        }
        continue;
      }
      if (!have_snapshot) {
        lbs->AppendAll(&snapshot);
        have_snapshot = true;
      }
      TemplateData data;
      data.lookup = [&snapshot](std::string_view n) -> const std::string* {
        for (const auto& l : snapshot) {
          if (l.name == n) return &l.value;
        }
        return nullptr;
      };
      data.line = *line;
      data.timestamp_ns = ts;
      auto out = it.tmpl->Execute(data);
      if (!out.ok()) {
        lbs->SetErr(kErrTemplateFormat);
        lbs->SetErrDetails(out.status().message());
        continue;
      }
      lbs->Set(it.dst, *out);
    }
    return true;
  }

 private:
  std::vector<Item> items_;
};

}  // namespace

Result<LineStagePtr> BuildLineFormat(const LineFormat& f) {
  auto t = Template::Parse(f.tmpl);
  if (!t.ok()) return Status::InvalidArgument("invalid line template: " + t.status().message());
  return LineStagePtr(std::make_unique<LineFormatStage>(std::move(*t)));
}

Result<LineStagePtr> BuildLabelFormat(const LabelFormat& f) {
  std::set<std::string> seen;
  std::vector<LabelFormatStage::Item> items;
  for (const auto& it : f.items) {
    if (it.dst == kErrorLabel) {
      return Status::InvalidArgument(std::string(kErrorLabel) + " cannot be formatted");
    }
    if (!seen.insert(it.dst).second) {
      return Status::InvalidArgument("multiple label name '" + it.dst +
                                     "' not allowed in a single format operation");
    }
    LabelFormatStage::Item item;
    item.dst = it.dst;
    if (it.rename) {
      item.src = it.value;
    } else {
      auto t = Template::Parse(it.value);
      if (!t.ok()) {
        return Status::InvalidArgument("invalid template for label '" + it.dst +
                                       "': " + t.status().message());
      }
      item.tmpl = std::move(*t);
    }
    items.push_back(std::move(item));
  }
  return LineStagePtr(std::make_unique<LabelFormatStage>(std::move(items)));
}

}  // namespace fenrir::query
