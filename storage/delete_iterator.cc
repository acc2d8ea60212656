#include "storage/delete_iterator.h"

namespace fenrir::storage {

namespace {

class DeleteFilterIterator : public EntryIterator {
 public:
  DeleteFilterIterator(std::unique_ptr<EntryIterator> base, std::vector<DeleteSpan> spans)
      : base_(std::move(base)), spans_(std::move(spans)) {
    SkipDeleted();
  }
  bool Valid() const override { return base_->Valid(); }
  void Next() override {
    base_->Next();
    SkipDeleted();
  }
  int64_t Timestamp() const override { return base_->Timestamp(); }
  std::string_view Line() const override { return base_->Line(); }
  size_t LineSize() const override { return base_->LineSize(); }
  const Labels& Metadata() const override { return base_->Metadata(); }
  Status status() const override { return base_->status(); }

 private:
  void SkipDeleted() {
    while (base_->Valid() &&
           IsDeleted(spans_, base_->Timestamp(), base_->Line(), base_->Metadata())) {
      base_->Next();
    }
  }

  std::unique_ptr<EntryIterator> base_;
  std::vector<DeleteSpan> spans_;
};

}  // namespace

bool IsDeleted(const std::vector<DeleteSpan>& spans, int64_t ts, std::string_view line,
               const Labels& metadata) {
  for (const DeleteSpan& s : spans) {
    if (ts < s.start_ns || ts > s.end_ns) continue;
    if (!s.predicate || s.predicate(ts, line, metadata)) return true;
  }
  return false;
}

std::unique_ptr<EntryIterator> NewDeleteFilterIterator(std::unique_ptr<EntryIterator> base,
                                                       std::vector<DeleteSpan> spans) {
  if (spans.empty()) return base;
  return std::make_unique<DeleteFilterIterator>(std::move(base), std::move(spans));
}

}  // namespace fenrir::storage
