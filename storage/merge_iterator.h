#pragma once
// K-way merge of one stream's blocks and head snapshot into one EntryIterator.
// Blocks are read lazily: an unread block waits in the heap keyed by its min_ts (forward) or
// max_ts (backward) and is decoded only when that key reaches the top, so at most the blocks
// overlapping the current position are held in memory.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "storage/block_codec.h"
#include "storage/entry_iterator.h"

namespace fenrir::storage {

struct MergeSource {
  // Entries with equal timestamps come out in rank order (forward) or reverse rank (backward):
  // blocks are ranked by their cut sequence and the head last, which is arrival order.
  uint64_t rank = 0;
  int64_t min_ts = 0;  // bounds of the source, used before it is read
  int64_t max_ts = 0;
  // Either block is set, or load reads it (called at most once, possibly never). A loaded
  // block may keep its lines compressed (DecodeBlock lazy_lines): the iterator loads the page
  // of each entry it stops on, when need_lines.
  std::shared_ptr<DecodedBlock> block;
  std::function<Status(DecodedBlock*)> load;
};

// Entries with from <= ts < through of all sources in `direction`. Without need_lines, Line()
// is empty for entries of blocks whose lines are not loaded (LineSize() is always right).
std::unique_ptr<EntryIterator> NewMergeIterator(std::vector<MergeSource> sources, int64_t from,
                                                int64_t through, Direction direction,
                                                bool need_lines = true);

// An iterator with no entries and the given status.
std::unique_ptr<EntryIterator> NewEmptyIterator(Status status);

}  // namespace fenrir::storage
