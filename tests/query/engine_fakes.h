#pragma once
// In-memory stand-ins for the store, the pipeline and the sample extractor, so the engine's
// evaluators can be tested on small hand-made inputs.

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "query/syntax/ast.h"
#include "query/eval/eval_context.h"
#include "query/log/pipeline.h"
#include "storage/store.h"

namespace fenrir::testing {

using storage::Labels;

inline storage::Labels L(std::vector<storage::Label> l) { return storage::Labels(std::move(l)); }

inline storage::Matcher Eq(std::string name, std::string value) {
  return *storage::Matcher::Make(storage::MatchType::kEqual, std::move(name), std::move(value));
}
inline storage::Matcher Re(std::string name, std::string value) {
  return *storage::Matcher::Make(storage::MatchType::kRegex, std::move(name), std::move(value));
}

class VectorIterator : public storage::EntryIterator {
 public:
  explicit VectorIterator(std::vector<storage::PushEntry> e) : entries_(std::move(e)) {}
  bool Valid() const override { return i_ < entries_.size(); }
  void Next() override { ++i_; }
  int64_t Timestamp() const override { return entries_[i_].timestamp_ns; }
  std::string_view Line() const override { return entries_[i_].line; }
  const storage::Labels& Metadata() const override { return entries_[i_].metadata; }
  Status status() const override { return Status::OK(); }

 private:
  std::vector<storage::PushEntry> entries_;
  size_t i_ = 0;
};

// Keeps duplicates (unlike the real store) so the engine's own de-duplication can be tested.
class FakeStore : public storage::Store {
 public:
  void Add(const storage::Labels& labels, int64_t ts, std::string line, storage::Labels metadata = {}) {
    auto& v = streams_[labels];
    v.push_back({ts, std::move(line), std::move(metadata)});
    std::stable_sort(v.begin(), v.end(),
                     [](const auto& a, const auto& b) { return a.timestamp_ns < b.timestamp_ns; });
  }

  Status Push(std::string_view, const std::vector<storage::PushStream>& streams,
              storage::PushResult*) override {
    for (const auto& s : streams) {
      for (const auto& e : s.entries) Add(s.labels, e.timestamp_ns, e.line, e.metadata);
    }
    return Status::OK();
  }
  Result<std::vector<storage::SeriesRef>> SelectSeries(std::string_view,
                                                       const std::vector<storage::Matcher>& m,
                                                       int64_t from, int64_t through) override {
    std::vector<storage::SeriesRef> out;
    uint64_t id = 0;
    for (const auto& [labels, entries] : streams_) {
      ++id;
      if (!storage::MatchesAll(m, labels)) continue;
      bool any = std::any_of(entries.begin(), entries.end(), [&](const auto& e) {
        return e.timestamp_ns >= from && e.timestamp_ns < through;
      });
      if (any) out.push_back({id, labels});
    }
    return out;
  }
  std::unique_ptr<storage::EntryIterator> Entries(std::string_view, const storage::SeriesRef& s,
                                                  int64_t from, int64_t through,
                                                  storage::Direction dir,
                                                  const storage::ScanHints&) override {
    std::vector<storage::PushEntry> out;
    for (const auto& e : streams_[s.labels]) {
      if (e.timestamp_ns >= from && e.timestamp_ns < through) out.push_back(e);
    }
    if (dir == storage::Direction::kBackward) std::reverse(out.begin(), out.end());
    return std::make_unique<VectorIterator>(std::move(out));
  }
  Result<std::vector<std::string>> LabelNames(std::string_view, const std::vector<storage::Matcher>&,
                                              int64_t, int64_t) override {
    return std::vector<std::string>{};
  }
  Result<std::vector<std::string>> LabelValues(std::string_view, std::string_view,
                                               const std::vector<storage::Matcher>&, int64_t,
                                               int64_t) override {
    return std::vector<std::string>{};
  }
  Result<std::vector<storage::SeriesStats>> Stats(std::string_view,
                                                  const std::vector<storage::Matcher>&, int64_t,
                                                  int64_t) override {
    return std::vector<storage::SeriesStats>{};
  }
  Status Flush() override { return Status::OK(); }
  storage::StoreMetrics Metrics() override { return {}; }

 private:
  std::map<storage::Labels, std::vector<storage::PushEntry>> streams_;
};

// Supports line filters |= and !=, and `drop name` (to merge streams).
class FakeStreamPipeline : public query::StreamPipeline {
 public:
  FakeStreamPipeline(const std::vector<query::Stage>* stages, const storage::Labels& stream)
      : stages_(stages) {
    std::vector<storage::Label> kept;
    for (const auto& l : stream) {
      bool dropped = false;
      for (const auto& st : *stages_) {
        if (auto* d = std::get_if<query::DropLabels>(&st)) {
          for (const auto& spec : d->labels) dropped = dropped || spec.name == l.name;
        }
      }
      if (!dropped) kept.push_back(l);
    }
    stream_ = storage::Labels(std::move(kept));
  }
  bool Process(int64_t, std::string_view line, const storage::Labels& metadata) override {
    for (const auto& st : *stages_) {
      if (auto* f = std::get_if<query::LineFilter>(&st)) {
        bool has = line.find(f->value) != std::string_view::npos;
        if (f->op == query::LineFilterOp::kContains && !has) return false;
        if (f->op == query::LineFilterOp::kNotContains && has) return false;
      }
    }
    line_ = line;
    metadata_ = metadata;
    std::vector<storage::Label> all(stream_.begin(), stream_.end());
    for (const auto& m : metadata) all.push_back(m);
    all_ = storage::Labels(std::move(all));
    return true;
  }
  std::string_view Line() const override { return line_; }
  const storage::Labels& Labels() const override { return all_; }
  const storage::Labels& StreamLabels() const override { return stream_; }
  const storage::Labels& MetadataLabels() const override { return metadata_; }
  const storage::Labels& ParsedLabels() const override { return parsed_; }

