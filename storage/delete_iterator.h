#pragma once
// Applying delete requests to entries: the read-time filter that hides lines of requests whose
// cancel period has elapsed but that are not processed yet, and the test the block rewriter
// uses. Thread-compatible.

#include <cstdint>
#include <memory>
#include <vector>

#include "storage/delete_request.h"
#include "storage/entry_iterator.h"

namespace fenrir::storage {

// One delete request bound to one stream.
struct DeleteSpan {
  int64_t start_ns = 0;  // inclusive
  int64_t end_ns = 0;    // inclusive
  DeletePredicate predicate;  // empty: every entry in the span
};

// True when some span deletes the entry.
bool IsDeleted(const std::vector<DeleteSpan>& spans, int64_t ts, std::string_view line,
               const Labels& metadata);

// `base` without the entries some span deletes. Returns `base` itself when spans is empty.
std::unique_ptr<EntryIterator> NewDeleteFilterIterator(std::unique_ptr<EntryIterator> base,
                                                       std::vector<DeleteSpan> spans);

}  // namespace fenrir::storage
