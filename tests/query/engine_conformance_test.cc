// The evaluators against real Loki 2.9.9 answers: pushes the conformance dataset into a real
// store in a temporary directory and compares the log, metric, vector, binary and instant cases
// whose queries have no pipeline stages (pipelines are faked here; those cases need none).
#include <catch2/catch.hpp>

#include "shared_dir.h"
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <unistd.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "query/engine.h"
#include "query/engine_fakes.h"
#include "query/eval/log_query.h"
#include "query/eval/metric_query.h"
#include "query/syntax/parser.h"
#include "storage/store.h"

using namespace fenrir;
using json = nlohmann::json;

namespace {

std::string ConformanceDir() {
  std::string d = fenrir::testing::SharedDir() + "/conformance";
  return std::filesystem::exists(d + "/queries.txt") ? d : "";
}

int64_t ParseTime(const std::string& s) {  // 2026-11-01T00:30:00Z
  std::tm tm{};
  std::istringstream in(s);
  in >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%SZ");
  return static_cast<int64_t>(timegm(&tm)) * 1'000'000'000;
}

int64_t ParseDuration(const std::string& s) {
  double v = std::stod(s);
  char unit = s.back();
  double mult = unit == 's' ? 1e9 : unit == 'm' ? 60e9 : unit == 'h' ? 3600e9 : 1e9;
  return static_cast<int64_t>(v * mult);
}

void PushDataset(storage::Store* store, const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  REQUIRE(f != nullptr);
  std::string buf;
  char chunk[1 << 16];
  int n;
  while ((n = gzread(f, chunk, sizeof(chunk))) > 0) buf.append(chunk, n);
  gzclose(f);
  std::istringstream lines(buf);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    json body = json::parse(line);
    std::vector<storage::PushStream> streams;
    for (const auto& s : body["streams"]) {
      storage::PushStream ps;
      std::vector<storage::Label> lbs;
      for (auto& [k, v] : s["stream"].items()) lbs.push_back({k, v.get<std::string>()});
      ps.labels = storage::Labels(std::move(lbs));
      for (const auto& v : s["values"]) {
        storage::PushEntry e;
        e.timestamp_ns = std::stoll(v[0].get<std::string>());
        e.line = v[1].get<std::string>();
        if (v.size() > 2) {
          std::vector<storage::Label> md;
          for (auto& [k, mv] : v[2].items()) md.push_back({k, mv.get<std::string>()});
          e.metadata = storage::Labels(std::move(md));
        }
        ps.entries.push_back(std::move(e));
      }
      streams.push_back(std::move(ps));
    }
    storage::PushResult r;
    REQUIRE(store->Push("fake", streams, &r).ok());
  }
}

storage::Labels FromJson(const json& m) {
  std::vector<storage::Label> l;
  for (auto& [k, v] : m.items()) l.push_back({k, v.get<std::string>()});
  return storage::Labels(std::move(l));
}

bool Close(double a, double b, double tol) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  return std::fabs(a - b) <= tol * std::max(std::fabs(a), std::fabs(b));
}

double ParseValue(const json& v) {
  std::string s = v.get<std::string>();
  if (s == "NaN") return NAN;
  if (s == "+Inf") return INFINITY;
  if (s == "-Inf") return -INFINITY;
  return std::stod(s);
}

// Returns "" when equal, else a description of the first difference.
std::string CompareStreams(const json& want, const query::QueryResult& got, bool forward) {
  std::map<storage::Labels, std::vector<std::pair<int64_t, std::string>>> w, g;
  size_t wn = 0, gn = 0;
  for (const auto& s : want) {
    auto& v = w[FromJson(s["stream"])];
    for (const auto& e : s["values"]) {
      v.push_back({std::stoll(e[0].get<std::string>()), e[1].get<std::string>()});
      ++wn;
    }
  }
  for (const auto& s : got.streams) {
    auto& v = g[s.labels];
    for (const auto& e : s.entries) {
      v.push_back({e.timestamp_ns, e.line});
      ++gn;
    }
  }
  if (wn != gn) return "entry count " + std::to_string(gn) + " want " + std::to_string(wn);
  // Entries at the boundary timestamp may tie across streams: compare all others exactly.
  int64_t boundary = forward ? INT64_MIN : INT64_MAX;
  for (const auto& [l, v] : w) {
    for (const auto& e : v) boundary = forward ? std::max(boundary, e.first) : std::min(boundary, e.first);
  }
  auto strip = [boundary](std::vector<std::pair<int64_t, std::string>> v) {
    std::erase_if(v, [boundary](const auto& e) { return e.first == boundary; });
    return v;
  };
  for (const auto& [l, v] : w) {
    if (strip(v) != strip(g[l])) return "stream " + l.ToString() + " differs";
  }
  return "";
}

