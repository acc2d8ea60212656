#include "server/handlers/pattern_miner.h"

#include <algorithm>
#include <cctype>

namespace fenrir::server {

namespace {
const char kVar[] = "<_>";

bool HasDigit(std::string_view t) {
  return std::any_of(t.begin(), t.end(), [](char c) { return isdigit(static_cast<unsigned char>(c)); });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string NormalizeLevel(std::string_view raw) {
  std::string l = Lower(raw);
  if (l == "err" || l == "error" || l == "e" || l == "fatal" || l == "critical" || l == "crit" ||
      l == "panic") {
    return l == "fatal" || l == "panic" || l == "critical" || l == "crit" ? "critical" : "error";
  }
  if (l == "warn" || l == "warning" || l == "w") return "warn";
  if (l == "info" || l == "information" || l == "notice" || l == "i") return "info";
  if (l == "debug" || l == "dbg" || l == "d") return "debug";
  if (l == "trace" || l == "v") return "trace";
  return "";
}
}  // namespace

std::string PatternMiner::DetectLevel(std::string_view line) {
  for (std::string_view key : {"level=", "\"level\":\"", "lvl=", "severity="}) {
    size_t p = line.find(key);
    if (p == std::string_view::npos) continue;
    size_t s = p + key.size();
    if (s < line.size() && line[s] == '"') ++s;
    size_t e = s;
    while (e < line.size() && isalpha(static_cast<unsigned char>(line[e]))) ++e;
    std::string l = NormalizeLevel(line.substr(s, e - s));
    if (!l.empty()) return l;
  }
  size_t i = 0;
  int words = 0;
  while (i < line.size() && words < 12) {  // a level word near the start of the line
    while (i < line.size() && !isalpha(static_cast<unsigned char>(line[i]))) ++i;
    size_t s = i;
    while (i < line.size() && isalpha(static_cast<unsigned char>(line[i]))) ++i;
    std::string_view w = line.substr(s, i - s);
    words++;
    if (w.size() < 4) continue;  // skip one-letter and short words (too ambiguous)
    bool upper = std::all_of(w.begin(), w.end(), [](char c) { return isupper(static_cast<unsigned char>(c)); });
    std::string l = NormalizeLevel(w);
    if (!l.empty() && (upper || w == "error" || w == "warning")) return l;
  }
  return "";
}

std::vector<std::string> PatternMiner::Tokenize(std::string_view line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size() && out.size() < kMaxTokens) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t s = i;
    while (i < line.size() && line[i] != ' ') ++i;
    if (i == s) break;
    std::string_view t = line.substr(s, i - s);
    std::string tok = HasDigit(t) ? kVar : std::string(t);
    if (tok == kVar && !out.empty() && out.back() == kVar) continue;
    out.push_back(std::move(tok));
  }
  if (i < line.size() && !(out.size() && out.back() == kVar)) out.push_back(kVar);
  return out;
}

void PatternMiner::Add(int64_t timestamp_ns, std::string_view line, std::string_view level) {
  std::vector<std::string> tokens = Tokenize(line);
  Cluster* best = nullptr;
  size_t best_diff = SIZE_MAX;
  for (Cluster& c : clusters_) {
    if (c.tokens.size() != tokens.size()) continue;
    size_t diff = 0;
    for (size_t k = 0; k < tokens.size(); ++k) diff += c.tokens[k] != tokens[k];
    if (diff < best_diff) {
      best_diff = diff;
      best = &c;
    }
  }
  size_t allowed = tokens.size() / 3;
  if (best == nullptr || best_diff > allowed || (best_diff > 0 && tokens.size() < 3)) {
    if (clusters_.size() >= kMaxClusters) return;
    clusters_.push_back({tokens, {}, {}, 0});
    best = &clusters_.back();
  } else if (best_diff > 0) {
    for (size_t k = 0; k < tokens.size(); ++k) {
      if (best->tokens[k] != tokens[k]) best->tokens[k] = kVar;
    }
  }
  int64_t bucket = start_ns_ + (timestamp_ns - start_ns_) / step_ns_ * step_ns_;
  best->buckets[bucket / 1'000'000'000]++;
  best->levels[level.empty() ? "unknown" : std::string(level)]++;
  best->total++;
}

std::vector<PatternMiner::Pattern> PatternMiner::Patterns(size_t max) const {
  // Clusters whose patterns became identical after merging are combined.
  std::map<std::string, Pattern> by_text;
  std::map<std::string, std::map<std::string, int64_t>> levels;
  std::map<std::string, std::map<int64_t, int64_t>> buckets;
  for (const Cluster& c : clusters_) {
    std::string text;
    for (const auto& t : c.tokens) {
      if (t == kVar && text.size() >= 3 && text.compare(text.size() - 3, 3, kVar) == 0) continue;
      if (!text.empty()) text += ' ';
      text += t;
    }
    Pattern& p = by_text[text];
    p.pattern = text;
    p.total += c.total;
    for (const auto& [b, n] : c.buckets) buckets[text][b] += n;
    for (const auto& [l, n] : c.levels) levels[text][l] += n;
  }
  std::vector<Pattern> out;
  for (auto& [text, p] : by_text) {
    for (const auto& [b, n] : buckets[text]) p.samples.emplace_back(b, n);
    int64_t best = -1;
    for (const auto& [l, n] : levels[text]) {
      if (n > best) {
        best = n;
        p.level = l;
      }
    }
    out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Pattern& a, const Pattern& b) { return a.total > b.total; });
  if (out.size() > max) out.resize(max);
  return out;
}

}  // namespace fenrir::server
