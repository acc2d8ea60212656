// Label filter stage: string, numeric, duration, bytes and ip() comparisons in and/or trees.
// Loki's rules: only string filters can filter out entries that carry __error__ (the others let
// them through); a numeric/duration/bytes/ip filter on an absent label drops the entry; a value
// that does not convert sets __error__=LabelFilterErr and keeps the entry.
#include <re2/re2.h>

#include "query/log/stage.h"
#include "query/log/stage_convert.h"
#include "query/log/stage_ip.h"
#include "query/log/stage_line_filter.h"

namespace fenrir::query {

namespace {

class Node {
 public:
  virtual ~Node() = default;
  virtual bool Eval(LabelsBuilder* lbs) const = 0;
};
using NodePtr = std::unique_ptr<const Node>;

class ConstNode : public Node {
 public:
  explicit ConstNode(bool v) : v_(v) {}
  bool Eval(LabelsBuilder*) const override { return v_; }

 private:
  bool v_;
};

class BinaryNode : public Node {
 public:
  BinaryNode(NodePtr l, NodePtr r, bool is_and) : l_(std::move(l)), r_(std::move(r)), and_(is_and) {}
  bool Eval(LabelsBuilder* lbs) const override {
    bool lok = l_->Eval(lbs);
    if (!and_ && lok) return true;
    bool rok = r_->Eval(lbs);  // evaluated even when `and` already failed, as Loki does
    return and_ ? (lok && rok) : (lok || rok);
  }

 private:
  NodePtr l_, r_;
  bool and_;
};

std::string_view LabelValue(const std::string& name, const LabelsBuilder* lbs) {
  if (name == kErrorLabel) return lbs->err();
  const std::string* v = lbs->Get(name);
  return v ? std::string_view(*v) : std::string_view();
}

class StringNode : public Node {
 public:
  StringNode(std::string name, CompareOp op, std::string value, std::unique_ptr<RE2> re)
      : name_(std::move(name)), op_(op), value_(std::move(value)), re_(std::move(re)) {}
  bool Eval(LabelsBuilder* lbs) const override {
    std::string_view v = LabelValue(name_, lbs);
    switch (op_) {
      case CompareOp::kNotEq:
        return v != value_;
      case CompareOp::kRegex:
        return RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *re_);
      case CompareOp::kNotRegex:
        return !RE2::FullMatch(re2::StringPiece(v.data(), v.size()), *re_);
      default:
        return v == value_;
    }
  }

 private:
  std::string name_;
  CompareOp op_;
  std::string value_;
  std::unique_ptr<RE2> re_;
};

template <typename T>
bool Compare(CompareOp op, T a, T b, LabelsBuilder* lbs) {
  switch (op) {
    case CompareOp::kEq:
    case CompareOp::kEqEq: return a == b;
    case CompareOp::kNotEq: return a != b;
    case CompareOp::kGt: return a > b;
    case CompareOp::kGte: return a >= b;
    case CompareOp::kLt: return a < b;
    case CompareOp::kLte: return a <= b;
    default:
      lbs->SetErr(kErrLabelFilter);
      return true;
  }
}

enum class Conv { kNumber, kDuration, kBytes };

class ConvertingNode : public Node {
 public:
  ConvertingNode(std::string name, CompareOp op, Conv conv, double number, int64_t duration,
                 uint64_t bytes)
      : name_(std::move(name)), op_(op), conv_(conv), number_(number), duration_(duration),
        bytes_(bytes) {}
  bool Eval(LabelsBuilder* lbs) const override {
    if (lbs->HasErr()) return true;
    const std::string* v = lbs->Get(name_);
    if (v == nullptr) return false;
    std::string err;
    switch (conv_) {
      case Conv::kNumber: {
        double x;
        if (!ParseGoFloat(*v, &x, &err)) return Fail(lbs, err);
        return Compare(op_, x, number_, lbs);
      }
      case Conv::kDuration: {
        int64_t x;
        if (!ParseGoDuration(*v, &x, &err)) return Fail(lbs, err);
        return Compare(op_, x, duration_, lbs);
      }
      case Conv::kBytes: {
        uint64_t x;
        if (!ParseHumanBytes(*v, &x, &err)) return Fail(lbs, err);
        return Compare(op_, x, bytes_, lbs);
      }
    }
    return true;
  }

