// Pipeline stages: parsers, label filters, formatting stages and unwrap.

#include <cstdlib>

#include "query/syntax/parser_internal.h"

namespace fenrir::query::internal {

namespace {

bool IsLineFilterOp(Tok t) {
  return t == Tok::kPipeExact || t == Tok::kNeq || t == Tok::kPipeMatch || t == Tok::kNre ||
         t == Tok::kPipePattern || t == Tok::kNpa;
}

bool StartsLabelFilter(Tok t) { return t == Tok::kIdentifier || t == Tok::kOpenParen; }

}  // namespace

Status Parser::ParseStages(std::vector<Stage>* stages, std::optional<Unwrap>* unwrap) {
  while (true) {
    if (IsLineFilterOp(Cur().kind)) {
      auto f = ParseLineFilter();
      if (!f.ok()) return f.status();
      stages->push_back(std::move(*f));
      continue;
    }
    if (!Is(Tok::kPipe)) return Status::OK();
    Tok next = Ahead(1).kind;
    if (next == Tok::kUnwrap && unwrap == nullptr) {
      Take();
      return Unexpected();
    }
    if (next == Tok::kUnwrap) {
      Take();
      Take();
      Unwrap u;
      switch (Cur().kind) {
        case Tok::kIdentifier: u.label = Take().text; break;
        case Tok::kBytesConv:
        case Tok::kDurationConv:
        case Tok::kDurationSecondsConv: {
          Tok conv = Take().kind;
          u.conversion = conv == Tok::kBytesConv      ? Unwrap::Conversion::kBytes
                         : conv == Tok::kDurationConv ? Unwrap::Conversion::kDuration
                                                      : Unwrap::Conversion::kDurationSeconds;
          FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenParen, {Tok::kOpenParen}));
          if (!Is(Tok::kIdentifier)) return Unexpected({Tok::kIdentifier});
          u.label = Take().text;
          FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen, {Tok::kCloseParen}));
          break;
        }
        default:
          return Unexpected({Tok::kIdentifier, Tok::kBytesConv, Tok::kDurationConv,
                             Tok::kDurationSecondsConv});
      }
      while (Is(Tok::kPipe) && StartsLabelFilter(Ahead(1).kind)) {
        Take();
        auto f = ParseLabelFilter();
        if (!f.ok()) return f.status();
        u.post_filters.push_back(std::move(*f));
      }
      *unwrap = std::move(u);
      return Status::OK();
    }
    Take();  // |
    switch (Cur().kind) {
      case Tok::kJson: {
        Take();
        JsonParser p;
        while (Is(Tok::kIdentifier)) {
          JsonParser::Param param;
          param.name = Take().text;
          param.expression = param.name;
          if (Accept(Tok::kEq)) {
            if (!Is(Tok::kString)) return Unexpected({Tok::kString});
            param.expression = Take().text;
          }
          p.params.push_back(std::move(param));
          if (!Accept(Tok::kComma)) break;
          if (!Is(Tok::kIdentifier)) return Unexpected({Tok::kIdentifier});
        }
        stages->push_back(std::move(p));
        break;
      }
      case Tok::kLogfmt: {
        Take();
        LogfmtParser p;
        while (Is(Tok::kParserFlag)) {
          std::string flag = Take().text;
          if (flag == "--strict") p.strict = true;
          if (flag == "--keep-empty") p.keep_empty = true;
        }
        while (Is(Tok::kIdentifier)) {
          JsonParser::Param param;
          param.name = Take().text;
          param.expression = param.name;
          if (Accept(Tok::kEq)) {
            if (!Is(Tok::kString)) return Unexpected({Tok::kString});
            param.expression = Take().text;
          }
          p.params.push_back(std::move(param));
          if (!Accept(Tok::kComma)) break;
          if (!Is(Tok::kIdentifier)) return Unexpected({Tok::kIdentifier});
        }
        stages->push_back(std::move(p));
        break;
      }
      case Tok::kRegexp: {
        Take();
        if (!Is(Tok::kString)) return Unexpected({Tok::kString});
        RegexpParser p{Take().text};
        FENRIR_RETURN_IF_ERROR(CheckRegexpParser(p.regex));
        stages->push_back(std::move(p));
        break;
      }
      case Tok::kPattern: {
        Take();
        if (!Is(Tok::kString)) return Unexpected({Tok::kString});
        PatternParser p{Take().text};
        FENRIR_RETURN_IF_ERROR(CheckPatternParser(p.pattern));
        stages->push_back(std::move(p));
        break;
      }
      case Tok::kUnpack:
        Take();
        stages->push_back(UnpackParser{});
        break;
      case Tok::kDecolorize:
        Take();
        stages->push_back(Decolorize{});
        break;
      case Tok::kLineFmt: {
        Take();
        if (!Is(Tok::kString)) return Unexpected({Tok::kString});
        stages->push_back(LineFormat{Take().text});
        break;
      }
      case Tok::kLabelFmt: {
        Take();
        LabelFormat lf;
        while (true) {
          if (!Is(Tok::kIdentifier)) return Unexpected({Tok::kIdentifier});
          LabelFormat::Item item;
          item.dst = Take().text;
          FENRIR_RETURN_IF_ERROR(Expect(Tok::kEq, {Tok::kEq}));
          if (Is(Tok::kIdentifier)) {
            item.rename = true;
          } else if (!Is(Tok::kString)) {
            return Unexpected({Tok::kIdentifier, Tok::kString});
          }
          item.value = Take().text;
          lf.items.push_back(std::move(item));
          if (!Accept(Tok::kComma)) break;
        }
        stages->push_back(std::move(lf));
        break;
      }
      case Tok::kDrop:
      case Tok::kKeep: {
        bool drop = Take().kind == Tok::kDrop;
        std::vector<LabelSpec> specs;
        while (true) {
          if (!Is(Tok::kIdentifier)) return Unexpected({Tok::kIdentifier});
          LabelSpec spec;
          Tok op = Ahead(1).kind;
          if (op == Tok::kEq || op == Tok::kNeq || op == Tok::kRe || op == Tok::kNre) {
            auto m = ParseMatcher();
            if (!m.ok()) return m.status();
            spec.name = m->name();
            spec.matcher = std::move(*m);
          } else {
            spec.name = Take().text;
          }
          specs.push_back(std::move(spec));
          if (!Accept(Tok::kComma)) break;
        }
        if (drop) {
          stages->push_back(DropLabels{std::move(specs)});
        } else {
          stages->push_back(KeepLabels{std::move(specs)});
        }
        break;
      }
      case Tok::kIdentifier:
      case Tok::kOpenParen: {
        auto f = ParseLabelFilter();
        if (!f.ok()) return f.status();
        LabelFilterStage st;
        st.filter = std::move(*f);
        stages->push_back(std::move(st));
        break;
      }
      default:
        return Unexpected();
    }
  }
}

