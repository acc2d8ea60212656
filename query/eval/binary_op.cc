#include "query/eval/binary_op.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fenrir::query {
namespace {

using storage::Labels;

// The part of a metric two samples must share to match.
Labels Signature(const VectorMatching& m, const Labels& metric) {
  if (!m.specified) return metric;
  std::vector<storage::Label> out;
  for (const auto& l : metric) {
    bool listed = std::find(m.labels.begin(), m.labels.end(), l.name) != m.labels.end();
    if (listed == m.on) out.push_back(l);
  }
  return Labels(std::move(out));
}

Labels ResultMetric(const VectorMatching& m, const Labels& lhs, const Labels& rhs) {
  std::vector<storage::Label> out;
  for (const auto& l : lhs) {
    if (m.card == VectorMatching::Card::kOneToOne && m.specified) {
      bool listed = std::find(m.labels.begin(), m.labels.end(), l.name) != m.labels.end();
      if (listed != m.on) continue;
    }
    out.push_back(l);
  }
  for (const auto& name : m.include) {
    std::erase_if(out, [&name](const storage::Label& l) { return l.name == name; });
    const std::string* v = rhs.Get(name);
    if (v != nullptr && !v->empty()) out.push_back({name, *v});
  }
  return Labels(std::move(out));
}

Vector SetOperation(const BinaryExpr& expr, const Vector& lhs, const Vector& rhs) {
  const VectorMatching& m = expr.matching;
  auto sigs = [&m](const Vector& v) {
    std::set<Labels> s;
    for (const auto& x : v) s.insert(Signature(m, x.metric));
    return s;
  };
  Vector out;
  switch (expr.op) {
    case BinaryOp::kAnd: {
      if (lhs.empty() || rhs.empty()) return out;
      auto right = sigs(rhs);
      for (const auto& s : lhs) {
        if (right.count(Signature(m, s.metric))) out.push_back(s);
      }
      return out;
    }
    case BinaryOp::kOr: {
      if (lhs.empty()) return rhs;
      if (rhs.empty()) return lhs;
      auto left = sigs(lhs);
      out = lhs;
      for (const auto& s : rhs) {
        if (!left.count(Signature(m, s.metric))) out.push_back(s);
      }
      return out;
    }
    default: {  // unless
      if (lhs.empty() || rhs.empty()) return lhs;
      auto right = sigs(rhs);
      for (const auto& s : lhs) {
        if (!right.count(Signature(m, s.metric))) out.push_back(s);
      }
      return out;
    }
  }
}

}  // namespace

bool IsComparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq: case BinaryOp::kNotEq: case BinaryOp::kGt:
    case BinaryOp::kGte: case BinaryOp::kLt: case BinaryOp::kLte:
      return true;
    default:
      return false;
  }
}

bool IsSetOperator(BinaryOp op) {
  return op == BinaryOp::kAnd || op == BinaryOp::kOr || op == BinaryOp::kUnless;
}

std::optional<double> MergeValues(BinaryOp op, double l, double r, bool filter) {
  bool cond = false;
  switch (op) {
    case BinaryOp::kAdd: return l + r;
    case BinaryOp::kSub: return l - r;
    case BinaryOp::kMul: return l * r;
    case BinaryOp::kDiv: return r == 0 ? NAN : l / r;
    case BinaryOp::kMod: return r == 0 ? NAN : std::fmod(l, r);
    case BinaryOp::kPow: return std::pow(l, r);
    case BinaryOp::kEq: cond = l == r; break;
    case BinaryOp::kNotEq: cond = l != r; break;
    case BinaryOp::kGt: cond = l > r; break;
    case BinaryOp::kGte: cond = l >= r; break;
    case BinaryOp::kLt: cond = l < r; break;
    case BinaryOp::kLte: cond = l <= r; break;
    default: return std::nullopt;
  }
  if (!cond) return filter ? std::nullopt : std::optional<double>(0);
  return filter ? l : 1;
}

double ScalarBinary(BinaryOp op, double left, double right) {
  return MergeValues(op, left, right, false).value_or(NAN);
}

Vector LiteralBinary(BinaryOp op, bool return_bool, double literal, bool literal_left,
                     const Vector& v) {
  Vector out;
  out.reserve(v.size());
  for (const auto& s : v) {
    double l = literal_left ? literal : s.value;
    double r = literal_left ? s.value : literal;
    auto merged = MergeValues(op, l, r, !return_bool);
    if (merged) out.push_back(Sample{s.metric, *merged});
  }
  return out;
}