 private:
  static bool Fail(LabelsBuilder* lbs, const std::string& err) {
    lbs->SetErr(kErrLabelFilter);
    lbs->SetErrDetails(err);
    return true;
  }
  std::string name_;
  CompareOp op_;
  Conv conv_;
  double number_;
  int64_t duration_;
  uint64_t bytes_;
};

class IpNode : public Node {
 public:
  IpNode(std::string name, bool negate, IpMatcher m)
      : name_(std::move(name)), negate_(negate), m_(std::move(m)) {}
  bool Eval(LabelsBuilder* lbs) const override {
    if (lbs->HasErr()) return true;
    const std::string* v = lbs->Get(name_);
    if (v == nullptr) return false;
    return m_.MatchesIn(*v) != negate_;
  }

 private:
  std::string name_;
  bool negate_;
  IpMatcher m_;
};

// A null result means "always true" (Loki's NoopLabelFilter).
Result<NodePtr> BuildNode(const LabelFilter& f) {
  switch (f.kind) {
    case LabelFilter::Kind::kAnd:
    case LabelFilter::Kind::kOr: {
      if (!f.left || !f.right) return Status::Internal("BUG: binary label filter without legs");
      auto l = BuildNode(*f.left);
      if (!l.ok()) return l.status();
      auto r = BuildNode(*f.right);
      if (!r.ok()) return r.status();
      NodePtr ln = *l ? std::move(*l) : std::make_unique<ConstNode>(true);
      NodePtr rn = *r ? std::move(*r) : std::make_unique<ConstNode>(true);
      return NodePtr(std::make_unique<BinaryNode>(std::move(ln), std::move(rn),
                                                  f.kind == LabelFilter::Kind::kAnd));
    }
    case LabelFilter::Kind::kString: {
      std::unique_ptr<RE2> re;
      if (f.op == CompareOp::kRegex || f.op == CompareOp::kNotRegex) {
        std::vector<std::string> lits;
        bool ci, non_empty;
        if (SimplifyRegex(f.text, &lits, &ci, &non_empty) && lits.empty() && !non_empty) {
          if (f.op == CompareOp::kRegex) return NodePtr();  // matches everything: dropped
          return NodePtr(std::make_unique<ConstNode>(false));
        }
        RE2::Options opts;
        opts.set_log_errors(false);
        re = std::make_unique<RE2>(f.text, opts);
        if (!re->ok()) return Status::InvalidArgument("error parsing regexp: " + re->error());
      }
      return NodePtr(std::make_unique<StringNode>(f.name, f.op, f.text, std::move(re)));
    }
    case LabelFilter::Kind::kNumber:
      return NodePtr(std::make_unique<ConvertingNode>(f.name, f.op, Conv::kNumber, f.number, 0, 0));
    case LabelFilter::Kind::kDuration: {
      int64_t ns;
      std::string err;
      if (f.text.empty() || !ParseGoDuration(f.text, &ns, &err)) {
        ns = static_cast<int64_t>(f.number * 1e9);
      }
      return NodePtr(std::make_unique<ConvertingNode>(f.name, f.op, Conv::kDuration, 0, ns, 0));
    }
    case LabelFilter::Kind::kBytes: {
      uint64_t b;
      std::string err;
      if (f.text.empty() || !ParseHumanBytes(f.text, &b, &err)) b = static_cast<uint64_t>(f.number);
      return NodePtr(std::make_unique<ConvertingNode>(f.name, f.op, Conv::kBytes, 0, 0, b));
    }
    case LabelFilter::Kind::kIp: {
      if (f.op != CompareOp::kEq && f.op != CompareOp::kNotEq && f.op != CompareOp::kEqEq) {
        return Status::InvalidArgument("ip: invalid operation");
      }
      auto m = IpMatcher::Make(f.text);
      if (!m.ok()) return m.status();
      return NodePtr(std::make_unique<IpNode>(f.name, f.op == CompareOp::kNotEq, std::move(*m)));
    }
  }
  return Status::Internal("BUG: unknown label filter kind");
}

class LabelFilterRunner : public LineStage {
 public:
  explicit LabelFilterRunner(NodePtr root) : root_(std::move(root)) {}
  bool Process(int64_t, std::string_view*, LabelsBuilder* lbs, std::string*) const override {
    return root_->Eval(lbs);
  }

 private:
  NodePtr root_;
};

}  // namespace

Result<LineStagePtr> BuildLabelFilter(const LabelFilter& f) {
  auto root = BuildNode(f);
  if (!root.ok()) return root.status();
  if (*root == nullptr) return LineStagePtr();
  return LineStagePtr(std::make_unique<LabelFilterRunner>(std::move(*root)));
}

}  // namespace fenrir::query
