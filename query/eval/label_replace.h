#pragma once
// label_replace(v, "dst", "replacement", "src", "regex"): where the anchored regex matches the
// value of src, dst is set to the replacement with $1 / ${name} expanded (an empty result
// removes dst); samples that do not match pass unchanged.

#include <memory>
#include <string>

#include "query/syntax/ast.h"
#include "query/eval/step_evaluator.h"
#include "query/eval/value_types.h"
#include "base/status.h"

namespace re2 {
class RE2;
}

namespace fenrir::query {

// Immutable once built; thread-safe.
class LabelReplacer {
 public:
  // InvalidArgument when the regex does not compile.
  static Result<std::shared_ptr<const LabelReplacer>> Make(const LabelReplaceExpr& expr);
  ~LabelReplacer();

  storage::Labels Apply(const storage::Labels& metric) const;

 private:
  LabelReplacer() = default;
  std::unique_ptr<re2::RE2> re_;
  std::string dst_, replacement_, src_;
};

// Expands $1, ${1}, $name, ${name} and $$ in `tmpl` as Go's Regexp.Expand does: a name is the
// longest run of letters, digits and '_'; unknown groups expand to nothing.
std::string ExpandTemplate(const re2::RE2& re, std::string_view tmpl,
                           const std::vector<std::string_view>& groups);

std::unique_ptr<StepEvaluator> NewLabelReplaceEvaluator(
    std::shared_ptr<const LabelReplacer> replacer, std::unique_ptr<StepEvaluator> inner);

}  // namespace fenrir::query
