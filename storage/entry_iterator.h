#pragma once
// The read interface for log entries (STYLE.md rule 9): Valid / Next / At..., then status().

#include <cstdint>
#include <string_view>

#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::storage {

enum class Direction { kForward, kBackward };

// Entries of one stream in time order (per the direction it was opened with). Entries with the
// same timestamp keep arrival order (forward) or its reverse (backward).
// Not thread-safe; one iterator per reader.
class EntryIterator {
 public:
  virtual ~EntryIterator() = default;
  virtual bool Valid() const = 0;
  // REQUIRES: Valid()
  virtual void Next() = 0;
  // REQUIRES: Valid(). The views stay good until the next Next().
  virtual int64_t Timestamp() const = 0;
  virtual std::string_view Line() const = 0;
  virtual const Labels& Metadata() const = 0;  // structured metadata; empty for most entries
  // The byte length of the entry's line; valid even when the iterator was opened without lines
  // (ScanHints::need_lines false), where Line() may be empty.
  virtual size_t LineSize() const { return Line().size(); }
  // Not OK when a read failed (corruption is reported here, not thrown).
  virtual Status status() const = 0;
};

}  // namespace fenrir::storage
