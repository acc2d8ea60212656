#include "query/eval/bytes_read_limit.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace fenrir::query {
namespace {

// Loki's querier.engine.max-lookback-period, added before log selectors (no range of their own).
constexpr int64_t kLogLookbackNs = 30'000'000'000;

struct MatcherGroup {
  const std::vector<Matcher>* matchers;
  int64_t range_ns = 0;
  int64_t offset_ns = 0;
};

void CollectGroups(const Expr& expr, std::vector<MatcherGroup>* out) {
  std::visit(
      [out](const auto& node) {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, LogSelector>) {
          out->push_back({&node.matchers, 0, 0});
        } else if constexpr (std::is_same_v<T, RangeAggregation>) {
          out->push_back(
              {&node.range.selector.matchers, node.range.range_ns, node.range.offset_ns});
        } else if constexpr (std::is_same_v<T, VectorAggregation> ||
                             std::is_same_v<T, LabelReplaceExpr>) {
          CollectGroups(*node.inner, out);
        } else if constexpr (std::is_same_v<T, BinaryExpr>) {
          CollectGroups(*node.lhs, out);
          CollectGroups(*node.rhs, out);
        }
      },
      expr.node);
}

}  // namespace

Result<uint64_t> QueryBytesRead(storage::Store* store, const QueryParams& params,
                                const Expr& expr) {
  std::vector<MatcherGroup> groups;
  CollectGroups(expr, &groups);
  uint64_t total = 0;
  for (const MatcherGroup& g : groups) {
    if (g.matchers->empty()) continue;
    int64_t from = params.start_ns - g.range_ns - g.offset_ns;
    if (g.range_ns == 0) from -= kLogLookbackNs;
    // Loki's end is inclusive; the store's through is exclusive.
    const int64_t through = params.end_ns - g.offset_ns + 1;
    auto stats = store->Stats(params.tenant, *g.matchers, from, through);
    if (!stats.ok()) return stats.status();
    for (const auto& s : *stats) total += s.bytes;
  }
  return total;
}

Status CheckQueryBytesRead(storage::Store* store, const QueryParams& params, const Expr& expr,
                           uint64_t limit_bytes) {
  if (limit_bytes == 0) return Status::OK();
  auto bytes = QueryBytesRead(store, params, expr);
  if (!bytes.ok()) {
    return Status::Internal("Failed to get bytes read stats for query: " +
                            bytes.status().message());
  }
  if (*bytes <= limit_bytes) return Status::OK();
  return Status::InvalidArgument("the query would read too many bytes (query: " +
                                 FormatIBytes(*bytes) + ", limit: " + FormatIBytes(limit_bytes) +
                                 "); consider adding more specific stream selectors or reduce "
                                 "the time range of the query");
}

std::string FormatIBytes(uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 10) return std::to_string(bytes) + " B";
  const double s = static_cast<double>(bytes);
  const int e = static_cast<int>(std::floor(std::log(s) / std::log(1024.0)));
  const double val = std::floor(s / std::pow(1024.0, e) * 10 + 0.5) / 10;
  char buf[64];
  std::snprintf(buf, sizeof(buf), val < 10 ? "%.1f %s" : "%.0f %s", val, kUnits[e]);
  return buf;
}

}  // namespace fenrir::query
