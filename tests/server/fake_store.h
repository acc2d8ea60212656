#pragma once
// An in-memory Store for handler tests: records pushes, answers index reads from them.

#include <map>
#include <mutex>

#include "storage/store.h"

namespace fenrir::server::testing {

class FakeStore : public storage::Store {
 public:
  Status Push(std::string_view tenant, const std::vector<storage::PushStream>& streams,
              storage::PushResult* result) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (fail_push) return Status::IOError("disk on fire");
    for (const auto& s : streams) {
      auto& held = data_[std::string(tenant)][s.labels];
      if (held.empty()) result->streams_created++;
      for (const auto& e : s.entries) held.push_back(e);
      result->accepted += s.entries.size();
    }
    pushes++;
    return Status::OK();
  }

  Result<std::vector<storage::SeriesRef>> SelectSeries(std::string_view tenant,
                                                       const std::vector<storage::Matcher>& m,
                                                       int64_t, int64_t) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<storage::SeriesRef> out;
    for (const auto& [labels, entries] : data_[std::string(tenant)]) {
      if (storage::MatchesAll(m, labels)) out.push_back({labels.Hash(), labels});
    }
    return out;
  }

  std::unique_ptr<storage::EntryIterator> Entries(std::string_view, const storage::SeriesRef&,
                                                  int64_t, int64_t, storage::Direction,
                                                  const storage::ScanHints&) override {
    return nullptr;
  }

  Result<std::vector<std::string>> LabelNames(std::string_view tenant,
                                              const std::vector<storage::Matcher>& m, int64_t,
                                              int64_t) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::map<std::string, bool> names;
    for (const auto& [labels, entries] : data_[std::string(tenant)]) {
      if (!storage::MatchesAll(m, labels)) continue;
      for (const auto& l : labels) names[l.name] = true;
    }
    std::vector<std::string> out;
    for (const auto& [n, unused] : names) out.push_back(n);
    return out;
  }

  Result<std::vector<std::string>> LabelValues(std::string_view tenant, std::string_view name,
                                               const std::vector<storage::Matcher>& m, int64_t,
                                               int64_t) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::map<std::string, bool> values;
    for (const auto& [labels, entries] : data_[std::string(tenant)]) {
      if (!storage::MatchesAll(m, labels)) continue;
      if (const std::string* v = labels.Get(name)) values[*v] = true;
    }
    std::vector<std::string> out;
    for (const auto& [v, unused] : values) out.push_back(v);
    return out;
  }

  Result<std::vector<storage::SeriesStats>> Stats(std::string_view tenant,
                                                  const std::vector<storage::Matcher>& m,
                                                  int64_t from, int64_t through) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<storage::SeriesStats> out;
    for (const auto& [labels, entries] : data_[std::string(tenant)]) {
      if (!storage::MatchesAll(m, labels)) continue;
      storage::SeriesStats s;
      s.series = {labels.Hash(), labels};
      s.chunks = 1;
      for (const auto& e : entries) {
        if (e.timestamp_ns < from || e.timestamp_ns >= through) continue;
        s.entries++;
        s.bytes += e.line.size();
      }
      if (s.entries) out.push_back(s);
    }
    return out;
  }

  Status Flush() override {
    flushes++;
    return Status::OK();
  }
  storage::StoreMetrics Metrics() override { return {}; }

  // All entries held for tenant/labels text.
  std::vector<storage::PushEntry> Held(const std::string& tenant, const std::string& labels) {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [l, entries] : data_[tenant]) {
      if (l.ToString() == labels) return entries;
    }
    return {};
  }
  size_t StreamCount(const std::string& tenant) {
    std::lock_guard<std::mutex> lock(mu_);
    return data_[tenant].size();
  }

  bool fail_push = false;
  int pushes = 0;
  int flushes = 0;

 private:
  std::mutex mu_;
  std::map<std::string, std::map<storage::Labels, std::vector<storage::PushEntry>>> data_;
};

}  // namespace fenrir::server::testing
