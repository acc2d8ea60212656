#include "storage/stream_head.h"

#include <xxhash.h>

#include <algorithm>
#include <numeric>

namespace fenrir::storage {

uint64_t StreamHead::KeyOf(int64_t ts, std::string_view line) {
  return XXH3_64bits_withSeed(line.data(), line.size(), static_cast<uint64_t>(ts));
}

bool StreamHead::Append(int64_t ts, std::string_view line, const Labels& metadata) {
  uint64_t key = KeyOf(ts, line);
  auto [it, inserted] = seen_.try_emplace(key, static_cast<uint32_t>(entries_.size()));
  if (!inserted) {
    const Entry& first = entries_[it->second];
    if (first.ts == ts && LineOf(first) == line) return false;
    // A 64-bit hash collision: fall back to comparing every entry.
    for (const Entry& e : entries_) {
      if (e.ts == ts && LineOf(e) == line) return false;
    }
  }
  Entry e{ts, arena_.size(), static_cast<uint32_t>(line.size()), 0};
  arena_.append(line);
  if (!metadata.empty()) {
    metadata_.push_back(metadata);
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
    auto it = seen_.find(KeyOf(e.ts, LineOf(e)));
    if (it != seen_.end() && it->second == entries_.size() - 1) seen_.erase(it);
    raw_bytes_ -= e.length;
    arena_.resize(e.offset);
    if (e.metadata) metadata_.resize(e.metadata - 1);
    entries_.pop_back();
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
  arena_.clear();
  arena_.shrink_to_fit();
  metadata_.clear();
  seen_.clear();
  seen_ = {};
  raw_bytes_ = 0;
  min_ts_ = max_ts_ = 0;
  sorted_ = true;
}

}  // namespace fenrir::storage
