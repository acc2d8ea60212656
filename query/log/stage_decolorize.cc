// decolorize: strips ANSI escape sequences with the pattern Loki uses (from acarl005/stripansi).
#include <re2/re2.h>

#include <cstring>

#include "query/log/stage.h"

namespace fenrir::query {

namespace {

constexpr const char* kAnsiPattern =
    "[\\x{1B}\\x{9B}][[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\\x{07})|"
    "(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))";

class DecolorizeStage : public LineStage {
 public:
  DecolorizeStage() : re_(kAnsiPattern, Options()) {}
  bool Process(int64_t, std::string_view* line, LabelsBuilder*, std::string* scratch) const override {
    // Sequences start with ESC or U+009B (C2 9B in UTF-8); most lines have neither.
    if (std::memchr(line->data(), 0x1B, line->size()) == nullptr &&
        std::memchr(line->data(), 0xC2, line->size()) == nullptr) {
      return true;
    }
    scratch->assign(line->data(), line->size());
    RE2::GlobalReplace(scratch, re_, "");
    *line = *scratch;
    return true;
  }

 private:
  static RE2::Options Options() {
    RE2::Options o;
    o.set_log_errors(false);
    return o;
  }
  RE2 re_;
};

}  // namespace

LineStagePtr BuildDecolorize() { return std::make_unique<DecolorizeStage>(); }

}  // namespace fenrir::query
