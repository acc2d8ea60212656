#include "server/tail/tail_filter.h"

#include "query/syntax/parser.h"

namespace fenrir::server {

Result<std::unique_ptr<TailFilter>> TailFilter::Make(const std::string& query) {
  auto expr = query::ParseExpr(query);
  if (!expr.ok()) return expr.status();
  auto* selector = std::get_if<query::LogSelector>(&expr->node);
  if (selector == nullptr) {
    return Status::InvalidArgument("tail requires a log query, not a metric query");
  }
  auto pipeline = query::Pipeline::Build(selector->stages);
  if (!pipeline.ok()) return pipeline.status();
  std::unique_ptr<TailFilter> f(new TailFilter());
  f->matchers_ = selector->matchers;
  f->pipeline_ = std::move(*pipeline);
  return f;
}

std::vector<query::OutStream> TailFilter::Apply(const std::vector<storage::PushStream>& streams,
                                                bool categorize) {
  std::vector<query::OutStream> out;
  std::map<storage::Labels, size_t> index;
  for (const storage::PushStream& s : streams) {
    auto it = per_stream_.find(s.labels);
    if (it == per_stream_.end()) {
      if (per_stream_.size() >= kMaxCachedPipelines) per_stream_.clear();
      it = per_stream_.emplace(s.labels, pipeline_->ForStream(s.labels)).first;
    }
    query::StreamPipeline& p = *it->second;
    for (const storage::PushEntry& e : s.entries) {
      if (!p.Process(e.timestamp_ns, e.line, e.metadata)) continue;
      const storage::Labels& key = categorize ? p.StreamLabels() : p.Labels();
      auto pos = index.find(key);
      if (pos == index.end()) {
        pos = index.emplace(key, out.size()).first;
        out.push_back({key, {}});
      }
      query::OutEntry entry;
      entry.timestamp_ns = e.timestamp_ns;
      entry.line = std::string(p.Line());
      if (categorize) {
        entry.metadata = p.MetadataLabels();
        entry.parsed = p.ParsedLabels();
      }
      out[pos->second].entries.push_back(std::move(entry));
    }
  }
  return out;
}

}  // namespace fenrir::server
