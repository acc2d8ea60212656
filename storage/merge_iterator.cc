#include "storage/merge_iterator.h"

#include <algorithm>
#include <limits>

namespace fenrir::storage {

namespace {

class EmptyIterator : public EntryIterator {
 public:
  explicit EmptyIterator(Status s) : status_(std::move(s)) {}
  bool Valid() const override { return false; }
  void Next() override {}
  int64_t Timestamp() const override { return 0; }
  std::string_view Line() const override { return {}; }
  const Labels& Metadata() const override { return none_; }
  Status status() const override { return status_; }

 private:
  Status status_;
  Labels none_;
};

class MergeIterator : public EntryIterator {
 public:
  MergeIterator(std::vector<MergeSource> sources, int64_t from, int64_t through, Direction dir,
                bool need_lines)
      : from_(from), through_(through), forward_(dir == Direction::kForward),
        need_lines_(need_lines) {
    cursors_.reserve(sources.size());
    for (auto& s : sources) {
      if (s.max_ts < from_ || s.min_ts >= through_) continue;
      Cursor c;
      c.src = std::move(s);
      cursors_.push_back(std::move(c));
    }
    for (auto& c : cursors_) {
      if (c.src.block) {
        if (!Open(&c)) continue;
      }
      heap_.push_back(&c);
    }
    std::make_heap(heap_.begin(), heap_.end(), HeapLess{this});
    Settle();
  }

  bool Valid() const override { return cur_ != nullptr; }

  void Next() override {
    if (forward_) {
      ++cur_->pos;
    } else {
      --cur_->pos;
    }
    if (cur_->pos < cur_->lo || cur_->pos >= cur_->hi) {
      cur_->src.block.reset();
      cur_ = nullptr;
      Settle();
      return;
    }
    if (!heap_.empty() && Before(heap_.front(), cur_)) {
      heap_.push_back(cur_);
      std::push_heap(heap_.begin(), heap_.end(), HeapLess{this});
      cur_ = nullptr;
      Settle();
      return;
    }
    LoadLines();
  }

  int64_t Timestamp() const override { return cur_->src.block->Timestamp(cur_->pos); }
  std::string_view Line() const override {
    const Cursor* c = cur_;
    const DecodedBlock& b = *c->src.block;
    if (c->pos >= c->ready_first && c->pos < c->ready_end) return b.Line(c->pos);
    return b.LinesReady(c->pos) ? b.Line(c->pos) : std::string_view();
  }
  size_t LineSize() const override { return cur_->src.block->LineSize(cur_->pos); }
  const Labels& Metadata() const override { return cur_->src.block->Metadata(cur_->pos); }
  Status status() const override { return status_; }

 private:
  struct Cursor {
    MergeSource src;
    bool loaded = false;
    int64_t lo = 0, hi = 0, pos = 0;  // entries [lo, hi) are in range
    int64_t ready_first = 0, ready_end = 0;  // entries whose lines are known loaded
  };

  struct HeapLess {
    const MergeIterator* it;
    // std heaps keep the greatest on top: "a < b" means b comes out first.
    bool operator()(const Cursor* a, const Cursor* b) const { return it->Before(b, a); }
  };

  int64_t KeyTs(const Cursor* c) const {
    if (c->loaded) return c->src.block->Timestamp(c->pos);
    return forward_ ? c->src.min_ts : c->src.max_ts;
  }
  int64_t KeyPos(const Cursor* c) const {
    if (c->loaded) return c->pos;
    return forward_ ? -1 : std::numeric_limits<int64_t>::max();
  }

  // True when a's current entry is emitted before b's.
  bool Before(const Cursor* a, const Cursor* b) const {
    int64_t ta = KeyTs(a), tb = KeyTs(b);
    if (ta != tb) return forward_ ? ta < tb : ta > tb;
    if (a->src.rank != b->src.rank) {
      return forward_ ? a->src.rank < b->src.rank : a->src.rank > b->src.rank;
    }
    int64_t pa = KeyPos(a), pb = KeyPos(b);
    return forward_ ? pa < pb : pa > pb;
  }

  // Positions a cursor on its in-range entries; false when it has none.
  bool Open(Cursor* c) {
    c->loaded = true;
    const DecodedBlock& b = *c->src.block;
    int64_t lo = 0, hi = static_cast<int64_t>(b.size());
    // Timestamps are sorted: binary search the range bounds.
    auto first_ge = [&b](int64_t ts) {
      int64_t l = 0, r = static_cast<int64_t>(b.size());
      while (l < r) {
        int64_t m = (l + r) / 2;
        if (b.Timestamp(m) < ts) {
          l = m + 1;
        } else {
          r = m;
        }
      }
      return l;
    };
    if (b.size() > 0 && b.Timestamp(0) < from_) lo = first_ge(from_);
    if (b.size() > 0 && b.Timestamp(hi - 1) >= through_) hi = first_ge(through_);
    c->lo = lo;
    c->hi = hi;
    c->pos = forward_ ? lo : hi - 1;
    if (lo >= hi) c->src.block.reset();
    return lo < hi;
  }

  // Decompresses the page of lines under cur_ when lines are wanted; a failure ends iteration.
  void LoadLines() {
    Cursor* c = cur_;
    if (!need_lines_ || (c->pos >= c->ready_first && c->pos < c->ready_end)) return;
    Status s = c->src.block->LoadLines(c->pos);
    if (s.ok()) {
      size_t first, end;
      c->src.block->PageRange(c->pos, &first, &end);
      c->ready_first = static_cast<int64_t>(first);
      c->ready_end = static_cast<int64_t>(end);
      return;
    }
    status_ = s;
    heap_.clear();
    cur_ = nullptr;
  }

  // Pops until the heap top is a read cursor, reading blocks as they surface.
  void Settle() {
    while (!heap_.empty()) {
      std::pop_heap(heap_.begin(), heap_.end(), HeapLess{this});
      Cursor* c = heap_.back();
      heap_.pop_back();
      if (c->loaded) {
        cur_ = c;
        LoadLines();
        return;
      }
      auto block = std::make_shared<DecodedBlock>();
      Status s = c->src.load(block.get());
      c->src.load = nullptr;
      if (!s.ok()) {
        status_ = s;
        heap_.clear();
        cur_ = nullptr;
        return;
      }
      c->src.block = std::move(block);
      if (!Open(c)) continue;
      heap_.push_back(c);
      std::push_heap(heap_.begin(), heap_.end(), HeapLess{this});
    }
    cur_ = nullptr;
  }

  const int64_t from_;
  const int64_t through_;
  const bool forward_;
  const bool need_lines_;
  std::vector<Cursor> cursors_;  // never resized after construction: heap_ points into it
  std::vector<Cursor*> heap_;
  Cursor* cur_ = nullptr;
  Status status_;
};

}  // namespace

std::unique_ptr<EntryIterator> NewMergeIterator(std::vector<MergeSource> sources, int64_t from,
                                                int64_t through, Direction direction,
                                                bool need_lines) {
  return std::make_unique<MergeIterator>(std::move(sources), from, through, direction,
                                         need_lines);
}

std::unique_ptr<EntryIterator> NewEmptyIterator(Status status) {
  return std::make_unique<EmptyIterator>(std::move(status));
}

}  // namespace fenrir::storage