namespace {

LabelFilter Combine(LabelFilter::Kind kind, LabelFilter lhs, LabelFilter rhs) {
  LabelFilter f;
  f.kind = kind;
  f.left = std::make_unique<LabelFilter>(std::move(lhs));
  f.right = std::make_unique<LabelFilter>(std::move(rhs));
  return f;
}

bool CompareOpOf(Tok t, CompareOp* op) {
  switch (t) {
    case Tok::kEq: *op = CompareOp::kEq; return true;
    case Tok::kNeq: *op = CompareOp::kNotEq; return true;
    case Tok::kRe: *op = CompareOp::kRegex; return true;
    case Tok::kNre: *op = CompareOp::kNotRegex; return true;
    case Tok::kGt: *op = CompareOp::kGt; return true;
    case Tok::kGte: *op = CompareOp::kGte; return true;
    case Tok::kLt: *op = CompareOp::kLt; return true;
    case Tok::kLte: *op = CompareOp::kLte; return true;
    case Tok::kCmpEq: *op = CompareOp::kEqEq; return true;
    default: return false;
  }
}

}  // namespace

// Reproduces the goyacc grammar's resolution: `and` binds tighter than `or`, both left
// associative; `,` and juxtaposition carry no precedence, so they always shift: their right
// operand is the whole rest of the filter (a , b or c == a and (b or c)).
Result<LabelFilter> Parser::ParseLabelFilter(int min_prec) {
  LabelFilter lhs;
  if (Accept(Tok::kOpenParen)) {
    auto inner = ParseLabelFilter(0);
    if (!inner.ok()) return inner;
    FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen));
    lhs = std::move(*inner);
    lhs.parenthesized = true;
  } else {
    if (!Is(Tok::kIdentifier)) return Unexpected({Tok::kIdentifier, Tok::kOpenParen});
    lhs.name = Take().text;
    if (!CompareOpOf(Cur().kind, &lhs.op)) return Unexpected();
    Take();
    bool string_ok = lhs.op == CompareOp::kEq || lhs.op == CompareOp::kNotEq ||
                     lhs.op == CompareOp::kRegex || lhs.op == CompareOp::kNotRegex;
    bool regex = lhs.op == CompareOp::kRegex || lhs.op == CompareOp::kNotRegex;
    bool ip_ok = lhs.op == CompareOp::kEq || lhs.op == CompareOp::kNotEq;
    if (Is(Tok::kString) && string_ok) {
      lhs.kind = LabelFilter::Kind::kString;
      lhs.text = Take().text;
      if (regex) FENRIR_RETURN_IF_ERROR(CheckLabelFilterRegex(lhs.text));
    } else if (regex) {
      return Unexpected({Tok::kString});
    } else if (Is(Tok::kIp) && ip_ok) {
      Take();
      FENRIR_RETURN_IF_ERROR(Expect(Tok::kOpenParen, {Tok::kOpenParen}));
      if (!Is(Tok::kString)) return Unexpected({Tok::kString});
      lhs.kind = LabelFilter::Kind::kIp;
      lhs.text = Take().text;
      FENRIR_RETURN_IF_ERROR(Expect(Tok::kCloseParen, {Tok::kCloseParen}));
    } else if (Is(Tok::kDuration)) {
      Token t = Take();
      lhs.kind = LabelFilter::Kind::kDuration;
      lhs.text = t.text;
      lhs.number = static_cast<double>(t.duration_ns) / 1e9;
    } else if (Is(Tok::kBytes)) {
      Token t = Take();
      lhs.kind = LabelFilter::Kind::kBytes;
      lhs.text = t.text;
      lhs.number = static_cast<double>(t.bytes);
    } else if (Is(Tok::kNumber) || (Is(Tok::kSub) && Ahead(1).kind == Tok::kNumber)) {
      // A leading minus is an extension: Loki 2.9 has no negative numbers in label filters.
      bool negate = Accept(Tok::kSub);
      Token t = Take();
      double v = 0;
      std::string err;
      if (!ParseFloatToken(t.text, &v, &err)) return ParseError("unable to parse float: " + err);
      lhs.kind = LabelFilter::Kind::kNumber;
      lhs.number = negate ? -v : v;
      lhs.text = (negate ? "-" : "") + t.text;
    } else {
      return Unexpected();
    }
  }
  while (true) {
    if (Is(Tok::kComma) || StartsLabelFilter(Cur().kind)) {
      Accept(Tok::kComma);
      auto rhs = ParseLabelFilter(0);
      if (!rhs.ok()) return rhs;
      lhs = Combine(LabelFilter::Kind::kAnd, std::move(lhs), std::move(*rhs));
      continue;
    }
    int prec = Is(Tok::kOr) ? 1 : Is(Tok::kAnd) ? 2 : 0;
    if (prec == 0 || prec < min_prec) return lhs;
    Take();
    auto rhs = ParseLabelFilter(prec + 1);
    if (!rhs.ok()) return rhs;
    lhs = Combine(prec == 1 ? LabelFilter::Kind::kOr : LabelFilter::Kind::kAnd, std::move(lhs),
                  std::move(*rhs));
  }
}

}  // namespace fenrir::query::internal
