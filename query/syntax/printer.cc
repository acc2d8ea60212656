// The syntax tree back to LogQL text, in the shape of Loki's String() methods: binary operations
// fully parenthesized, label-filter conjunctions as `( a , b )`, groupings before the arguments,
// the range after the pipeline.

#include <charconv>
#include <cmath>
#include <cstdio>

#include "base/go_duration.h"
#include "base/go_quote.h"
#include "base/prom_duration.h"
#include "query/syntax/parser.h"

namespace fenrir::query {

namespace {

// Go strconv.FormatFloat(v, 'f', -1, 64).
std::string FormatFloatF(double v) {
  // Go writes -0, which LogQL lexes as the duration 0 (`| x > -0` is `| x > 0s`); -0.0 lexes
  // as minus and the number 0.0 and parses back to -0.
  if (v == 0 && std::signbit(v)) return "-0.0";
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[512];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::fixed);
  return std::string(buf, res.ptr);
}

// Go fmt.Sprint(float64), i.e. strconv 'g' with the shortest digits: exponent form when the
// decimal exponent is < -4 or >= 6 (1e+06, 1.5e-05).
std::string FormatFloatV(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  int exp = std::stoi(sci.substr(sci.find('e') + 1));
  constexpr int eprec = 6;
  if (exp < -4 || exp >= eprec) return sci;
  return FormatFloatF(v);
}

// A literal as LogQL text that parses back to the same value. Loki prints fmt.Sprint(v), but
// folding `1/0` (NaN, as in Loki), `1e308*10` or `0*-1` yields NaN, ±Inf or -0, whose Sprint forms (`+Inf`, `NaN`, `-0`,
// the last lexing as a duration) do not parse; those print as an expression that folds back to
// them (and -0 prints as -0.0, see FormatFloatF).
std::string FormatLiteral(double v) {
  if (std::isnan(v)) return "(0 / 0)";
  if (std::isinf(v)) return v > 0 ? "(1e308 * 10)" : "(-1e308 * 10)";
  return FormatFloatV(v);
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

std::string PrintGrouping(const Grouping& g) {
  return std::string(g.without ? " without (" : " by (") + Join(g.labels, ",") + ")";
}

// A label name followed directly by an operator. Loki lexes a stray `!` as an identifier, so
// `json !` names a label "!"; printed as `!="!"` it would lex as `!=`: keep a space after it.
std::string NameBeforeOp(const std::string& name) {
  return !name.empty() && name.back() == '!' ? name + " " : name;
}

std::string PrintParams(const std::vector<JsonParser::Param>& params) {
  std::vector<std::string> parts;
  for (const auto& p : params) {
    parts.push_back(NameBeforeOp(p.name) + "=" + GoQuote(p.expression));
  }
  return Join(parts, ",");
}

std::string PrintLabelSpecs(const std::vector<LabelSpec>& specs) {
  std::vector<std::string> parts;
  for (const auto& s : specs) parts.push_back(s.matcher ? s.matcher->ToString() : s.name);
  return Join(parts, ",");
}

struct StagePrinter {
  std::string operator()(const LineFilter& f) const {
    std::string out(Name(f.op));
    out += ' ';
    out += f.ip ? "ip(" + GoQuote(f.value) + ")" : GoQuote(f.value);
    for (const auto& alt : f.or_values) out += " or " + GoQuote(alt);
    return out;
  }
  std::string operator()(const JsonParser& p) const {
    return p.params.empty() ? "| json" : "| json " + PrintParams(p.params);
  }
  std::string operator()(const LogfmtParser& p) const {
    std::string out = "| logfmt";
    if (p.strict) out += " --strict";
    if (p.keep_empty) out += " --keep-empty";
    if (!p.params.empty()) out += " " + PrintParams(p.params);
    return out;
  }
  std::string operator()(const RegexpParser& p) const { return "| regexp " + GoQuote(p.regex); }
  std::string operator()(const PatternParser& p) const {
    return "| pattern " + GoQuote(p.pattern);
  }
  std::string operator()(const UnpackParser&) const { return "| unpack"; }
  std::string operator()(const LabelFilterStage& s) const { return "| " + Print(s.filter); }
  std::string operator()(const LineFormat& f) const { return "| line_format " + GoQuote(f.tmpl); }
  std::string operator()(const LabelFormat& f) const {
    std::vector<std::string> parts;
    for (const auto& item : f.items) {
      parts.push_back(NameBeforeOp(item.dst) + "=" +
                      (item.rename ? item.value : GoQuote(item.value)));
    }
    return "| label_format " + Join(parts, ",");
  }
  std::string operator()(const DropLabels& d) const { return "| drop " + PrintLabelSpecs(d.labels); }
  std::string operator()(const KeepLabels& k) const { return "| keep " + PrintLabelSpecs(k.labels); }
  std::string operator()(const Decolorize&) const { return "| decolorize"; }
};

std::string PrintUnwrap(const Unwrap& u) {
  std::string out = " | unwrap ";
  switch (u.conversion) {
    case Unwrap::Conversion::kNone: out += u.label; break;
    case Unwrap::Conversion::kBytes: out += "bytes(" + u.label + ")"; break;
    case Unwrap::Conversion::kDuration: out += "duration(" + u.label + ")"; break;
    case Unwrap::Conversion::kDurationSeconds: out += "duration_seconds(" + u.label + ")"; break;
  }
  for (const auto& f : u.post_filters) out += " | " + Print(f);
  return out;
}

std::string PrintLogRange(const LogRange& r) {
  std::string out = Print(r.selector);
  if (r.unwrap) out += PrintUnwrap(*r.unwrap);
  out += "[" + FormatPromDuration(r.range_ns) + "]";
  if (r.offset_ns != 0) out += " offset " + FormatGoDuration(r.offset_ns);
  return out;
}

std::string PrintMatching(const BinaryExpr& b) {
  std::string out(Name(b.op));
  if (b.return_bool) out += " bool";
  const VectorMatching& m = b.matching;
  if (!m.specified) return out;
  out += m.on ? " on (" : " ignoring (";
  out += Join(m.labels, ",") + ")";
  if (m.card == VectorMatching::Card::kManyToOne) out += " group_left";
  if (m.card == VectorMatching::Card::kOneToMany) out += " group_right";
  if (m.card != VectorMatching::Card::kOneToOne && !m.include.empty()) {
    out += " (" + Join(m.include, ",") + ")";
  }
  return out;
}

struct ExprPrinter {
  std::string operator()(const LogSelector& s) const { return Print(s); }
  std::string operator()(const RangeAggregation& a) const {
    std::string out(Name(a.op));
    out += "(";
    if (a.param) out += FormatFloatF(*a.param) + ",";
    out += PrintLogRange(a.range) + ")";
    if (a.grouping) out += PrintGrouping(*a.grouping);
    return out;
  }
  std::string operator()(const VectorAggregation& a) const {
    std::string out(Name(a.op));
    if (a.grouping) out += PrintGrouping(*a.grouping);
    out += "(";
    if (a.param) out += std::to_string(*a.param) + ",";
    return out + Print(*a.inner) + ")";
  }
  std::string operator()(const BinaryExpr& b) const {
    return "(" + Print(*b.lhs) + " " + PrintMatching(b) + " " + Print(*b.rhs) + ")";
  }
  std::string operator()(const LiteralExpr& l) const { return FormatLiteral(l.value); }
  std::string operator()(const VectorExpr& v) const {
    char buf[400];
    std::snprintf(buf, sizeof(buf), "vector(%f)", v.value);
    return buf;
  }
  std::string operator()(const LabelReplaceExpr& l) const {
    return "label_replace(" + Print(*l.inner) + "," + GoQuote(l.dst) + "," +
           GoQuote(l.replacement) + "," + GoQuote(l.src) + "," + GoQuote(l.regex) + ")";
  }
};

}  // namespace

std::string Print(const Expr& expr) { return std::visit(ExprPrinter{}, expr.node); }

std::string Print(const LogSelector& selector) {
  std::vector<std::string> ms;
  for (const auto& m : selector.matchers) ms.push_back(m.ToString());
  std::string out = "{" + Join(ms, ", ") + "}";
  for (const auto& st : selector.stages) out += " " + std::visit(StagePrinter{}, st);
  return out;
}

std::string Print(const LabelFilter& f) {
  using K = LabelFilter::Kind;
  if (f.kind == K::kAnd || f.kind == K::kOr) {
    return "( " + Print(*f.left) + (f.kind == K::kAnd ? " , " : " or ") + Print(*f.right) + " )";
  }
  std::string lhs = NameBeforeOp(f.name) + std::string(Name(f.op));
  switch (f.kind) {
    case K::kAnd:
    case K::kOr: break;
    case K::kString: return lhs + GoQuote(f.text);
    case K::kNumber: return lhs + FormatFloatF(f.number);
    case K::kDuration: return lhs + FormatGoDuration(std::llround(f.number * 1e9));
    case K::kBytes:
      if (!f.text.empty()) return lhs + f.text;
      return lhs + std::to_string(static_cast<uint64_t>(f.number)) + "B";
    case K::kIp: return lhs + "ip(" + GoQuote(f.text) + ")";
  }
  return "";
}

}  // namespace fenrir::query
