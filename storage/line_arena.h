#pragma once
// Append-only storage of a head's line bytes in chunks that never move: appending copies each
// line once (no reallocation of what is held), views stay valid until Clear(), and the memory
// held is at most one chunk more than the lines (chunks grow from 4 KiB to 64 KiB).
// Thread-compatible.

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace fenrir::storage {

class LineArena {
 public:
  // Copies `s` into the arena; the view stays valid until Clear().
  std::string_view Add(std::string_view s);
  // Bytes of memory the chunks hold.
  uint64_t capacity() const { return capacity_; }
  void Clear();

 private:
  static constexpr size_t kFirstChunk = 4 << 10;
  static constexpr size_t kMaxChunk = 64 << 10;
  std::vector<std::unique_ptr<char[]>> chunks_;
  char* cur_ = nullptr;
  size_t left_ = 0;
  size_t next_chunk_ = kFirstChunk;
  uint64_t capacity_ = 0;
};

}  // namespace fenrir::storage
