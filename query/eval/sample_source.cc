#include "query/eval/sample_source.h"

#include <algorithm>

namespace fenrir::query {

struct SampleSource::Stream {
  std::unique_ptr<storage::EntryIterator> it;
  std::unique_ptr<StreamSampleExtractor> extractor;
  size_t order = 0;
  bool started = false;
  int64_t timestamp = 0;
  double value = 0;
  std::shared_ptr<const storage::Labels> labels;
};

namespace {
struct Later {
  template <typename S>
  bool operator()(const S* a, const S* b) const {
    if (a->timestamp != b->timestamp) return a->timestamp > b->timestamp;
    return a->order > b->order;
  }
};
}  // namespace

bool SamplesNeedNoLines(const RangeAggregation& aggregation) {
  switch (aggregation.op) {
    case RangeOp::kCountOverTime:
    case RangeOp::kRate:
    case RangeOp::kBytesOverTime:
    case RangeOp::kBytesRate:
    case RangeOp::kAbsentOverTime:
      break;
    default:
      return false;
  }
  return !aggregation.range.unwrap && aggregation.range.selector.stages.empty();
}

SampleSource::SampleSource(const EvalContext* ctx) : ctx_(ctx), gauge_(ctx->memory) {}
SampleSource::~SampleSource() = default;

Result<std::unique_ptr<SampleSource>> SampleSource::Open(const EvalContext& ctx,
                                                         const RangeAggregation& aggregation,
                                                         int64_t from_ns, int64_t through_ns) {
  std::unique_ptr<SampleSource> src(new SampleSource(&ctx));
  auto extractor = ctx.build_extractor(aggregation);
  if (!extractor.ok()) return extractor.status();
  src->extractor_ = std::move(*extractor);
  auto series = ctx.store->SelectSeries(ctx.tenant, aggregation.range.selector.matchers, from_ns,
                                        through_ns);
  if (!series.ok()) return series.status();
  storage::ScanHints hints;
  hints.required_literals = src->extractor_->RequiredLiterals();
  src->line_free_ = SamplesNeedNoLines(aggregation);
  src->op_ = aggregation.op;
  hints.need_lines = !src->line_free_;
  for (size_t i = 0; i < series->size(); ++i) {
    const storage::SeriesRef& ref = (*series)[i];
    // The reader and extractor, the series list's labels and the extractor's copy.
    FENRIR_RETURN_IF_ERROR(src->gauge_.Add(kOpenStreamBytes + 2 * LabelsBytes(ref.labels)));
    auto s = std::make_unique<Stream>();
    s->it = ctx.store->Entries(ctx.tenant, ref, from_ns, through_ns, storage::Direction::kForward,
                               hints);
    s->extractor = src->extractor_->ForStream(ref.labels);
    s->order = i;
    src->streams_.push_back(std::move(s));
  }
  FENRIR_RETURN_IF_ERROR(src->gauge_.Settle());
  for (auto& s : src->streams_) {
    if (src->Advance(s.get())) src->heap_.push_back(s.get());
    if (!src->status_.ok()) return src->status_;
  }
  std::make_heap(src->heap_.begin(), src->heap_.end(), Later{});
  return src;
}

bool SampleSource::Advance(Stream* s) {
  if (s->started && s->it->Valid()) s->it->Next();
  s->started = true;
  for (; s->it->Valid(); s->it->Next()) {
    if ((++reads_ & 4095) == 0) {
      status_ = ctx_->CheckDeadline();
      if (!status_.ok()) return false;
    }
    const std::string_view line = line_free_ ? std::string_view() : s->it->Line();
    const size_t line_size = line_free_ ? s->it->LineSize() : line.size();
    if (ctx_->stats != nullptr) {
      ctx_->stats->lines_processed++;
      ctx_->stats->bytes_processed += line_size;
    }
    double v = 0;
    if (!s->extractor->Process(s->it->Timestamp(), line, s->it->Metadata(), &v)) continue;
    if (line_free_) v = LineFreeSample(op_, line_size);
    if (ctx_->stats != nullptr) ctx_->stats->post_filter_lines++;
    s->timestamp = s->it->Timestamp();
    s->value = v;
    const storage::Labels& lbs = s->extractor->Labels();
    if (s->labels == nullptr || !(*s->labels == lbs)) {
      s->labels = std::make_shared<const storage::Labels>(lbs);
    }
    return true;
  }
  Status st = s->it->status();
  if (!st.ok()) status_ = st;
  return false;
}

int64_t SampleSource::timestamp() const { return heap_.front()->timestamp; }
double SampleSource::value() const { return heap_.front()->value; }
const std::shared_ptr<const storage::Labels>& SampleSource::labels() const {
  return heap_.front()->labels;
}

void SampleSource::Next() {
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  Stream* s = heap_.back();
  if (Advance(s)) {
    std::push_heap(heap_.begin(), heap_.end(), Later{});
  } else {
    heap_.pop_back();
  }
}

}  // namespace fenrir::query
