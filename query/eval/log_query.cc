#include "query/eval/log_query.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "query/eval/log_source.h"

namespace fenrir::query {
namespace {

// Heap order: the entry to emit next on top. Ties go to the lower source order.
struct HeapLater {
  bool forward;
  bool operator()(const LogSource* a, const LogSource* b) const {
    if (a->timestamp() != b->timestamp()) {
      return forward ? a->timestamp() > b->timestamp() : a->timestamp() < b->timestamp();
    }
    return a->order() > b->order();
  }
};

// Collects emitted entries into streams keyed by label set, charging what it keeps.
class StreamCollector {
 public:
  StreamCollector(bool categorize, MemoryBudget* budget)
      : categorize_(categorize), gauge_(budget) {}

  Status Add(const LogSource& src) {
    auto [it, inserted] = index_.try_emplace(*src.labels(), streams_.size());
    uint64_t bytes = sizeof(OutEntry) + src.line().size();
    if (inserted) {
      streams_.emplace_back();
      streams_.back().labels = *src.labels();
      // The index key, the output stream's copy and the sorting key of Finish().
      bytes += 3 * LabelsBytes(*src.labels()) + kMapNodeBytes + sizeof(OutStream);
    }
    OutEntry& e = streams_[it->second].entries.emplace_back();
    e.timestamp_ns = src.timestamp();
    e.line = src.line();
    if (categorize_) {
      e.metadata = src.metadata();
      e.parsed = src.parsed();
      bytes += LabelsBytes(e.metadata) + LabelsBytes(e.parsed);
    }
    return gauge_.Add(bytes);
  }

  std::vector<OutStream> Finish() {
    std::vector<std::pair<std::string, size_t>> keys;
    keys.reserve(streams_.size());
    for (size_t i = 0; i < streams_.size(); ++i) keys.emplace_back(streams_[i].labels.ToString(), i);
    std::sort(keys.begin(), keys.end());
    std::vector<OutStream> out;
    out.reserve(streams_.size());
    for (auto& [key, i] : keys) out.push_back(std::move(streams_[i]));
    return out;
  }

 private:
  bool categorize_;
  MemoryGauge gauge_;
  std::map<storage::Labels, size_t> index_;
  std::vector<OutStream> streams_;
};

}  // namespace

Result<std::vector<OutStream>> RunLogQuery(const EvalContext& ctx, const LogSelector& selector,
                                           const Pipeline& pipeline,
                                           const LogQueryOptions& options) {
  auto series = ctx.store->SelectSeries(ctx.tenant, selector.matchers, options.from_ns,
                                        options.through_ns);
  if (!series.ok()) return series.status();
  FENRIR_RETURN_IF_ERROR(ctx.CheckDeadline());

  storage::ScanHints hints;
  hints.required_literals = pipeline.RequiredLiterals();

  // The open streams: their readers, pipelines and labels (a copy in the series list and one
  // in the pipeline's output).
  MemoryGauge open_streams(ctx.memory);
  std::vector<std::unique_ptr<LogSource>> sources;
  sources.reserve(series->size());
  for (size_t i = 0; i < series->size(); ++i) {
    const storage::SeriesRef& ref = (*series)[i];
    FENRIR_RETURN_IF_ERROR(open_streams.Add(kOpenStreamBytes + 2 * LabelsBytes(ref.labels)));
    sources.push_back(std::make_unique<LogSource>(
        ctx.store->Entries(ctx.tenant, ref, options.from_ns, options.through_ns,
                           options.direction, hints),
        pipeline.ForStream(ref.labels), options.categorize_labels, i, ctx.stats));
  }

  const bool forward = options.direction == storage::Direction::kForward;
  HeapLater later{forward};
  std::vector<LogSource*> heap;
  heap.reserve(sources.size());
  for (auto& s : sources) {
    if (s->Advance()) {
      heap.push_back(s.get());
    } else {
      FENRIR_RETURN_IF_ERROR(s->status());
    }
  }
  std::make_heap(heap.begin(), heap.end(), later);

  FENRIR_RETURN_IF_ERROR(open_streams.Settle());
  StreamCollector collector(options.categorize_labels, ctx.memory);
  uint32_t returned = 0;
  bool have_last = false;
  int64_t last_ts = 0;
  uint64_t steps = 0;
  while (returned < options.limit && !heap.empty()) {
    if ((++steps & 1023) == 0) FENRIR_RETURN_IF_ERROR(ctx.CheckDeadline());
    std::pop_heap(heap.begin(), heap.end(), later);
    LogSource* top = heap.back();
    const int64_t ts = top->timestamp();
    bool emit = options.interval_ns == 0 || !have_last ||
                (forward ? ts >= last_ts + options.interval_ns
                         : ts <= last_ts - options.interval_ns);
    if (emit) {
      FENRIR_RETURN_IF_ERROR(collector.Add(*top));
      last_ts = ts;
      have_last = true;
      ++returned;
      if (returned >= options.limit) break;
    }
    if (top->Advance()) {
      std::push_heap(heap.begin(), heap.end(), later);
    } else {
      FENRIR_RETURN_IF_ERROR(top->status());
      heap.pop_back();
    }
  }
  if (ctx.stats != nullptr) ctx.stats->entries_returned += returned;
  return collector.Finish();
}

}  // namespace fenrir::query
