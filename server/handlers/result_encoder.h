#pragma once
// Encodes engine results in Loki's v1 and legacy JSON shapes (reference §0.4, §1.4, §1.13).

#include <string>
#include <vector>

#include "query/engine.h"
#include "server/http/json_writer.h"

namespace fenrir::server {

// The full 2.9 `stats` object (summary, querier, ingester, cache), every field present.
void WriteStats(JsonWriter& w, const query::QueryStats& stats);

// {"status":"success","data":{"resultType":..,["encodingFlags":..],"result":..,"stats":..}}.
// Streams results end with "\n". `categorize_labels`: the categorize-labels entry shape.
std::string EncodeQueryResponse(const query::QueryResult& result, bool categorize_labels);

// /api/prom/query: {"streams":[{"labels":"{..}","entries":[{"ts":"RFC3339Nano","line":..}]}],
// "stats":{..}}. REQUIRES: result.type == kStreams.
std::string EncodeLegacyQueryResponse(const query::QueryResult& result);

// Sorted label object {"a":"1",...} (keys in the Labels' sorted order).
void WriteLabels(JsonWriter& w, const storage::Labels& labels);
// "values": [[ns, line(, {structuredMetadata, parsed})], ...] of one stream (v1 shape; the
// third element only with categorize-labels). Shared by query responses and tail messages.
void WriteEntries(JsonWriter& w, const query::OutStream& s, bool categorize);

// {"status":"success","data":[...]} with `data` omitted when empty (labels / label values),
// or the legacy {"values":[...]} shape.
std::string EncodeStringList(const std::vector<std::string>& values, bool legacy);

}  // namespace fenrir::server
