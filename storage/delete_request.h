#pragma once
// Delete requests (Loki's /loki/api/v1/delete): what was asked, and the compiled form storage
// applies. Storage never parses LogQL: the server compiles the query into a DeleteFilter
// (stream matchers plus a per-stream line predicate) and storage keeps the query text so the
// same compiler (StoreOptions::delete_compiler) can rebuild the filter after a restart.
//
// Life cycle: received -> (cancel period elapses: applied as a read-time filter) -> processed
// (the matching lines are rewritten out of their blocks). A cancelled request is removed.
// Persisted in the index column family (storage/FORMAT.md, "Delete requests").

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::storage {

// True when the entry must be deleted.
using DeletePredicate =
    std::function<bool(int64_t timestamp_ns, std::string_view line, const Labels& metadata)>;

struct DeleteFilter {
  std::vector<Matcher> matchers;  // the stream selector
  // Builds the predicate for one stream (so a pipeline with parsers is compiled once per
  // stream). Empty: every entry of a matching stream in the time range is deleted.
  std::function<DeletePredicate(const Labels& stream)> for_stream;

  // A filter whose predicate looks at the line only.
  static DeleteFilter Lines(std::vector<Matcher> matchers,
                            std::function<bool(std::string_view line)> line_matches);
};

// Compiles a delete query (LogQL log selector with optional pipeline). InvalidArgument when
// the query is not a valid deletion query.
using DeleteQueryCompiler = std::function<Result<DeleteFilter>(std::string_view query)>;

enum class DeleteStatus { kReceived, kProcessed };

// "received" / "processed" (Loki's status strings).
std::string_view DeleteStatusName(DeleteStatus status);

struct DeleteRequest {
  std::string id;      // 8 hex digits, unique per tenant
  std::string tenant;
  std::string query;
  int64_t start_ns = 0;  // inclusive
  int64_t end_ns = 0;    // inclusive
  int64_t created_ns = 0;
  DeleteStatus status = DeleteStatus::kReceived;
  int64_t processed_ns = 0;  // when status became processed
};

// Record codec (value of a delete-request key). Corruption when malformed.
void EncodeDeleteRequest(const DeleteRequest& request, std::string* dst);
Status DecodeDeleteRequest(std::string_view in, DeleteRequest* request);

// Index key of a delete request: 0x00 ff ff ff ff 'D' | tenant | 0x00 | id. The empty tenant
// and the last day make it sort after every partition of the tenant "" and outside any query.
std::string DeleteRequestKey(std::string_view tenant, std::string_view id);
// Prefix of every delete request key.
std::string DeleteRequestPrefix();

}  // namespace fenrir::storage
