// SampleExtractor::Build: the pipeline of a range aggregation plus the per-entry value (1, the
// line's bytes, or the converted unwrap label) and Loki's grouping of the sample's labels.
#include <algorithm>

#include "query/log/pipeline.h"
#include "query/log/stage.h"
#include "query/log/stage_convert.h"

namespace fenrir::query {

namespace {

enum class ValueKind { kCount, kBytes, kUnwrap };

struct Spec {
  ValueKind kind = ValueKind::kCount;
  std::string label;
  Unwrap::Conversion conversion = Unwrap::Conversion::kNone;
  std::vector<std::string> groups;  // sorted
  bool without = false;
  bool no_labels = false;
  // Only line filters and no unwrap: the labels of a sample depend on the stream and the
  // entry's structured metadata alone, so entries without metadata share them.
  bool labels_fixed = false;
};

bool Convert(Unwrap::Conversion c, std::string_view v, double* out, std::string* err) {
  switch (c) {
    case Unwrap::Conversion::kBytes: {
      uint64_t b;
      if (!ParseHumanBytes(v, &b, err)) return false;
      *out = static_cast<double>(b);
      return true;
    }
    case Unwrap::Conversion::kDuration:
    case Unwrap::Conversion::kDurationSeconds: {
      int64_t ns;
      if (!ParseGoDuration(v, &ns, err)) return false;
      // time.Duration.Seconds(): whole seconds plus the fraction.
      int64_t sec = ns / 1000000000;
      int64_t nsec = ns % 1000000000;
      *out = static_cast<double>(sec) + static_cast<double>(nsec) / 1e9;
      return true;
    }
    case Unwrap::Conversion::kNone:
      return ParseGoFloat(v, out, err);
  }
  return false;
}

class StreamExtractorImpl : public StreamSampleExtractor {
 public:
  StreamExtractorImpl(std::shared_ptr<const std::vector<LineStagePtr>> stages,
                      std::shared_ptr<const std::vector<LineStagePtr>> post,
                      std::shared_ptr<const Spec> spec, const storage::Labels& stream)
      : stages_(std::move(stages)), post_(std::move(post)), spec_(std::move(spec)),
        stream_(stream), lbs_(&stream_), scratch_(stages_->size()), post_scratch_(post_->size()) {}

  bool Process(int64_t ts, std::string_view line, const storage::Labels& metadata,
               double* value) override {
    lbs_.Reset();
    lbs_.AddMetadata(metadata);
    for (size_t i = 0; i < stages_->size(); ++i) {
      if (!(*stages_)[i]->Process(ts, &line, &lbs_, &scratch_[i])) return false;
    }
    switch (spec_->kind) {
      case ValueKind::kCount:
        *value = 1;
        break;
      case ValueKind::kBytes:
        *value = static_cast<double>(line.size());
        break;
      case ValueKind::kUnwrap: {
        const std::string* v = lbs_.Get(spec_->label);
        if (v == nullptr || v->empty()) return false;  // entries without the label yield nothing
        std::string err;
        double x = 0;
        if (!Convert(spec_->conversion, *v, &x, &err)) {
          lbs_.SetErr(kErrSampleExtraction);
          lbs_.SetErrDetails(err);
        }
        *value = x;
        bool ok = true;
        for (size_t i = 0; i < post_->size(); ++i) {
          ok = (*post_)[i]->Process(ts, &line, &lbs_, &post_scratch_[i]) && ok;
        }
        if (!ok) return false;
        break;
      }
    }
    if (spec_->labels_fixed && metadata.empty()) {
      if (!plain_labels_) {
        labels_ = lbs_.Grouped(spec_->groups, spec_->without, spec_->no_labels);
        plain_labels_ = true;
      }
      return true;
    }
    labels_ = lbs_.Grouped(spec_->groups, spec_->without, spec_->no_labels);
    plain_labels_ = false;
    return true;
  }

  const storage::Labels& Labels() const override { return labels_; }

