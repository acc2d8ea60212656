#include "storage/stream_head.h"

#include <xxhash.h>

#include <algorithm>
#include <numeric>

namespace fenrir::storage {

uint32_t StreamHead::KeyOf(int64_t ts, std::string_view line) {
  const uint64_t h = XXH3_64bits_withSeed(line.data(), line.size(), static_cast<uint64_t>(ts));
  return static_cast<uint32_t>(h ^ (h >> 32));
}

int64_t StreamHead::FindKey(uint32_t key) const {
  if (slots_.empty()) return -1;
  const size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.index_plus_one == 0) return -1;
    if (slot.key == key) return slot.index_plus_one - 1;
  }
}

void StreamHead::InsertKey(uint32_t key, uint32_t index) {
  if ((slots_used_ + 1) * 4 > slots_.size() * 3) {  // keep the load at most 3/4
    std::vector<Slot> old(std::max<size_t>(64, slots_.size() * 2), Slot{0, 0});
    old.swap(slots_);
    slots_used_ = 0;
    for (const Slot& slot : old) {
      if (slot.index_plus_one != 0) InsertKey(slot.key, slot.index_plus_one - 1);
    }
  }
  const size_t mask = slots_.size() - 1;
  for (size_t i = key & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.index_plus_one == 0) {
      slot = Slot{key, index + 1};
      ++slots_used_;
      return;
    }
    if (slot.key == key) return;  // keeps the first entry with this hash
  }
}

void StreamHead::IndexPending() {
  for (; indexed_ < entries_.size(); ++indexed_) {
    const Entry& e = entries_[indexed_];
    InsertKey(KeyOf(e.ts, LineOf(e)), static_cast<uint32_t>(indexed_));
  }
}

bool StreamHead::Append(int64_t ts, std::string_view line, const Labels& metadata) {
  if (!entries_.empty() && ts <= max_ts_) {  // may repeat a held entry: look it up
    IndexPending();
    int64_t first = FindKey(KeyOf(ts, line));
    if (first >= 0) {
      const Entry& f = entries_[first];
      if (f.ts == ts && LineOf(f) == line) return false;
      // Another entry with the same 32-bit key (rare): compare every entry.
      for (const Entry& e : entries_) {
        if (e.ts == ts && LineOf(e) == line) return false;
      }
    }
  }
  Entry e{ts, arena_.Add(line).data(), static_cast<uint32_t>(line.size()), 0};
  if (!metadata.empty()) {
    metadata_.push_back(metadata);
    for (const Label& l : metadata) metadata_bytes_ += l.name.size() + l.value.size() + 64;
    e.metadata = static_cast<uint32_t>(metadata_.size());
  }
  if (entries_.empty()) {
    min_ts_ = max_ts_ = ts;
  } else {
    if (ts < max_ts_) sorted_ = false;
    min_ts_ = std::min(min_ts_, ts);
    max_ts_ = std::max(max_ts_, ts);
  }
  entries_.push_back(e);
  raw_bytes_ += line.size();
  return true;
}

void StreamHead::Rollback(size_t mark) {
  while (entries_.size() > mark) {
    const Entry& e = entries_.back();
    raw_bytes_ -= e.length;
    if (e.metadata) metadata_.resize(e.metadata - 1);
    entries_.pop_back();
  }
  if (indexed_ > entries_.size()) {  // rare (a failed write): rebuild the filter
    slots_.clear();
    slots_used_ = 0;
    indexed_ = 0;
  }
  RecomputeRange();
}

void StreamHead::RecomputeRange() {
  sorted_ = true;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (i == 0) {
      min_ts_ = max_ts_ = e.ts;
      continue;
    }
    if (e.ts < max_ts_) sorted_ = false;
    min_ts_ = std::min(min_ts_, e.ts);
    max_ts_ = std::max(max_ts_, e.ts);
  }
}

std::vector<uint32_t> StreamHead::Order() const {
  std::vector<uint32_t> order(entries_.size());
  std::iota(order.begin(), order.end(), 0u);
  if (!sorted_) {
    std::stable_sort(order.begin(), order.end(),
                     [this](uint32_t a, uint32_t b) { return entries_[a].ts < entries_[b].ts; });
  }
  return order;
}

std::vector<BlockEntryRef> StreamHead::Sorted() const {
  std::vector<BlockEntryRef> out;
  out.reserve(entries_.size());
  for (uint32_t i : Order()) {
    const Entry& e = entries_[i];
    out.push_back({e.ts, LineOf(e), e.metadata ? &metadata_[e.metadata - 1] : nullptr});
  }
  return out;
}

std::shared_ptr<DecodedBlock> StreamHead::Snapshot(int64_t from, int64_t through) const {
  auto out = std::make_shared<DecodedBlock>();
  if (entries_.empty() || max_ts_ < from || min_ts_ >= through) return out;
  static const Labels kNone;
  if (from <= min_ts_ && through > max_ts_) out->Reserve(entries_.size(), raw_bytes_);
  for (uint32_t i : Order()) {
    const Entry& e = entries_[i];
    if (e.ts < from || e.ts >= through) continue;
    out->Append(e.ts, LineOf(e), e.metadata ? metadata_[e.metadata - 1] : kNone);
  }
  return out;
}

void StreamHead::Clear() {
  entries_.clear();
  entries_.shrink_to_fit();
  arena_.Clear();
  metadata_.clear();
  metadata_.shrink_to_fit();
  metadata_bytes_ = 0;
  slots_.clear();
  slots_.shrink_to_fit();
  slots_used_ = 0;
  indexed_ = 0;
  raw_bytes_ = 0;
  min_ts_ = max_ts_ = 0;
  sorted_ = true;
}

}  // namespace fenrir::storage
