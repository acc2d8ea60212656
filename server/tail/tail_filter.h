#pragma once
// A tail's LogQL log query applied to pushed entries: the selector's matchers (handed to the
// TailHub) and the pipeline run per entry, producing output streams like a log query does.
// Not thread-safe (it caches one stream pipeline per input stream): use from one task at a time.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "query/engine.h"
#include "query/log/pipeline.h"
#include "base/status.h"
#include "storage/store.h"

namespace fenrir::server {

class TailFilter {
 public:
  // Errors: InvalidArgument with Loki's parse error text; metric queries are rejected.
  static Result<std::unique_ptr<TailFilter>> Make(const std::string& query);

  const std::vector<storage::Matcher>& matchers() const { return matchers_; }

  // Runs the pipeline over `streams`; output streams keyed by the pipeline's labels (stream
  // labels only when `categorize`, with metadata / parsed labels per entry), entries in input
  // order. Entries the pipeline filters out are gone.
  std::vector<query::OutStream> Apply(const std::vector<storage::PushStream>& streams,
                                      bool categorize);

 private:
  TailFilter() = default;
  static constexpr size_t kMaxCachedPipelines = 4096;

  std::vector<storage::Matcher> matchers_;
  std::unique_ptr<query::Pipeline> pipeline_;
  std::map<storage::Labels, std::unique_ptr<query::StreamPipeline>> per_stream_;
};

}  // namespace fenrir::server
