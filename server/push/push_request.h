#pragma once
// A decoded push body before validation, and the decoders for each wire format (Loki §1.1).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/http_types.h"
#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::server {

struct RawEntry {
  int64_t timestamp_ns = 0;
  std::string line;
  std::vector<storage::Label> metadata;  // structured metadata, as sent
};

struct RawStream {
  std::string labels;  // Prometheus series text, e.g. {app="a", host="h1"}
  std::vector<RawEntry> entries;
};

struct RawPush {
  std::vector<RawStream> streams;
};

// JSON v1 body: {"streams":[{"stream":{...},"values":[["<ns>","<line>",{...}]]}]}.
Status DecodeJsonPush(std::string_view body, RawPush* out);
// Legacy JSON body (/api/prom/push): {"streams":[{"labels":"{...}","entries":[{"ts":..,"line":..}]}]}.
Status DecodeLegacyJsonPush(std::string_view body, RawPush* out);
// Protobuf logproto.PushRequest (already snappy-decoded).
Status DecodeProtoPush(std::string_view body, RawPush* out);

// Undoes Content-Encoding (gzip, deflate; snappy and identity pass through), capping the
// decoded size at max_bytes. Errors: InvalidArgument.
Status DecodeContentEncoding(std::string_view encoding, std::string_view body, size_t max_bytes,
                             std::string* out);
// Snappy block-format decoding with a size cap.
Status SnappyDecode(std::string_view body, size_t max_bytes, std::string* out);

// Full body pipeline of a push request: Content-Type selection, Content-Encoding, snappy for
// protobuf, JSON (v1 or legacy by `legacy`) or protobuf decoding.
Status DecodePushRequest(const HttpRequest& request, bool legacy, size_t max_decoded_bytes,
                         RawPush* out);

}  // namespace fenrir::server
