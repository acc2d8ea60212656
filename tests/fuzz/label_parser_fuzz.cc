// Fuzzes the push stream's label-string parser (Prometheus series text): any text must parse or
// fail with InvalidArgument; parsed pairs written back as {name="GoQuote(value)", ...} must parse
// to the same pairs. Go string unquoting must not crash on any body.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/go_unquote.h"
#include "server/push/label_parser.h"
#include "storage/labels.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

std::string Format(const std::vector<fenrir::storage::Label>& labels) {
  std::string out = "{";
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels[i].name + "=" + fenrir::storage::GoQuote(labels[i].value);
  }
  return out + "}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return -1;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)fenrir::PromUnquote(text);
  (void)fenrir::GoUnquote(text);

  auto parsed = fenrir::server::ParseSeriesLabels(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == fenrir::StatusCode::kInvalidArgument,
               "label parse error is not InvalidArgument", parsed.status().message(), text);
    return 0;
  }
  std::string printed = Format(*parsed);
  auto reparsed = fenrir::server::ParseSeriesLabels(printed);
  FUZZ_CHECK(reparsed.ok(), "formatted labels do not re-parse", printed,
             reparsed.status().message());
  FUZZ_CHECK(*reparsed == *parsed, "labels changed through format and re-parse", printed,
             Format(*reparsed));
  return 0;
}
