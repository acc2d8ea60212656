#pragma once
// Loki's limits_config.max_query_bytes_read: before a query runs, the index stats of each of
// its stream selectors (over the range that selector reads: minus its range and offset, and
// minus Loki's 30s look-back for log selectors) are summed; past the limit the query is
// refused with Loki's text and HTTP 400. Nothing is decompressed: the store answers from block
// metadata.

#include <cstdint>
#include <string>

#include "query/syntax/ast.h"
#include "query/engine.h"
#include "base/status.h"
#include "storage/store.h"

namespace fenrir::query {

// Uncompressed line bytes the selectors of `expr` would read for `params`, as index stats say.
Result<uint64_t> QueryBytesRead(storage::Store* store, const QueryParams& params,
                                const Expr& expr);

// OK when limit_bytes == 0 or the query would read at most limit_bytes; else InvalidArgument
// "the query would read too many bytes (query: 1.2 GiB, limit: 1.0 GiB); consider adding more
// specific stream selectors or reduce the time range of the query".
Status CheckQueryBytesRead(storage::Store* store, const QueryParams& params, const Expr& expr,
                           uint64_t limit_bytes);

// A byte count in binary units as Go's humanize.IBytes writes it ("9 B", "100 B", "1.2 GiB",
// "15 MiB"), which Loki's error texts use.
std::string FormatIBytes(uint64_t bytes);

}  // namespace fenrir::query
