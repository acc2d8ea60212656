#pragma once
// One selected stream of a log query: its entries read from the store and run through the
// stream's pipeline, exposed one kept entry at a time so the merger can order streams.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "query/engine.h"
#include "query/log/pipeline.h"
#include "storage/entry_iterator.h"
#include "storage/labels.h"

namespace fenrir::query {

// Not thread-safe.
class LogSource {
 public:
  // `order` breaks timestamp ties between sources (Loki orders ties by stream hash).
  // `stats` may be null; lines and bytes read are added to it.
  LogSource(std::unique_ptr<storage::EntryIterator> it, std::unique_ptr<StreamPipeline> pipeline,
            bool categorize_labels, size_t order, QueryStats* stats);

  // Moves to the next entry the pipeline keeps. Returns false at the end (or on a read error,
  // see status()). Identical (timestamp, line) pairs of this stream are returned once.
  bool Advance();

  // REQUIRES: the last Advance() returned true.
  int64_t timestamp() const { return timestamp_; }
  const std::string& line() const { return line_; }
  // The output stream the entry belongs to: all labels, or the stream labels with
  // categorize_labels. Shared between consecutive entries with the same set.
  const std::shared_ptr<const storage::Labels>& labels() const { return labels_; }
  const storage::Labels& metadata() const { return pipeline_->MetadataLabels(); }
  const storage::Labels& parsed() const { return pipeline_->ParsedLabels(); }
  size_t order() const { return order_; }

  Status status() const { return it_->status(); }

 private:
  std::unique_ptr<storage::EntryIterator> it_;
  std::unique_ptr<StreamPipeline> pipeline_;
  bool categorize_labels_;
  size_t order_;
  QueryStats* stats_;
  bool started_ = false;

  int64_t timestamp_ = 0;
  std::string line_;
  std::shared_ptr<const storage::Labels> labels_;
  // Lines already returned at timestamp_, for de-duplication.
  std::vector<std::string> lines_at_timestamp_;
};

}  // namespace fenrir::query