 private:
  const std::vector<query::Stage>* stages_;
  storage::Labels stream_, metadata_, parsed_, all_;
  std::string line_;
};

class FakePipeline : public query::Pipeline {
 public:
  explicit FakePipeline(const std::vector<query::Stage>* stages) : stages_(stages) {}
  std::unique_ptr<query::StreamPipeline> ForStream(const storage::Labels& stream) const override {
    return std::make_unique<FakeStreamPipeline>(stages_, stream);
  }
  std::vector<std::string> RequiredLiterals() const override { return {}; }

 private:
  const std::vector<query::Stage>* stages_;
};

// Values: 1 for counting ops, the line length for bytes_*, the line read as a number when
// unwrapping (a line that is not a number sets __error__="SampleExtractionErr", value 0).
// |= filters apply; the grouping of the aggregation is applied to the labels.
class FakeStreamExtractor : public query::StreamSampleExtractor {
 public:
  FakeStreamExtractor(const query::RangeAggregation* agg, const storage::Labels& stream)
      : agg_(agg), stream_(stream) {}
  bool Process(int64_t, std::string_view line, const storage::Labels&, double* value) override {
    for (const auto& st : agg_->range.selector.stages) {
      if (auto* f = std::get_if<query::LineFilter>(&st)) {
        if (line.find(f->value) == std::string_view::npos) return false;
      }
    }
    std::vector<storage::Label> lbs(stream_.begin(), stream_.end());
    using query::RangeOp;
    if (agg_->range.unwrap) {
      std::string s(line);
      char* end = nullptr;
      *value = std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size()) {
        *value = 0;
        lbs.push_back({"__error__", "SampleExtractionErr"});
      }
    } else if (agg_->op == RangeOp::kBytesOverTime || agg_->op == RangeOp::kBytesRate) {
      *value = static_cast<double>(line.size());
    } else {
      *value = 1;
    }
    if (agg_->grouping) {
      const auto& g = agg_->grouping->labels;
      std::erase_if(lbs, [&](const storage::Label& l) {
        bool listed = std::find(g.begin(), g.end(), l.name) != g.end();
        return agg_->grouping->without ? listed : !listed;
      });
    }
    labels_ = storage::Labels(std::move(lbs));
    return true;
  }
  const storage::Labels& Labels() const override { return labels_; }

 private:
  const query::RangeAggregation* agg_;
  storage::Labels stream_, labels_;
};

class FakeExtractor : public query::SampleExtractor {
 public:
  explicit FakeExtractor(const query::RangeAggregation* agg) : agg_(agg) {}
  std::unique_ptr<query::StreamSampleExtractor> ForStream(const storage::Labels& stream) const override {
    return std::make_unique<FakeStreamExtractor>(agg_, stream);
  }
  std::vector<std::string> RequiredLiterals() const override { return {}; }

 private:
  const query::RangeAggregation* agg_;
};

inline query::EvalContext MakeContext(storage::Store* store, int64_t start, int64_t end,
                                      int64_t step, query::QueryStats* stats = nullptr) {
  query::EvalContext ctx;
  ctx.store = store;
  ctx.tenant = "t";
  ctx.start_ns = start;
  ctx.end_ns = end;
  ctx.step_ns = step;
  ctx.stats = stats;
  ctx.build_pipeline = [](const std::vector<query::Stage>& stages)
      -> Result<std::unique_ptr<query::Pipeline>> {
    return std::unique_ptr<query::Pipeline>(new FakePipeline(&stages));
  };
  ctx.build_extractor = [](const query::RangeAggregation& agg)
      -> Result<std::unique_ptr<query::SampleExtractor>> {
    return std::unique_ptr<query::SampleExtractor>(new FakeExtractor(&agg));
  };
  return ctx;
}

constexpr int64_t kSec = 1'000'000'000;

// AST builders.
inline query::ExprPtr Ptr(query::Expr e) { return std::make_unique<query::Expr>(std::move(e)); }

inline query::Expr RangeExpr(query::RangeOp op, std::vector<storage::Matcher> m, int64_t range,
                             int64_t offset = 0, bool unwrap = false) {
  query::RangeAggregation r;
  r.op = op;
  r.range.selector.matchers = std::move(m);
  r.range.range_ns = range;
  r.range.offset_ns = offset;
  if (unwrap) r.range.unwrap = query::Unwrap{"value"};
  query::Expr e;
  e.node = std::move(r);
  return e;
}

inline query::Expr VecAgg(query::VectorOp op, query::Expr inner,
                          std::optional<query::Grouping> g = std::nullopt,
                          std::optional<int64_t> k = std::nullopt) {
  query::VectorAggregation v;
  v.op = op;
  v.inner = Ptr(std::move(inner));
  v.grouping = std::move(g);
  v.param = k;
  query::Expr e;
  e.node = std::move(v);
  return e;
}

inline query::Expr Lit(double v) {
  query::Expr e;
  e.node = query::LiteralExpr{v};
  return e;
}

inline query::Expr Bin(query::BinaryOp op, query::Expr l, query::Expr r, bool ret_bool = false) {
  query::BinaryExpr b;
  b.op = op;
  b.return_bool = ret_bool;
  b.lhs = Ptr(std::move(l));
  b.rhs = Ptr(std::move(r));
  query::Expr e;
  e.node = std::move(b);
  return e;
}

}  // namespace fenrir::testing
