#include "query/eval/log_source.h"

#include <algorithm>

namespace fenrir::query {

LogSource::LogSource(std::unique_ptr<storage::EntryIterator> it,
                     std::unique_ptr<StreamPipeline> pipeline, bool categorize_labels,
                     size_t order, QueryStats* stats)
    : it_(std::move(it)),
      pipeline_(std::move(pipeline)),
      categorize_labels_(categorize_labels),
      order_(order),
      stats_(stats) {}

bool LogSource::Advance() {
  if (started_ && it_->Valid()) it_->Next();
  started_ = true;
  for (; it_->Valid(); it_->Next()) {
    const int64_t ts = it_->Timestamp();
    const std::string_view raw = it_->Line();
    if (stats_ != nullptr) {
      stats_->lines_processed++;
      stats_->bytes_processed += raw.size();
    }
    if (!pipeline_->Process(ts, raw, it_->Metadata())) continue;
    if (stats_ != nullptr) stats_->post_filter_lines++;
    const std::string_view out = pipeline_->Line();
    if (ts == timestamp_ && labels_ != nullptr) {
      if (std::find(lines_at_timestamp_.begin(), lines_at_timestamp_.end(), out) !=
          lines_at_timestamp_.end()) {
        continue;  // the same entry twice in one stream
      }
    } else {
      lines_at_timestamp_.clear();
    }
    timestamp_ = ts;
    line_.assign(out);
    lines_at_timestamp_.push_back(line_);
    const storage::Labels& lbs =
        categorize_labels_ ? pipeline_->StreamLabels() : pipeline_->Labels();
    if (labels_ == nullptr || !(*labels_ == lbs)) {
      labels_ = std::make_shared<const storage::Labels>(lbs);
    }
    return true;
  }
  return false;
}

}  // namespace fenrir::query
