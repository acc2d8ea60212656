// Pipeline::Build: compiles the AST stages and runs them per stream.
#include "query/log/pipeline.h"

#include <type_traits>

#include "query/log/labels_builder.h"
#include "query/log/stage.h"

namespace fenrir::query {

namespace {

bool RewritesLine(const Stage& s) {
  return std::holds_alternative<LineFormat>(s) || std::holds_alternative<UnpackParser>(s);
}

Result<LineStagePtr> BuildOne(const Stage& stage) {
  return std::visit(
      [](const auto& s) -> Result<LineStagePtr> {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, LineFilter>) {
          return BuildLineFilter(s);
        } else if constexpr (std::is_same_v<T, JsonParser>) {
          return BuildJsonParser(s);
        } else if constexpr (std::is_same_v<T, LogfmtParser>) {
          return BuildLogfmtParser(s);
        } else if constexpr (std::is_same_v<T, RegexpParser>) {
          return BuildRegexpParser(s);
        } else if constexpr (std::is_same_v<T, PatternParser>) {
          return BuildPatternParser(s);
        } else if constexpr (std::is_same_v<T, UnpackParser>) {
          return BuildUnpackParser();
        } else if constexpr (std::is_same_v<T, LabelFilterStage>) {
          return BuildLabelFilter(s.filter);
        } else if constexpr (std::is_same_v<T, LineFormat>) {
          return BuildLineFormat(s);
        } else if constexpr (std::is_same_v<T, LabelFormat>) {
          return BuildLabelFormat(s);
        } else if constexpr (std::is_same_v<T, DropLabels>) {
          return BuildDropLabels(s);
        } else if constexpr (std::is_same_v<T, KeepLabels>) {
          return BuildKeepLabels(s);
        } else {
          static_assert(std::is_same_v<T, Decolorize>);
          return BuildDecolorize();
        }
      },
      stage);
}

class StreamPipelineImpl : public StreamPipeline {
 public:
  StreamPipelineImpl(std::shared_ptr<const std::vector<LineStagePtr>> stages,
                     const storage::Labels& stream)
      : stages_(std::move(stages)), stream_(stream), lbs_(&stream_), scratch_(stages_->size()) {}

  bool Process(int64_t ts, std::string_view line, const storage::Labels& metadata) override {
    lbs_.Reset();
    lbs_.AddMetadata(metadata);
    dirty_ = true;
    split_dirty_ = true;
    for (size_t i = 0; i < stages_->size(); ++i) {
      if (!(*stages_)[i]->Process(ts, &line, &lbs_, &scratch_[i])) return false;
    }
    line_ = line;
    return true;
  }
  std::string_view Line() const override { return line_; }
  const storage::Labels& Labels() const override {
    if (dirty_) {
      labels_ = lbs_.Materialize();
      dirty_ = false;
    }
    return labels_;
  }
  const storage::Labels& StreamLabels() const override {
    Split();
    return stream_out_;
  }
  const storage::Labels& MetadataLabels() const override {
    Split();
    return metadata_out_;
  }
  const storage::Labels& ParsedLabels() const override {
    Split();
    return parsed_out_;
  }

 private:
  void Split() const {
    if (!split_dirty_) return;
    lbs_.MaterializeCategories(&stream_out_, &metadata_out_, &parsed_out_);
    split_dirty_ = false;
  }

  std::shared_ptr<const std::vector<LineStagePtr>> stages_;
  const storage::Labels stream_;
  LabelsBuilder lbs_;
  std::vector<std::string> scratch_;
  std::string_view line_;
  mutable bool dirty_ = true;
  mutable bool split_dirty_ = true;
  mutable storage::Labels labels_, stream_out_, metadata_out_, parsed_out_;
};

class PipelineImpl : public Pipeline {
 public:
  PipelineImpl(std::vector<LineStagePtr> stages, std::vector<std::string> literals)
      : stages_(std::make_shared<const std::vector<LineStagePtr>>(std::move(stages))),
        literals_(std::move(literals)) {}
  std::unique_ptr<StreamPipeline> ForStream(const storage::Labels& stream) const override {
    return std::make_unique<StreamPipelineImpl>(stages_, stream);
  }
  std::vector<std::string> RequiredLiterals() const override { return literals_; }

 private:
  std::shared_ptr<const std::vector<LineStagePtr>> stages_;
  std::vector<std::string> literals_;
};

}  // namespace

Result<std::vector<LineStagePtr>> BuildStages(const std::vector<Stage>& stages) {
  std::vector<const Stage*> order, filters, rest;
  for (const Stage& s : stages) {
    if (std::holds_alternative<LineFilter>(s)) {
      filters.push_back(&s);
      continue;
    }
    rest.push_back(&s);
    if (RewritesLine(s)) {
      order.insert(order.end(), filters.begin(), filters.end());
      order.insert(order.end(), rest.begin(), rest.end());
      filters.clear();
      rest.clear();
    }
  }
  order.insert(order.end(), filters.begin(), filters.end());
  order.insert(order.end(), rest.begin(), rest.end());

  std::vector<LineStagePtr> out;
  for (const Stage* s : order) {
    auto st = BuildOne(*s);
    if (!st.ok()) return st.status();
    if (*st != nullptr) out.push_back(std::move(*st));
  }
  return out;
}

std::vector<std::string> RequiredLiteralsOf(const std::vector<Stage>& stages) {
  std::vector<std::string> out;
  for (const Stage& s : stages) {
    if (RewritesLine(s)) break;
    const auto* f = std::get_if<LineFilter>(&s);
    if (f == nullptr || f->op != LineFilterOp::kContains || f->ip || !f->or_values.empty() ||
        f->value.empty()) {
      continue;
    }
    out.push_back(f->value);
  }
  return out;
}

Result<std::unique_ptr<Pipeline>> Pipeline::Build(const std::vector<Stage>& stages) {
  auto built = BuildStages(stages);
  if (!built.ok()) return built.status();
  return std::unique_ptr<Pipeline>(
      std::make_unique<PipelineImpl>(std::move(*built), RequiredLiteralsOf(stages)));
}

}  // namespace fenrir::query
