// Fuzzes the Go text/template engine of line_format / label_format: any text must parse or fail
// with InvalidArgument, and a parsed template must execute on fixed entry data (labels, line,
// timestamp) to a value or an execution error, never crash, hang or blow up memory.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "query/template/template.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using LabelMap = std::map<std::string, std::string, std::less<>>;

const LabelMap& Labels() {
  static const LabelMap labels = {
      {"app", "video-meta-app"}, {"status", "503"},        {"duration_ms", "12.5"},
      {"msg", "GET /api/v1"},     {"empty", ""},           {"ts", "2026-11-01T00:00:00Z"},
      {"n", "-42"},               {"utf8", "日本語 \x1b[31m"}, {"big", "1e308"},
  };
  return labels;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 2048) return -1;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto tmpl = fenrir::query::Template::Parse(text);
  if (!tmpl.ok()) {
    FUZZ_CHECK(tmpl.status().code() == fenrir::StatusCode::kInvalidArgument,
               "template parse error is not InvalidArgument", tmpl.status().message(), text);
    return 0;
  }
  fenrir::query::TemplateData d;
  d.lookup = [](std::string_view name) -> const std::string* {
    auto it = Labels().find(name);
    return it == Labels().end() ? nullptr : &it->second;
  };
  d.each = [](const std::function<void(std::string_view, std::string_view)>& f) {
    for (const auto& [k, v] : Labels()) f(k, v);
  };
  d.line = R"(level=error msg="request failed" status=503 {"json":[1,2,{"k":"v"}]})";
  d.timestamp_ns = 1'793'491'200'123'456'789;
  auto out = tmpl->Execute(d);
  (void)out;
  // Executing twice must give the same result (templates are immutable after Parse), unless the
  // template reads the clock: `now`, and `date` of anything but a time or a number (sprig
  // formats the current time then; found by a long run, e.g. `.__timestamp__ | date ".000"`,
  // a label lookup, not the function).
  if (text.find("now") != std::string_view::npos) return 0;
  if (text.find("date") != std::string_view::npos) return 0;
  auto again = tmpl->Execute(d);
  FUZZ_CHECK(out.ok() == again.ok() && (!out.ok() || *out == *again),
             "template execution is not deterministic", out.ok() ? *out : out.status().message(),
             again.ok() ? *again : again.status().message());
  return 0;
}
