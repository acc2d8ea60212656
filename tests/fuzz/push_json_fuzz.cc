// Fuzzes the JSON push decoders (v1 /loki/api/v1/push and legacy /api/prom/push): any body must
// decode or fail with a Status, never crash.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/push/push_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 16)) return -1;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  fenrir::server::RawPush v1;
  (void)fenrir::server::DecodeJsonPush(body, &v1);
  fenrir::server::RawPush legacy;
  (void)fenrir::server::DecodeLegacyJsonPush(body, &legacy);
  return 0;
}
