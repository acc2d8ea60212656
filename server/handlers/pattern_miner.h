#pragma once
// A small log-pattern miner for Grafana's /loki/api/v1/patterns (Loki 3's pattern ingester,
// computed here over a sample of lines). Lines are split on spaces; tokens holding digits
// (numbers, ids, IPs, timestamps, hex) become <_>; patterns of the same length that differ in
// at most a third of their tokens are merged, the differing tokens becoming <_>; runs of <_>
// collapse. Each pattern counts its lines per step bucket. Not thread-safe.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fenrir::server {

class PatternMiner {
 public:
  // Buckets are [start + k*step, start + (k+1)*step); REQUIRES: step_ns > 0.
  PatternMiner(int64_t start_ns, int64_t step_ns) : start_ns_(start_ns), step_ns_(step_ns) {}

  void Add(int64_t timestamp_ns, std::string_view line, std::string_view level);

  struct Pattern {
    std::string pattern;
    std::string level;  // most frequent level of its lines ("unknown" when none)
    std::vector<std::pair<int64_t, int64_t>> samples;  // [unix seconds, count], ascending
    int64_t total = 0;
  };
  // Most frequent first; at most `max` patterns.
  std::vector<Pattern> Patterns(size_t max) const;

  // The level a line announces (level=x, "level":"x", or a standalone ERROR/WARN/INFO/...), or "".
  static std::string DetectLevel(std::string_view line);

 private:
  static constexpr size_t kMaxTokens = 64;
  static constexpr size_t kMaxClusters = 1000;
  struct Cluster {
    std::vector<std::string> tokens;
    std::map<int64_t, int64_t> buckets;  // bucket start (s) -> count
    std::map<std::string, int64_t> levels;
    int64_t total = 0;
  };
  static std::vector<std::string> Tokenize(std::string_view line);

  int64_t start_ns_, step_ns_;
  std::vector<Cluster> clusters_;
};

}  // namespace fenrir::server
