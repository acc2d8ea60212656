// Fuzzes the protobuf push path (promtail's logproto.PushRequest, snappy block format): the body
// is snappy-decoded with a size cap and then decoded as protobuf; the raw input is also decoded as
// protobuf directly. Never a crash; the cap is honoured.

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
  std::string decoded;
  fenrir::Status st = fenrir::server::SnappyDecode(body, kCap, &decoded);
  if (st.ok()) {
    FUZZ_CHECK(decoded.size() <= kCap, "snappy output exceeds the cap", std::to_string(kCap),
               std::to_string(decoded.size()));
    fenrir::server::RawPush push;
    (void)fenrir::server::DecodeProtoPush(decoded, &push);
  }
  fenrir::server::RawPush raw;
  (void)fenrir::server::DecodeProtoPush(body, &raw);
  return 0;
}
