// Fuzzes Content-Encoding decoding of push bodies (gzip, deflate) with a size cap, then the JSON
// decoder on the result. Never a crash; the cap is honoured (no decompression bomb gets past it).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/push/push_request.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1 << 16)) return -1;
  constexpr size_t kCap = 1 << 20;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  for (std::string_view encoding : {"gzip", "deflate"}) {
    std::string decoded;
    fenrir::Status st = fenrir::server::DecodeContentEncoding(encoding, body, kCap, &decoded);
    if (!st.ok()) continue;
    FUZZ_CHECK(decoded.size() <= kCap, "decoded body exceeds the cap", encoding,
               std::to_string(decoded.size()));
    fenrir::server::RawPush push;
    (void)fenrir::server::DecodeJsonPush(decoded, &push);
  }
  return 0;
}
