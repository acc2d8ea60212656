#pragma once
// Helpers shared by the storage tests: temporary directories, label building, reading back.

#include <filesystem>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "storage/store.h"

namespace fenrir::storage::testing {

// A fresh directory removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("fenrir_storage_test_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

inline Labels L(std::vector<std::pair<std::string, std::string>> pairs) {
  std::vector<Label> items;
  for (auto& [n, v] : pairs) items.push_back(Label{n, v});
  return Labels(std::move(items));
}

struct Got {
  int64_t ts;
  std::string line;
  bool operator==(const Got&) const = default;
};

inline std::ostream& operator<<(std::ostream& os, const Got& g) {
  return os << "{" << g.ts << ", " << g.line << "}";
}

// Drains an iterator; *status gets its final status.
inline std::vector<Got> Drain(EntryIterator* it, Status* status = nullptr,
                              size_t limit = SIZE_MAX) {
  std::vector<Got> out;
  for (; it->Valid() && out.size() < limit; it->Next()) {
    out.push_back({it->Timestamp(), std::string(it->Line())});
  }
  if (status) *status = it->status();
  return out;
}

inline std::vector<Got> ReadAll(Store* store, std::string_view tenant, const Labels& labels,
                                int64_t from, int64_t through,
                                Direction dir = Direction::kForward, Status* status = nullptr) {
  SeriesRef ref{labels.Hash(), labels};
  auto refs = store->SelectSeries(tenant, {}, from, through);
  if (refs.ok()) {
    for (const auto& r : *refs) {
      if (r.labels == labels) ref = r;
    }
  }
  auto it = store->Entries(tenant, ref, from, through, dir, ScanHints{});
  return Drain(it.get(), status);
}

inline PushStream MakeStream(const Labels& labels, std::vector<std::pair<int64_t, std::string>> e) {
  PushStream s;
  s.labels = labels;
  for (auto& [ts, line] : e) s.entries.push_back(PushEntry{ts, line, {}});
  return s;
}

inline StoreOptions TestOptions(const std::string& dir) {
  StoreOptions o;
  o.dir = dir;
  o.background_flush = false;
  return o;
}

}  // namespace fenrir::storage::testing