 private:
  std::shared_ptr<const std::vector<LineStagePtr>> stages_, post_;
  std::shared_ptr<const Spec> spec_;
  const storage::Labels stream_;
  LabelsBuilder lbs_;
  std::vector<std::string> scratch_, post_scratch_;
  storage::Labels labels_;
  bool plain_labels_ = false;  // labels_ are those of an entry without metadata (labels_fixed)
};

class SampleExtractorImpl : public SampleExtractor {
 public:
  SampleExtractorImpl(std::vector<LineStagePtr> stages, std::vector<LineStagePtr> post, Spec spec,
                      std::vector<std::string> literals)
      : stages_(std::make_shared<const std::vector<LineStagePtr>>(std::move(stages))),
        post_(std::make_shared<const std::vector<LineStagePtr>>(std::move(post))),
        spec_(std::make_shared<const Spec>(std::move(spec))),
        literals_(std::move(literals)) {}

  std::unique_ptr<StreamSampleExtractor> ForStream(const storage::Labels& stream) const override {
    return std::make_unique<StreamExtractorImpl>(stages_, post_, spec_, stream);
  }
  std::vector<std::string> RequiredLiterals() const override { return literals_; }

 private:
  std::shared_ptr<const std::vector<LineStagePtr>> stages_, post_;
  std::shared_ptr<const Spec> spec_;
  std::vector<std::string> literals_;
};

// Loki's RangeAggregationExpr.validate, less the grouping rule (see below).
Status Validate(const RangeAggregation& agg) {
  RangeOp op = agg.op;
  std::string name(Name(op));
  // Groupings are not checked here: the parser rejects the ones a user may not write, and the
  // engine pushes a vector aggregation's grouping down into count_over_time & co. as Loki does.
  if (agg.range.unwrap) {
    switch (op) {
      case RangeOp::kAvgOverTime: case RangeOp::kSumOverTime: case RangeOp::kMaxOverTime:
      case RangeOp::kMinOverTime: case RangeOp::kStddevOverTime: case RangeOp::kStdvarOverTime:
      case RangeOp::kQuantileOverTime: case RangeOp::kRate: case RangeOp::kRateCounter:
      case RangeOp::kAbsentOverTime: case RangeOp::kFirstOverTime: case RangeOp::kLastOverTime:
        return Status::OK();
      default:
        return Status::InvalidArgument("invalid aggregation " + name + " with unwrap");
    }
  }
  switch (op) {
    case RangeOp::kBytesOverTime: case RangeOp::kBytesRate: case RangeOp::kCountOverTime:
    case RangeOp::kRate: case RangeOp::kAbsentOverTime:
      return Status::OK();
    default:
      return Status::InvalidArgument("invalid aggregation " + name + " without unwrap");
  }
}

}  // namespace

Result<std::unique_ptr<SampleExtractor>> SampleExtractor::Build(const RangeAggregation& agg) {
  FENRIR_RETURN_IF_ERROR(Validate(agg));
  const auto& stages = agg.range.selector.stages;
  auto built = BuildStages(stages);
  if (!built.ok()) return built.status();

  Spec spec;
  if (agg.grouping) {
    spec.groups = agg.grouping->labels;
    spec.without = agg.grouping->without;
    spec.no_labels = spec.groups.empty();
  }
  if (agg.op == RangeOp::kAbsentOverTime) spec.no_labels = true;

  std::vector<LineStagePtr> post;
  if (agg.range.unwrap) {
    const Unwrap& u = *agg.range.unwrap;
    spec.kind = ValueKind::kUnwrap;
    spec.label = u.label;
    spec.conversion = u.conversion;
    if (spec.groups.empty() || spec.without) {
      spec.without = true;
      spec.groups.push_back(u.label);  // the unwrapped label leaves the series
    }
    for (const auto& f : u.post_filters) {
      auto st = BuildLabelFilter(f);
      if (!st.ok()) return st.status();
      if (*st != nullptr) post.push_back(std::move(*st));
    }
  } else if (agg.op == RangeOp::kBytesOverTime || agg.op == RangeOp::kBytesRate) {
    spec.kind = ValueKind::kBytes;
  }
  std::sort(spec.groups.begin(), spec.groups.end());
  spec.labels_fixed = !agg.range.unwrap && std::all_of(stages.begin(), stages.end(), [](const Stage& st) {
    return std::holds_alternative<LineFilter>(st);
  });
  return std::unique_ptr<SampleExtractor>(std::make_unique<SampleExtractorImpl>(
      std::move(*built), std::move(post), std::move(spec), RequiredLiteralsOf(stages)));
}

}  // namespace fenrir::query
