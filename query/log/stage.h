#pragma once
// The runtime form of one pipeline stage (STYLE.md rule 10): compiled once from the AST by the
// pipeline builder, then run per entry. A LineStage is immutable and thread-safe; all per-entry
// state lives in the LabelsBuilder and the scratch string that the stream pipeline owns for it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/syntax/ast.h"
#include "query/log/labels_builder.h"
#include "base/label_name.h"  // IsValidLabelName, which the parser stages check names with
#include "base/status.h"

namespace fenrir::query {

class LineStage {
 public:
  virtual ~LineStage() = default;
  // Runs the stage on one entry. A stage that rewrites the line writes the new line into
  // `*scratch` (owned by the caller, one per stage, reused across entries) and points `*line` at
  // it. Returns false when the entry is filtered out.
  virtual bool Process(int64_t ts, std::string_view* line, LabelsBuilder* lbs,
                       std::string* scratch) const = 0;
};

using LineStagePtr = std::unique_ptr<const LineStage>;

// One builder per stage family (stage_*.cc). Errors are Loki's build errors (InvalidArgument).
Result<LineStagePtr> BuildLineFilter(const LineFilter& f);
Result<LineStagePtr> BuildJsonParser(const JsonParser& p);
Result<LineStagePtr> BuildLogfmtParser(const LogfmtParser& p);
Result<LineStagePtr> BuildRegexpParser(const RegexpParser& p);
Result<LineStagePtr> BuildPatternParser(const PatternParser& p);
LineStagePtr BuildUnpackParser();
// Returns a null pointer (and OK) for filters that keep every line, which Loki drops.
Result<LineStagePtr> BuildLabelFilter(const LabelFilter& f);
Result<LineStagePtr> BuildLineFormat(const LineFormat& f);
Result<LineStagePtr> BuildLabelFormat(const LabelFormat& f);
LineStagePtr BuildDropLabels(const DropLabels& d);
LineStagePtr BuildKeepLabels(const KeepLabels& k);
LineStagePtr BuildDecolorize();

// Compiles a pipeline's stages in Loki's order: line filters are moved ahead of the other stages,
// but never past a line_format or an unpack (which rewrite the line). Null stages are left out.
Result<std::vector<LineStagePtr>> BuildStages(const std::vector<Stage>& stages);

// The literals every line kept by `stages` must contain: needles of |= filters (without `or`
// alternatives or ip()) that come before the first stage rewriting the line.
std::vector<std::string> RequiredLiteralsOf(const std::vector<Stage>& stages);

// Loki's sanitizeLabelKey: trims spaces, prefixes a leading digit with '_' (when `is_prefix`),
// and replaces every character outside [a-zA-Z0-9_] with '_'.
std::string SanitizeLabelKey(std::string_view key, bool is_prefix);
// Appends the sanitized `key` to `to` (Loki's appendSanitized for nested JSON keys).
void AppendSanitized(std::string* to, std::string_view key);

}  // namespace fenrir::query
