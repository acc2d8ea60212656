#pragma once
// Live tail (/loki/api/v1/tail, legacy /api/prom/tail): request parsing (errors are plain HTTP
// 400 before the upgrade), the tail message encoding, and the cursor that turns repeated
// forward queries into a stream of new entries.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "query/engine.h"
#include "server/http/http_types.h"
#include "server/server_context.h"
#include "server/tail/tail_hub.h"

namespace fenrir::server {

struct TailRequest {
  std::string tenant;
  std::string query;
  uint32_t limit = 100;     // backfill size
  int64_t start_ns = 0;     // backfill from here (default now - 1h)
  int64_t delay_ns = 0;     // delay_for, 0-5 s
  bool categorize = false;  // X-Loki-Response-Encoding-Flags: categorize-labels
  bool legacy = false;      // /api/prom/tail message shape
};

Result<TailRequest> ParseTailRequest(const ServerContext& ctx, const HttpRequest& request,
                                     bool legacy);

// One text message: {"streams":[{"stream":{..},"values":[[ts,line]..]}..]} (legacy:
// {"streams":[{"labels":"{..}","entries":[{"ts":..,"line":..}]}]}), entries oldest first.
std::string EncodeTailMessage(const std::vector<query::OutStream>& streams, bool categorize,
                              bool legacy);
// The same with "dropped_entries":[{"labels":{..},"timestamp":"<ns>"}..]; each of "streams"
// and "dropped_entries" is omitted when empty.
std::string EncodeTailMessage(const std::vector<query::OutStream>& streams,
                              const std::vector<DroppedEntry>& dropped, bool categorize,
                              bool legacy);

// Tracks what has been sent; not thread-safe.
class TailCursor {
 public:
  explicit TailCursor(int64_t start_ns) : cursor_ns_(start_ns) {}

  // Query window of the next poll: [cursor, now - delay + 1ns).
  int64_t from_ns() const { return cursor_ns_; }

  // Removes entries already sent, advances the cursor, and returns the new entries grouped
  // into messages of at most `batch` entries, each message's streams sorted oldest first.
  std::vector<std::vector<query::OutStream>> Take(std::vector<query::OutStream> streams,
                                                  size_t batch);

 private:
  int64_t cursor_ns_;
  std::set<std::string> sent_at_cursor_;  // label+line keys of entries sent at cursor_ns_
};

}  // namespace fenrir::server
