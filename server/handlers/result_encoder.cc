#include "server/handlers/result_encoder.h"

#include <cmath>

#include "server/rfc3339.h"

namespace fenrir::server {

namespace {

void WriteChunkStats(JsonWriter& w, const query::QueryStats* s) {
  uint64_t head_bytes = s ? s->head_chunk_bytes : 0;
  uint64_t head_lines = s ? s->head_chunk_lines : 0;
  uint64_t bytes = s ? s->bytes_processed : 0;
  uint64_t lines = s ? s->lines_processed : 0;
  w.Key("chunk");
  w.BeginObject();
  w.Key("headChunkBytes"); w.Uint(head_bytes);
  w.Key("headChunkLines"); w.Uint(head_lines);
  w.Key("decompressedBytes"); w.Uint(bytes > head_bytes ? bytes - head_bytes : 0);
  w.Key("decompressedLines"); w.Uint(lines > head_lines ? lines - head_lines : 0);
  w.Key("compressedBytes"); w.Uint(s ? s->compressed_bytes : 0);
  w.Key("totalDuplicates"); w.Uint(0);
  w.Key("postFilterLines"); w.Uint(s ? s->post_filter_lines : 0);
  w.Key("headChunkStructuredMetadataBytes"); w.Uint(0);
  w.Key("decompressedStructuredMetadataBytes"); w.Uint(0);
  w.EndObject();
}

void WriteStoreStats(JsonWriter& w, const query::QueryStats* s) {
  w.BeginObject();
  w.Key("totalChunksRef"); w.Uint(s ? s->chunks_ref : 0);
  w.Key("totalChunksDownloaded"); w.Uint(s ? s->chunks_downloaded : 0);
  w.Key("chunksDownloadTime"); w.Uint(0);
  WriteChunkStats(w, s);
  w.Key("chunkRefsFetchTime"); w.Uint(0);
  w.EndObject();
}

void WriteCacheStats(JsonWriter& w) {
  w.BeginObject();
  for (const char* k : {"entriesFound", "entriesRequested", "entriesStored", "bytesReceived",
                        "bytesSent", "requests", "downloadTime"}) {
    w.Key(k);
    w.Uint(0);
  }
  w.EndObject();
}

}  // namespace

void WriteEntries(JsonWriter& w, const query::OutStream& s, bool categorize) {
  w.Key("values");
  w.BeginArray();
  for (const auto& e : s.entries) {
    w.BeginArray();
    w.String(std::to_string(e.timestamp_ns));
    w.HtmlSafeString(e.line);
    if (categorize) {
      w.BeginObject();
      if (!e.metadata.empty()) {
        w.Key("structuredMetadata");
        WriteLabels(w, e.metadata);
      }
      if (!e.parsed.empty()) {
        w.Key("parsed");
        WriteLabels(w, e.parsed);
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndArray();
}

void WriteLabels(JsonWriter& w, const storage::Labels& labels) {
  w.BeginObject();
  for (const auto& l : labels) {
    w.Key(l.name);
    w.String(l.value);
  }
  w.EndObject();
}

void WriteStats(JsonWriter& w, const query::QueryStats& s) {
  double exec = s.exec_time_seconds;
  w.BeginObject();
  w.Key("summary");
  w.BeginObject();
  w.Key("bytesProcessedPerSecond");
  w.Int(exec > 0 ? static_cast<int64_t>(static_cast<double>(s.bytes_processed) / exec) : 0);
  w.Key("linesProcessedPerSecond");
  w.Int(exec > 0 ? static_cast<int64_t>(static_cast<double>(s.lines_processed) / exec) : 0);
  w.Key("totalBytesProcessed"); w.Uint(s.bytes_processed);
  w.Key("totalLinesProcessed"); w.Uint(s.lines_processed);
  w.Key("execTime"); w.Double(std::round(exec * 1e6) / 1e6);
  w.Key("queueTime"); w.Double(0);
  w.Key("subqueries"); w.Uint(0);
  w.Key("totalEntriesReturned"); w.Uint(s.entries_returned);
  w.Key("splits"); w.Uint(0);
  w.Key("shards"); w.Uint(0);
  w.Key("totalPostFilterLines"); w.Uint(s.post_filter_lines);
  w.Key("totalStructuredMetadataBytesProcessed"); w.Uint(0);
  w.EndObject();
  w.Key("querier");
  w.BeginObject();
  w.Key("store");
  WriteStoreStats(w, &s);
  w.EndObject();
  w.Key("ingester");
  w.BeginObject();
  w.Key("totalReached"); w.Uint(0);
  w.Key("totalChunksMatched"); w.Uint(0);
  w.Key("totalBatches"); w.Uint(0);
  w.Key("totalLinesSent"); w.Uint(0);
  w.Key("store");
  WriteStoreStats(w, nullptr);
  w.EndObject();
  w.Key("cache");
  w.BeginObject();
  for (const char* k : {"chunk", "index", "result", "statsResult"}) {
    w.Key(k);
    WriteCacheStats(w);
  }
  w.EndObject();
  w.EndObject();
}

std::string EncodeQueryResponse(const query::QueryResult& result, bool categorize) {
  std::string out;
  size_t estimate = 1024;
  for (const auto& s : result.streams) {
    for (const auto& e : s.entries) estimate += e.line.size() + 32;
  }
  out.reserve(estimate);
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String("success");
  w.Key("data");
  w.BeginObject();
  w.Key("resultType");
  using Type = query::QueryResult::Type;
  switch (result.type) {
    case Type::kStreams: w.String("streams"); break;
    case Type::kMatrix: w.String("matrix"); break;
    case Type::kVector: w.String("vector"); break;
    case Type::kScalar: w.String("scalar"); break;
  }
  const bool streams = result.type == Type::kStreams;
  if (streams && categorize) {
    w.Key("encodingFlags");
    w.BeginArray();
    w.String("categorize-labels");
    w.EndArray();
  }
  w.Key("result");
  if (streams) {
    w.BeginArray();
    for (const auto& s : result.streams) {
      w.BeginObject();
      w.Key("stream");
      WriteLabels(w, s.labels);
      WriteEntries(w, s, categorize);
      w.EndObject();
    }
    w.EndArray();
  } else if (result.type == Type::kScalar) {
    // Loki 2.9 writes a scalar's timestamp in milliseconds (model.Scalar through the
    // frontend), unlike vector and matrix samples; the conformance corpus records it.
    w.BeginArray();
    w.Int(result.scalar.timestamp_ms);
    w.SampleValue(result.scalar.value);
    w.EndArray();
  } else {
    const bool matrix = result.type == Type::kMatrix;
    w.BeginArray();
    for (const auto& s : result.series) {
      w.BeginObject();
      w.Key("metric");
      WriteLabels(w, s.metric);
      if (matrix) {
        w.Key("values");
        w.BeginArray();
        for (const auto& p : s.points) {
          w.BeginArray();
          w.SampleTime(p.timestamp_ms);
          w.SampleValue(p.value);
          w.EndArray();
        }
        w.EndArray();
      } else {
        w.Key("value");
        w.BeginArray();
        const query::Point p = s.points.empty() ? query::Point{} : s.points.front();
        w.SampleTime(p.timestamp_ms);
        w.SampleValue(p.value);
        w.EndArray();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("stats");
  WriteStats(w, result.stats);
  w.EndObject();
  w.EndObject();
  if (streams) out.push_back('\n');
  return out;
}

std::string EncodeLegacyQueryResponse(const query::QueryResult& result) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("streams");
  w.BeginArray();
  for (const auto& s : result.streams) {
    w.BeginObject();
    w.Key("labels");
    w.String(s.labels.ToString());
    w.Key("entries");
    w.BeginArray();
    for (const auto& e : s.entries) {
      w.BeginObject();
      w.Key("ts");
      w.String(FormatRfc3339Nano(e.timestamp_ns));
      w.Key("line");
      w.HtmlSafeString(e.line);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("stats");
  WriteStats(w, result.stats);
  w.EndObject();
  out.push_back('\n');
  return out;
}

std::string EncodeStringList(const std::vector<std::string>& values, bool legacy) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  if (!legacy) {
    w.Key("status");
    w.String("success");
  }
  if (!values.empty()) {
    w.Key(legacy ? "values" : "data");
    w.BeginArray();
    for (const auto& v : values) w.String(v);
    w.EndArray();
  }
  w.EndObject();
  out.push_back('\n');
  return out;
}

}  // namespace fenrir::server