std::string CompareSeries(const json& want, const query::QueryResult& got, double tol,
                          bool values_only) {
  std::map<std::string, std::vector<std::pair<int64_t, double>>> w, g;
  auto key = [values_only](const storage::Labels& l) { return values_only ? std::string() : l.ToString(); };
  for (const auto& s : want) {
    auto& v = w[key(FromJson(s["metric"]))];
    if (s.contains("values")) {
      for (const auto& p : s["values"]) v.push_back({p[0].get<int64_t>() * 1000, ParseValue(p[1])});
    } else {
      v.push_back({static_cast<int64_t>(s["value"][0].get<double>() * 1000), ParseValue(s["value"][1])});
    }
  }
  for (const auto& s : got.series) {
    auto& v = g[key(s.metric)];
    for (const auto& p : s.points) v.push_back({p.timestamp_ms, p.value});
  }
  if (values_only) {
    for (auto* m : {&w, &g}) {
      for (auto& [k, v] : *m) std::sort(v.begin(), v.end());
    }
  }
  if (w.size() != g.size()) return "series count " + std::to_string(g.size()) + " want " + std::to_string(w.size());
  for (const auto& [k, v] : w) {
    auto it = g.find(k);
    if (it == g.end()) return "missing series " + k;
    if (it->second.size() != v.size()) return "points of " + k + ": " + std::to_string(it->second.size()) + " want " + std::to_string(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      if (v[i].first != it->second[i].first || !Close(v[i].second, it->second[i].second, tol)) {
        return "point " + std::to_string(i) + " of " + k + ": " + std::to_string(it->second[i].first) + "=" +
               std::to_string(it->second[i].second) + " want " + std::to_string(v[i].first) + "=" + std::to_string(v[i].second);
      }
    }
  }
  return "";
}

}  // namespace

TEST_CASE("engine answers the conformance corpus like Loki 2.9") {
  const std::string dir = ConformanceDir();
  if (dir.empty()) {
    FAIL("conformance corpus not found under " << fenrir::testing::SharedDir());
  }
  auto tmp = std::filesystem::temp_directory_path() / ("fenrir_engine_conf_" + std::to_string(getpid()));
  std::filesystem::remove_all(tmp);
  storage::StoreOptions opts;
  opts.dir = tmp.string();
  opts.background_flush = false;
  auto store = storage::Store::Open(opts);
  REQUIRE(store.ok());
  PushDataset(store->get(), dir + "/dataset.jsonl.gz");

  query::EngineLimits limits;
  limits.max_query_series = 100000;
  query::Engine engine(store->get(), limits);
  auto run = [&](const query::QueryParams& p) -> std::optional<Result<query::QueryResult>> {
    return engine.Query(p);
  };

  std::ifstream q(dir + "/queries.txt");
  std::string line;
  int passed = 0, failed = 0;
  using fenrir::testing::kSec;
  std::vector<std::string> failures;
  while (std::getline(q, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '\t')) f.push_back(part);
    if (f.size() < 4) f.resize(4);
    const std::string& id = f[0];
    if (f[1] != "range" && f[1] != "instant") continue;
    std::map<std::string, std::string> p = {{"start", "2026-11-01T00:00:00Z"}, {"end", "2026-11-01T02:00:00Z"},
                                            {"step", "60s"}, {"limit", "100"}, {"direction", "backward"},
                                            {"time", "2026-11-01T01:00:00Z"}};
    std::stringstream ps(f[2]);
    while (std::getline(ps, part, ',')) {
      auto eq = part.find('=');
      if (eq != std::string::npos) p[part.substr(0, eq)] = part.substr(eq + 1);
    }
    query::QueryParams params;
    params.tenant = "fake";
    params.query = f[3];
    params.limit = std::stoul(p["limit"]);
    params.direction = p["direction"] == "forward" ? storage::Direction::kForward : storage::Direction::kBackward;
    if (f[1] == "instant") {
      params.instant = true;
      params.start_ns = params.end_ns = ParseTime(p["time"]);
    } else {
      params.start_ns = ParseTime(p["start"]);
      params.end_ns = ParseTime(p["end"]);
      params.step_ns = ParseDuration(p["step"]);
    }
    std::ifstream ef(dir + "/expected/" + id + ".json");
    json expected = json::parse(ef);
    auto maybe = run(params);
    if (!maybe) continue;
    auto& got = *maybe;
    std::string diff;
    int status = expected["status"].get<int>();
    if (status != 200) {
      if (got.ok()) diff = "expected error " + std::to_string(status);
    } else if (!got.ok()) {
      diff = "error: " + got.status().message();
    } else {
      const json& data = expected["body"]["data"];
      std::string type = data["resultType"];
      const double tol = (f[3].find("stddev") != std::string::npos || f[3].find("stdvar") != std::string::npos ||
                          f[3].find("quantile") != std::string::npos) ? 1e-6 : 1e-9;
      if (type == "streams") {
        diff = CompareStreams(data["result"], *got, params.direction == storage::Direction::kForward);
      } else if (type == "scalar") {
        if (got->type != query::QueryResult::Type::kScalar || !Close(got->scalar.value, ParseValue(data["result"][1]), tol)) diff = "scalar differs";
      } else {
        bool topk = f[3].find("topk") != std::string::npos || f[3].find("bottomk") != std::string::npos;
        diff = CompareSeries(data["result"], *got, tol, topk);
      }
    }
    if (diff.empty()) {
      ++passed;
    } else {
      ++failed;
      failures.push_back(id + ": " + diff);
    }
  }
  for (const auto& f : failures) WARN(f);
  WARN(std::to_string(passed) + " passed, " + std::to_string(failed) + " failed");
  std::filesystem::remove_all(tmp);
  CHECK(failed == 0);
}