Result<Vector> VectorBinary(const BinaryExpr& expr, const Vector& lhs_in, const Vector& rhs_in) {
  if (IsSetOperator(expr.op)) return SetOperation(expr, lhs_in, rhs_in);
  const VectorMatching& m = expr.matching;
  const bool one_to_many = m.card == VectorMatching::Card::kOneToMany;
  const Vector& lhs = one_to_many ? rhs_in : lhs_in;
  const Vector& rhs = one_to_many ? lhs_in : rhs_in;

  std::map<Labels, const Sample*> right;
  for (const auto& s : rhs) {
    if (!right.emplace(Signature(m, s.metric), &s).second) {
      return Status::InvalidArgument(
          std::string("found duplicate series on the ") + (one_to_many ? "left" : "right") +
          " hand-side;many-to-many matching not allowed: matching labels must be unique on one "
          "side");
    }
  }
  std::map<Labels, std::set<Labels>> matched;
  Vector out;
  for (const auto& ls : lhs) {
    Labels sig = Signature(m, ls.metric);
    auto found = right.find(sig);
    if (found == right.end()) continue;
    const Sample* rs = found->second;
    Labels metric = ResultMetric(m, ls.metric, rs->metric);
    auto [it, fresh] = matched.try_emplace(std::move(sig));
    if (m.card == VectorMatching::Card::kOneToOne) {
      if (!fresh) {
        return Status::InvalidArgument(
            "multiple matches for labels: many-to-one matching must be explicit "
            "(group_left/group_right)");
      }
    } else if (!it->second.insert(metric).second) {
      return Status::InvalidArgument(
          "multiple matches for labels: grouping labels must ensure unique matches");
    }
    double l = one_to_many ? rs->value : ls.value;
    double r = one_to_many ? ls.value : rs->value;
    auto merged = MergeValues(expr.op, l, r, !expr.return_bool);
    if (merged) out.push_back(Sample{std::move(metric), *merged});
  }
  return out;
}

namespace {

class BinaryEvaluator : public StepEvaluator {
 public:
  BinaryEvaluator(const BinaryExpr& expr, std::unique_ptr<StepEvaluator> lhs,
                  std::unique_ptr<StepEvaluator> rhs, MemoryBudget* budget)
      : expr_(expr), lhs_(std::move(lhs)), rhs_(std::move(rhs)), gauge_(budget) {}

  bool Next(int64_t* ts_ms, Vector* out) override {
    out->clear();
    int64_t rts = 0;
    if (!rhs_->Next(&rts, &r_) || !lhs_->Next(ts_ms, &l_)) return false;
    auto v = VectorBinary(expr_, l_, r_);
    if (!v.ok()) {
      status_ = v.status();
      return false;
    }
    *out = std::move(*v);
    // The right side's signature table, the left side's matches and the output.
    status_ = gauge_.Set(VectorBytes(r_) + 2 * VectorBytes(*out));
    return status_.ok();
  }
  Status status() const override {
    if (!status_.ok()) return status_;
    Status l = lhs_->status();
    return l.ok() ? rhs_->status() : l;
  }

 private:
  const BinaryExpr& expr_;
  std::unique_ptr<StepEvaluator> lhs_, rhs_;
  Vector l_, r_;
  MemoryGauge gauge_;
  Status status_;
};

class LiteralBinaryEvaluator : public StepEvaluator {
 public:
  LiteralBinaryEvaluator(const BinaryExpr& expr, double literal, bool literal_left,
                         std::unique_ptr<StepEvaluator> other, MemoryBudget* budget)
      : expr_(expr), literal_(literal), literal_left_(literal_left), other_(std::move(other)),
        gauge_(budget) {}

  bool Next(int64_t* ts_ms, Vector* out) override {
    if (!other_->Next(ts_ms, &in_)) {
      out->clear();
      return false;
    }
    *out = LiteralBinary(expr_.op, expr_.return_bool, literal_, literal_left_, in_);
    status_ = gauge_.Set(VectorBytes(*out));
    return status_.ok();
  }
  Status status() const override { return status_.ok() ? other_->status() : status_; }

 private:
  const BinaryExpr& expr_;
  double literal_;
  bool literal_left_;
  std::unique_ptr<StepEvaluator> other_;
  Vector in_;
  MemoryGauge gauge_;
  Status status_;
};

}  // namespace

std::unique_ptr<StepEvaluator> NewBinaryEvaluator(const BinaryExpr& expr,
                                                  std::unique_ptr<StepEvaluator> lhs,
                                                  std::unique_ptr<StepEvaluator> rhs,
                                                  MemoryBudget* budget) {
  return std::make_unique<BinaryEvaluator>(expr, std::move(lhs), std::move(rhs), budget);
}

std::unique_ptr<StepEvaluator> NewLiteralBinaryEvaluator(const BinaryExpr& expr, double literal,
                                                         bool literal_left,
                                                         std::unique_ptr<StepEvaluator> other,
                                                         MemoryBudget* budget) {
  return std::make_unique<LiteralBinaryEvaluator>(expr, literal, literal_left, std::move(other),
                                                  budget);
}

}  // namespace fenrir::query
