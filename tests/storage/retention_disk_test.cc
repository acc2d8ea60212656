// A retention pass really releases disk space: bytes before and after on a store holding
// several days of data (the figures are printed).

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <random>

#include "storage/keys.h"
#include "storage/store.h"
#include "storage/test_util.h"

namespace fenrir::storage {
namespace {

using testing::L;
using testing::MakeStream;
using testing::TempDir;

constexpr int64_t kHour = 3600LL * 1'000'000'000;
constexpr int64_t kDay = kNanosPerDay;
constexpr int64_t kNow = 20000 * kDay + 12 * kHour;

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    std::error_code ec;
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  }
  return total;
}

TEST_CASE("a retention pass releases the disk space of expired days") {
  TempDir dir;
  FakeClock clock(kNow);
  StoreOptions o = testing::TestOptions(dir.path());
  o.clock = &clock;
  o.block_target_bytes = 256 << 10;
  auto opened = Store::Open(o);
  REQUIRE(opened.ok());
  Store* store = opened->get();

  // 10 days x 3 streams x 2000 lines of ~150 bytes of poorly compressible text (~9 MB raw).
  std::mt19937_64 rng(7);
  const char* words[] = {"GET", "POST", "user", "order", "timeout", "retry", "db", "cache",
                         "alpha", "beta", "gamma", "delta"};
  for (int d = 0; d < 10; ++d) {
    for (int s = 0; s < 3; ++s) {
      std::vector<std::pair<int64_t, std::string>> entries;
      for (int i = 0; i < 2000; ++i) {
        std::string line = "level=info day=" + std::to_string(d) + " id=" + std::to_string(rng());
        while (line.size() < 150) {
          line += ' ';
          line += words[rng() % 12];
          line += '=' + std::to_string(rng() % 100000);
        }
        entries.emplace_back(kNow - d * kDay - 2 * kHour + i * 1000, std::move(line));
      }
      REQUIRE(store->Push("fake", {MakeStream(L({{"app", "svc"}, {"pod", std::to_string(s)}}), entries)},
                          nullptr)
                  .ok());
    }
  }
  REQUIRE(store->Flush().ok());
  REQUIRE(store->Compact().ok());  // settle memtables and the RocksDB log first
  const uint64_t before = store->Metrics().disk_bytes;
  const uint64_t dir_before = DirectoryBytes(dir.path());

  // 60h before noon is midnight: 7 of the 10 days expire whole, 3 stay.
  store->SetRetentionPolicy(std::make_shared<RetentionPolicy>(
      TenantRetention{60 * kHour, {}}, std::map<std::string, TenantRetention, std::less<>>{}));
  auto report = store->RunMaintenance();
  REQUIRE(report.ok());
  const uint64_t after = store->Metrics().disk_bytes;
  const uint64_t dir_after = DirectoryBytes(dir.path());
  printf("retention pass: live disk bytes %llu -> %llu (%.1f%%), data directory %llu -> %llu, "
         "%llu partitions dropped, %llu blocks deleted, %.1f ms\n",
         static_cast<unsigned long long>(before), static_cast<unsigned long long>(after),
         100.0 * after / before, static_cast<unsigned long long>(dir_before),
         static_cast<unsigned long long>(dir_after),
         static_cast<unsigned long long>(report->partitions_dropped),
         static_cast<unsigned long long>(report->blocks_deleted), report->duration_ns / 1e6);
  CHECK(report->partitions_dropped == 7);
  CHECK(report->disk_bytes_before == before);
  CHECK(report->disk_bytes_after == after);
  CHECK(after < before * 45 / 100);  // 3 of 10 days remain, plus fixed overhead
  CHECK(dir_after < dir_before);

  auto usage = store->DiskUsage("fake");
  REQUIRE(usage.ok());
  CHECK(usage->size() == 3);
  for (const auto& u : *usage) CHECK(u.entries == 3 * 2000);
}

}  // namespace
}  // namespace fenrir::storage
