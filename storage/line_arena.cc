#include "storage/line_arena.h"

#include <algorithm>
#include <cstring>

namespace fenrir::storage {

std::string_view LineArena::Add(std::string_view s) {
  if (s.size() > left_) {
    // A line larger than the next chunk gets a chunk of its own size; what was left of the
    // current chunk is abandoned (at most one line's worth).
    const size_t size = std::max(next_chunk_, s.size());
    chunks_.emplace_back(new char[size]);
    cur_ = chunks_.back().get();
    left_ = size;
    capacity_ += size;
    next_chunk_ = std::min(next_chunk_ * 2, kMaxChunk);
  }
  char* at = cur_;
  if (!s.empty()) std::memcpy(at, s.data(), s.size());
  cur_ += s.size();
  left_ -= s.size();
  return {at, s.size()};
}

void LineArena::Clear() {
  chunks_.clear();
  chunks_.shrink_to_fit();
  cur_ = nullptr;
  left_ = 0;
  next_chunk_ = kFirstChunk;
  capacity_ = 0;
}

}  // namespace fenrir::storage
