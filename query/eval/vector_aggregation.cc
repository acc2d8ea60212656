#include "query/eval/vector_aggregation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace fenrir::query {
namespace {

struct Group {
  double value = 0;
  double mean = 0;
  int64_t count = 0;
  std::vector<const Sample*> members;  // topk, bottomk, sort, sort_desc
};

bool KeepsMembers(VectorOp op) {
  return op == VectorOp::kTopK || op == VectorOp::kBottomK || op == VectorOp::kSort ||
         op == VectorOp::kSortDesc;
}

void Accumulate(VectorOp op, double v, Group* g) {
  if (g->count == 0) {
    g->count = 1;
    g->value = (op == VectorOp::kStddev || op == VectorOp::kStdvar) ? 0 : v;
    g->mean = v;
    return;
  }
  switch (op) {
    case VectorOp::kSum:
      g->value += v;
      break;
    case VectorOp::kAvg:
      g->count++;
      g->mean += (v - g->mean) / static_cast<double>(g->count);
      break;
    case VectorOp::kMax:
      if (g->value < v || std::isnan(g->value)) g->value = v;
      break;
    case VectorOp::kMin:
      if (g->value > v || std::isnan(g->value)) g->value = v;
      break;
    case VectorOp::kCount:
      g->count++;
      break;
    case VectorOp::kStddev:
    case VectorOp::kStdvar: {
      g->count++;
      double delta = v - g->mean;
      g->mean += delta / static_cast<double>(g->count);
      g->value += delta * (v - g->mean);
      break;
    }
    default:
      break;
  }
}

double Final(VectorOp op, const Group& g) {
  switch (op) {
    case VectorOp::kAvg: return g.mean;
    case VectorOp::kCount: return static_cast<double>(g.count);
    case VectorOp::kStddev: return std::sqrt(g.value / static_cast<double>(g.count));
    case VectorOp::kStdvar: return g.value / static_cast<double>(g.count);
    default: return g.value;
  }
}

// Orders a group's members as Loki lists them; NaN last.
void OrderMembers(bool descending, std::vector<const Sample*>* members) {
  std::stable_sort(members->begin(), members->end(), [descending](const Sample* a,
                                                                  const Sample* b) {
    if (std::isnan(a->value) || std::isnan(b->value)) {
      return !std::isnan(a->value) && std::isnan(b->value);
    }
    return descending ? a->value > b->value : a->value < b->value;
  });
}

class VectorAggregationEvaluator : public StepEvaluator {
 public:
  VectorAggregationEvaluator(VectorAggregationSpec spec, std::unique_ptr<StepEvaluator> inner,
                             MemoryBudget* budget)
      : spec_(std::move(spec)), inner_(std::move(inner)), gauge_(budget) {}

  bool Next(int64_t* ts_ms, Vector* out) override {
    if (!inner_->Next(ts_ms, &in_)) {
      out->clear();
      return false;
    }
    *out = AggregateVector(spec_, in_);
    // The step's groups (keyed by labels) and the output that copies them.
    status_ = gauge_.Set(2 * VectorBytes(*out));
    return status_.ok();
  }
  Status status() const override { return status_.ok() ? inner_->status() : status_; }

 private:
  VectorAggregationSpec spec_;
  std::unique_ptr<StepEvaluator> inner_;
  Vector in_;
  MemoryGauge gauge_;
  Status status_;
};

}  // namespace

storage::Labels GroupLabels(const Grouping& grouping, const storage::Labels& metric) {
  std::vector<storage::Label> out;
  const auto& names = grouping.labels;
  for (const auto& l : metric) {
    bool listed = std::find(names.begin(), names.end(), l.name) != names.end();
    if (grouping.without ? (!listed && l.name != "__name__") : listed) out.push_back(l);
  }
  return storage::Labels(std::move(out));
}

Vector AggregateVector(const VectorAggregationSpec& spec, const Vector& in) {
  Vector out;
  const VectorOp op = spec.op;
  if ((op == VectorOp::kTopK || op == VectorOp::kBottomK) && spec.k < 1) return out;
  std::map<storage::Labels, Group> groups;
  for (const Sample& s : in) {
    Group& g = groups[GroupLabels(spec.grouping, s.metric)];
    if (KeepsMembers(op)) {
      g.members.push_back(&s);
    } else {
      Accumulate(op, s.value, &g);
    }
  }
  for (auto& [labels, g] : groups) {
    if (!KeepsMembers(op)) {
      out.push_back(Sample{labels, Final(op, g)});
      continue;
    }
    const bool descending = op == VectorOp::kTopK || op == VectorOp::kSortDesc;
    OrderMembers(descending, &g.members);
    size_t n = g.members.size();
    if (op == VectorOp::kTopK || op == VectorOp::kBottomK) {
      n = std::min(n, static_cast<size_t>(spec.k));
    }
    for (size_t i = 0; i < n; ++i) out.push_back(*g.members[i]);
  }
  return out;
}

std::unique_ptr<StepEvaluator> NewVectorAggregationEvaluator(
    VectorAggregationSpec spec, std::unique_ptr<StepEvaluator> inner, MemoryBudget* budget) {
  return std::make_unique<VectorAggregationEvaluator>(std::move(spec), std::move(inner), budget);
}

}  // namespace fenrir::query
