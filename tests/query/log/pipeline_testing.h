#pragma once
// Helpers for pipeline stage tests: build a pipeline from LogQL text and run one line.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "query/syntax/parser.h"
#include "query/log/pipeline.h"

namespace fenrir::query::testing {

inline storage::Labels L(std::vector<std::pair<std::string, std::string>> kv) {
  std::vector<storage::Label> v;
  for (auto& [k, val] : kv) v.push_back(storage::Label{k, val});
  return storage::Labels(std::move(v));
}

// Parses `{x="y"} <pipeline>` and builds its pipeline.
inline Result<std::unique_ptr<Pipeline>> BuildFromText(std::string_view pipeline) {
  auto expr = ParseExpr("{x=\"y\"} " + std::string(pipeline));
  if (!expr.ok()) return expr.status();
  const auto* sel = std::get_if<LogSelector>(&expr->node);
  if (sel == nullptr) return Status::InvalidArgument("not a log query");
  return Pipeline::Build(sel->stages);
}

struct Outcome {
  bool kept = false;
  std::string line;
  storage::Labels labels;
};

inline Outcome Run(std::string_view pipeline, const storage::Labels& stream, std::string_view line,
                   const storage::Labels& metadata = {}, int64_t ts = 0) {
  auto p = BuildFromText(pipeline);
  INFO(pipeline << " -> " << p.status().message());
  REQUIRE(p.ok());
  auto sp = (*p)->ForStream(stream);
  Outcome o;
  o.kept = sp->Process(ts, line, metadata);
  if (o.kept) {
    o.line = std::string(sp->Line());
    o.labels = sp->Labels();
  }
  return o;
}

}  // namespace fenrir::query::testing
