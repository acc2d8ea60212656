// The line filter stage: |= != |~ !~ |> !> with ip() and `or` alternatives.
#include "query/log/stage_line_filter.h"

#include "query/log/stage.h"
#include "query/log/stage_ip.h"
#include "query/log/stage_pattern.h"

namespace fenrir::query {

namespace {

class IpLineMatcher : public LineMatcher {
 public:
  explicit IpLineMatcher(IpMatcher m) : m_(std::move(m)) {}
  bool Matches(std::string_view line) const override { return m_.MatchesIn(line); }

 private:
  IpMatcher m_;
};

class PatternLineMatcher : public LineMatcher {
 public:
  explicit PatternLineMatcher(PatternMatcher m) : m_(std::move(m)) {}
  bool Matches(std::string_view line) const override { return m_.Test(line); }

 private:
  PatternMatcher m_;
};

// Positive filters keep a line when one alternative matches; negative ones when none does
// (not(a or b) = not a and not b, as Loki rewrites it).
class LineFilterStage : public LineStage {
 public:
  LineFilterStage(std::vector<std::unique_ptr<LineMatcher>> alts, bool negate)
      : alts_(std::move(alts)), negate_(negate) {}
  bool Process(int64_t, std::string_view* line, LabelsBuilder*, std::string*) const override {
    for (const auto& m : alts_) {
      if (m->Matches(*line)) return !negate_;
    }
    return negate_;
  }

 private:
  std::vector<std::unique_ptr<LineMatcher>> alts_;
  bool negate_;
};

Result<std::unique_ptr<LineMatcher>> MakeOne(const LineFilter& f, const std::string& value) {
  if (f.ip) {
    if (f.op != LineFilterOp::kContains && f.op != LineFilterOp::kNotContains) {
      return Status::InvalidArgument("ip: invalid operation");
    }
    auto m = IpMatcher::Make(value);
    if (!m.ok()) return m.status();
    return std::unique_ptr<LineMatcher>(std::make_unique<IpLineMatcher>(std::move(*m)));
  }
  switch (f.op) {
    case LineFilterOp::kContains:
    case LineFilterOp::kNotContains:
      return MakeContainsMatcher(value, false);
    case LineFilterOp::kRegex:
    case LineFilterOp::kNotRegex:
      return MakeRegexMatcher(value);
    case LineFilterOp::kPattern:
    case LineFilterOp::kNotPattern: {
      auto m = PatternMatcher::Make(value, /*for_filter=*/true);
      if (!m.ok()) return m.status();
      return std::unique_ptr<LineMatcher>(std::make_unique<PatternLineMatcher>(std::move(*m)));
    }
  }
  return Status::Internal("BUG: unknown line filter op");
}

}  // namespace

Result<LineStagePtr> BuildLineFilter(const LineFilter& f) {
  std::vector<std::unique_ptr<LineMatcher>> alts;
  auto first = MakeOne(f, f.value);
  if (!first.ok()) return first.status();
  alts.push_back(std::move(*first));
  for (const auto& v : f.or_values) {
    auto m = MakeOne(f, v);
    if (!m.ok()) return m.status();
    alts.push_back(std::move(*m));
  }
  bool negate = f.op == LineFilterOp::kNotContains || f.op == LineFilterOp::kNotRegex ||
                f.op == LineFilterOp::kNotPattern;
  return LineStagePtr(std::make_unique<LineFilterStage>(std::move(alts), negate));
}

}  // namespace fenrir::query
