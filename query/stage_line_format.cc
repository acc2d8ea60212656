// line_format and label_format need the template engine (query/template.h), which is merged
// separately; until then pipelines using them are rejected.
#include "query/stage.h"

namespace fenrir::query {

Result<LineStagePtr> BuildLineFormat(const LineFormat&) {
  return Status::InvalidArgument("line_format is unavailable in this build");
}
Result<LineStagePtr> BuildLabelFormat(const LabelFormat&) {
  return Status::InvalidArgument("label_format is unavailable in this build");
}

}  // namespace fenrir::query
