#pragma once
// The LogQL syntax tree: what the user wrote, nothing more (STYLE.md rule 10). It depends on no
// runtime object; the pipeline builder and the evaluator compile it. Print() (printer.h) turns it
// back into LogQL text that re-parses to an equal tree.
//
// Nodes are movable values. Recursive nodes hold children through std::unique_ptr.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <variant>
#include <vector>

#include "storage/labels.h"

namespace fenrir::query {

using storage::Matcher;
using storage::MatchType;

// ---------------------------------------------------------------- log pipeline

enum class LineFilterOp {
  kContains,     // |=
  kNotContains,  // !=
  kRegex,        // |~
  kNotRegex,     // !~
  kPattern,      // |>  (pattern match, Loki 3)
  kNotPattern,   // !>
};

// One line filter: |= "a", |~ `re`, != ip("10.0.0.0/8"), |= "a" or "b".
struct LineFilter {
  LineFilterOp op = LineFilterOp::kContains;
  std::string value;                // the needle, regex, pattern or ip() argument
  bool ip = false;                  // value is the argument of ip("...")
  std::vector<std::string> or_values;  // further alternatives joined with `or` (same op)
};

enum class CompareOp { kEq, kNotEq, kRegex, kNotRegex, kGt, kGte, kLt, kLte, kEqEq };
// kEq is `=` and kEqEq is `==`; they behave alike for numbers but print back as written.

// A label filter expression tree: status >= 500 and (method="GET" or level=~"err.*").
struct LabelFilter {
  enum class Kind {
    kString,    // name (= != =~ !~) "value"
    kNumber,    // name (== = != > >= < <=) 123.5
    kDuration,  // name op 5ms  (value in seconds in `number`, text kept in `text`)
    kBytes,     // name op 20MB (value in bytes in `number`, text kept in `text`)
    kIp,        // name (= !=) ip("...")
    kAnd,       // left and right   (also written `,` or with a space / pipe between filters)
    kOr,        // left or right
  };
  Kind kind = Kind::kString;
  std::string name;
  CompareOp op = CompareOp::kEq;
  std::string text;    // string value, regex, ip argument, or the literal as written
  double number = 0;   // kNumber / kDuration (seconds) / kBytes (bytes)
  std::unique_ptr<LabelFilter> left, right;  // kAnd / kOr
  bool parenthesized = false;  // written in ( ), printed back the same way
};

struct JsonParser {
  // Named extractions `name="expression"`; empty = every field, flattened.
  struct Param {
    std::string name;
    std::string expression;  // e.g. user.id, a["b"], list[0]
  };
  std::vector<Param> params;
};

struct LogfmtParser {
  bool strict = false;      // --strict
  bool keep_empty = false;  // --keep-empty
  std::vector<JsonParser::Param> params;  // name="key"
};

struct RegexpParser {
  std::string regex;  // RE2 with named groups
};

struct PatternParser {
  std::string pattern;  // <name> and <_> captures
};

struct UnpackParser {};

struct LineFormat {
  std::string tmpl;  // Go text/template
};

struct LabelFormat {
  struct Item {
    std::string dst;
    std::string value;  // source label name (rename) or a template
    bool rename = false;  // dst=src (rename) vs dst="template"
  };
  std::vector<Item> items;
};

// drop / keep take label names or matchers (name="value").
struct LabelSpec {
  std::string name;
  std::optional<Matcher> matcher;
};
struct DropLabels {
  std::vector<LabelSpec> labels;
};
struct KeepLabels {
  std::vector<LabelSpec> labels;
};

struct Decolorize {};

struct LabelFilterStage {
  LabelFilter filter;
};

using Stage = std::variant<LineFilter, JsonParser, LogfmtParser, RegexpParser, PatternParser,
                           UnpackParser, LabelFilterStage, LineFormat, LabelFormat, DropLabels,
                           KeepLabels, Decolorize>;

// {matchers} | stage | stage ...
struct LogSelector {
  std::vector<Matcher> matchers;
  std::vector<Stage> stages;
};

// ---------------------------------------------------------------- metric expressions

struct Unwrap {
  enum class Conversion { kNone, kBytes, kDuration, kDurationSeconds };
  std::string label;
  Conversion conversion = Conversion::kNone;
  // Label filters written after `unwrap x` (e.g. | __error__=""), applied after conversion.
  std::vector<LabelFilter> post_filters;
};

// {..} | pipeline [| unwrap x] [range] [offset d]
struct LogRange {
  LogSelector selector;
  std::optional<Unwrap> unwrap;
  int64_t range_ns = 0;
  int64_t offset_ns = 0;
  // Loki accepts `{..}[5m] | json`; true when the range was written before the pipeline.
  bool range_before_pipeline = false;
};

enum class RangeOp {
  kCountOverTime, kRate, kRateCounter, kBytesOverTime, kBytesRate, kAvgOverTime, kSumOverTime,
  kMinOverTime, kMaxOverTime, kStddevOverTime, kStdvarOverTime, kQuantileOverTime,
  kFirstOverTime, kLastOverTime, kAbsentOverTime,
};

struct Grouping {
  bool without = false;
  std::vector<std::string> labels;  // may be empty: `by ()`
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct RangeAggregation {
  RangeOp op = RangeOp::kCountOverTime;
  LogRange range;
  std::optional<double> param;        // quantile_over_time's φ
  std::optional<Grouping> grouping;   // count_over_time(...) by (x)
};

enum class VectorOp { kSum, kAvg, kMin, kMax, kCount, kStddev, kStdvar, kTopK, kBottomK,
                      kSort, kSortDesc };

struct VectorAggregation {
  VectorOp op = VectorOp::kSum;
  ExprPtr inner;
  std::optional<int64_t> param;       // topk / bottomk k
  std::optional<Grouping> grouping;   // written before or after the parentheses
  bool grouping_after = false;        // sum(x) by (a) vs sum by (a) (x): printing only
};

enum class BinaryOp { kOr, kAnd, kUnless, kAdd, kSub, kMul, kDiv, kMod, kPow,
                      kEq, kNotEq, kGt, kGte, kLt, kLte };

struct VectorMatching {
  enum class Card { kOneToOne, kManyToOne /* group_left */, kOneToMany /* group_right */ };
  bool on = false;            // on(...) vs ignoring(...)
  bool specified = false;     // on/ignoring written at all
  std::vector<std::string> labels;
  Card card = Card::kOneToOne;
  std::vector<std::string> include;  // group_left(include...)
};

struct BinaryExpr {
  BinaryOp op = BinaryOp::kAdd;
  bool return_bool = false;  // `> bool`
  VectorMatching matching;
  ExprPtr lhs, rhs;
};

struct LiteralExpr {
  double value = 0;
};

struct VectorExpr {  // vector(1)
  double value = 0;
};

struct LabelReplaceExpr {
  ExprPtr inner;
  std::string dst, replacement, src, regex;
};

struct Expr {
  std::variant<LogSelector, RangeAggregation, VectorAggregation, BinaryExpr, LiteralExpr,
               VectorExpr, LabelReplaceExpr>
      node;
  bool parenthesized = false;  // written in ( )

  bool IsLogQuery() const { return std::holds_alternative<LogSelector>(node); }
};

// LogQL spellings: "count_over_time", "topk", "/", "group_left" ...
std::string_view Name(RangeOp op);
std::string_view Name(VectorOp op);
std::string_view Name(BinaryOp op);
std::string_view Name(CompareOp op);
std::string_view Name(LineFilterOp op);

}  // namespace fenrir::query
