// Retention on a real store with a fake clock: expired entries vanish from reads at once and
// from disk after a pass; overrides win; kept entries are untouched; pushes continue during a pass.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "storage/keys.h"
#include "storage/store.h"
#include "storage/test_util.h"

namespace fenrir::storage {
namespace {

using testing::Got;
using testing::L;
using testing::MakeStream;
using testing::ReadAll;
using testing::TempDir;

constexpr int64_t kHour = 3600LL * 1'000'000'000;
constexpr int64_t kDay = kNanosPerDay;
constexpr int64_t kNow = 20000 * kDay + 12 * kHour;  // noon of day 20000

StreamRetentionRule Rule(std::string name, std::string value, int64_t priority, int64_t hours) {
  StreamRetentionRule r;
  r.selector.push_back(*Matcher::Make(MatchType::kEqual, name, value));
  r.priority = priority;
  r.period_ns = hours * kHour;
  return r;
}

// One entry per day, `days` days back: ts = now - d days - 1h (so day d is kept iff d*24+1 <= period).
std::vector<Got> PushDays(Store* store, std::string_view tenant, const Labels& labels, int days) {
  std::vector<std::pair<int64_t, std::string>> entries;
  std::vector<Got> all;
  for (int d = days - 1; d >= 0; --d) {
    int64_t ts = kNow - d * kDay - kHour;
    std::string line = labels.ToString() + " day " + std::to_string(d);
    entries.emplace_back(ts, line);
    all.push_back({ts, line});
  }
  PushResult r;
  REQUIRE(store->Push(tenant, {MakeStream(labels, entries)}, &r).ok());
  REQUIRE(r.accepted == static_cast<size_t>(days));
  return all;
}

std::vector<Got> NewerThan(const std::vector<Got>& all, int64_t cutoff) {
  std::vector<Got> out;
  for (const auto& g : all) {
    if (g.ts >= cutoff) out.push_back(g);
  }
  return out;
}

size_t PartitionsOf(Store* store, const std::string& tenant) {
  auto usage = store->DiskUsage(tenant);
  REQUIRE(usage.ok());
  size_t n = 0;
  for (const auto& u : *usage) n += u.blocks > 0;
  return n;
}

TEST_CASE("expired entries vanish from reads at once and from disk after a pass") {
  TempDir dir;
  FakeClock clock(kNow);
  StoreOptions o = testing::TestOptions(dir.path());
  o.clock = &clock;
  auto opened = Store::Open(o);
  REQUIRE(opened.ok());
  Store* store = opened->get();
  const Labels api = L({{"app", "api"}});
  std::vector<Got> all = PushDays(store, "fake", api, 10);
  REQUIRE(store->Flush().ok());
  CHECK(ReadAll(store, "fake", api, 0, kNow + 1) == all);  // no policy: everything kept
  CHECK(PartitionsOf(store, "fake") == 10);

  store->SetRetentionPolicy(std::make_shared<RetentionPolicy>(TenantRetention{120 * kHour, {}},
                                                              std::map<std::string, TenantRetention, std::less<>>{}));
  const std::vector<Got> kept = NewerThan(all, kNow - 120 * kHour);
  REQUIRE(kept.size() == 5);
  // At once, before any pass: entries, series and label values all honour the cutoff.
  CHECK(ReadAll(store, "fake", api, 0, kNow + 1) == kept);
  CHECK(ReadAll(store, "fake", api, 0, kNow + 1, Direction::kBackward).size() == 5);
  auto old_series = store->SelectSeries("fake", {}, 0, kNow - 6 * kDay);
  REQUIRE(old_series.ok());
  CHECK(old_series->empty());
  auto old_values = store->LabelValues("fake", "app", {}, 0, kNow - 6 * kDay);
  REQUIRE(old_values.ok());
  CHECK(old_values->empty());
  CHECK(PartitionsOf(store, "fake") == 10);  // still on disk

  const uint64_t blocks_before = store->Metrics().blocks;
  auto report = store->RunMaintenance();
  REQUIRE(report.ok());
  CHECK(report->partitions_dropped == 4);  // days 6..9 back lie wholly before the cutoff
  CHECK(report->blocks_deleted == 5);      // plus day 5's block, which ends before the cutoff
  CHECK(store->Metrics().blocks == blocks_before - 5);
  CHECK(PartitionsOf(store, "fake") == 5);
  CHECK(ReadAll(store, "fake", api, 0, kNow + 1) == kept);  // kept entries untouched

  // A second pass finds nothing more; time moving on expires the next day.
  auto again = store->RunMaintenance();
  REQUIRE(again.ok());
  CHECK(again->blocks_deleted == 0);
  clock.Advance(kDay);
  CHECK(ReadAll(store, "fake", api, 0, kNow + kDay) == NewerThan(all, kNow + kDay - 120 * kHour));
  REQUIRE(store->RunMaintenance().ok());
  CHECK(PartitionsOf(store, "fake") == 4);

  // The pass survives a restart: nothing expired comes back.
  opened->reset();
  auto reopened = Store::Open(o);
  REQUIRE(reopened.ok());
  CHECK(ReadAll(reopened->get(), "fake", api, 0, kNow + kDay) ==
        NewerThan(all, kNow + kDay - 120 * kHour));
  CHECK(PartitionsOf(reopened->get(), "fake") == 4);
}

TEST_CASE("per-tenant and per-stream rules win over the default period") {
  TempDir dir;
  FakeClock clock(kNow);
  StoreOptions o = testing::TestOptions(dir.path());
  o.clock = &clock;
  // Defaults: 5 days, debug streams 2 days. Tenant "long": 8 days with the inherited debug rule
  // plus a higher-priority rule keeping audit forever. Tenant "forever": no retention at all.
  TenantRetention defaults{120 * kHour, {Rule("app", "debug", 1, 48)}};
  std::map<std::string, TenantRetention, std::less<>> tenants;
  tenants["long"] = {192 * kHour, {Rule("app", "debug", 1, 48), Rule("team", "audit", 2, 0)}};
  tenants["forever"] = {0, {}};
  o.retention = std::make_shared<RetentionPolicy>(defaults, tenants);
  auto opened = Store::Open(o);
  REQUIRE(opened.ok());
  Store* store = opened->get();

  const Labels api = L({{"app", "api"}});
  const Labels debug = L({{"app", "debug"}});
  const Labels audit = L({{"app", "debug"}, {"team", "audit"}});
  struct Case {
    std::string tenant;
    Labels labels;
    size_t kept;
  };
  std::vector<Case> cases = {
      {"fake", api, 5},     {"fake", debug, 2},     {"fake", audit, 2},
      {"long", api, 8},     {"long", debug, 2},     {"long", audit, 10},
      {"forever", api, 10}, {"forever", debug, 10}, {"forever", audit, 10},
  };
  std::map<std::pair<std::string, std::string>, std::vector<Got>> pushed;
  for (const auto& c : cases) pushed[{c.tenant, c.labels.ToString()}] = PushDays(store, c.tenant, c.labels, 10);
  auto check_all = [&](const char* when) {
    for (const auto& c : cases) {
      INFO(when << ": " << c.tenant << " " << c.labels.ToString());
      auto got = ReadAll(store, c.tenant, c.labels, 0, kNow + 1);
      const auto& all = pushed[{c.tenant, c.labels.ToString()}];
      CHECK(got == std::vector<Got>(all.end() - c.kept, all.end()));
    }
  };
  check_all("in the head");
  REQUIRE(store->Flush().ok());
  check_all("in blocks");
  auto report = store->RunMaintenance();
  REQUIRE(report.ok());
  check_all("after the pass");
  CHECK(PartitionsOf(store, "forever") == 10);
  CHECK(PartitionsOf(store, "long") == 10);  // audit keeps every day of "long"
  CHECK(PartitionsOf(store, "fake") == 5);

  auto status = store->RetentionStatus("long", {});
  REQUIRE(status.ok());
  REQUIRE(status->size() == 3);
  for (const auto& s : *status) {
    INFO(s.labels.ToString());
    if (s.labels == audit) {
      CHECK(s.period_ns == 0);
      CHECK(s.next_expiry_ns == 0);
      CHECK(s.entries == 10);
    } else if (s.labels == debug) {
      CHECK(s.period_ns == 48 * kHour);
      CHECK(s.oldest_kept_ns >= kNow - 48 * kHour);
      CHECK(s.next_expiry_ns == s.oldest_kept_ns + 48 * kHour);
    } else {
      CHECK(s.period_ns == 192 * kHour);
    }
  }
}

TEST_CASE("pushes and queries continue while a pass runs") {
  TempDir dir;
  FakeClock clock(kNow);
  StoreOptions o = testing::TestOptions(dir.path());
  o.clock = &clock;
  o.block_target_bytes = 16 << 10;
  o.retention = std::make_shared<RetentionPolicy>(TenantRetention{72 * kHour, {}},
                                                  std::map<std::string, TenantRetention, std::less<>>{});
  auto opened = Store::Open(o);
  REQUIRE(opened.ok());
  Store* store = opened->get();
  // 20 days x 8 streams of old data for the pass to chew on.
  for (int s = 0; s < 8; ++s) {
    Labels labels = L({{"app", "old"}, {"shard", std::to_string(s)}});
    for (int d = 0; d < 20; ++d) {
      std::vector<std::pair<int64_t, std::string>> entries;
      for (int i = 0; i < 300; ++i) {
        entries.emplace_back(kNow - d * kDay - kHour + i, "old line " + std::to_string(i * 7919 + d));
      }
      REQUIRE(store->Push("fake", {MakeStream(labels, entries)}, nullptr).ok());
    }
  }
  REQUIRE(store->Flush().ok());

  const Labels live = L({{"app", "live"}});
  std::atomic<bool> stop{false};
  std::atomic<int64_t> pushed{0};
  std::atomic<int64_t> slowest_push_us{0};
  std::thread pusher([&] {
    for (int64_t i = 0; !stop.load() || i < 200; ++i) {
      auto began = std::chrono::steady_clock::now();
      PushResult r;
      Status st = store->Push("fake", {MakeStream(live, {{kNow + i, "live " + std::to_string(i)}})}, &r);
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - began).count();
      if (us > slowest_push_us.load()) slowest_push_us.store(us);
      if (!st.ok() || r.accepted != 1) break;
      pushed.fetch_add(1);
    }
  });
  std::atomic<int> query_failures{0};
  std::thread reader([&] {
    const Labels kept = L({{"app", "old"}, {"shard", "0"}});
    while (!stop.load()) {
      Status st;
      auto got = ReadAll(store, "fake", kept, 0, kNow + 1, Direction::kForward, &st);
      if (!st.ok() || got.size() != 3 * 300) query_failures.fetch_add(1);
    }
  });
  auto report = store->RunMaintenance();
  stop.store(true);
  pusher.join();
  reader.join();
  REQUIRE(report.ok());
  INFO("pass took " << report->duration_ns / 1000 << " us, slowest push " << slowest_push_us.load()
                    << " us, pushes during the pass " << pushed.load());
  CHECK(report->partitions_dropped == 16);  // days 4..19 back, each partition holding 8 streams
  CHECK(query_failures.load() == 0);
  auto got = ReadAll(store, "fake", live, 0, kNow + 1'000'000);
  CHECK(static_cast<int64_t>(got.size()) == pushed.load());
  CHECK(pushed.load() >= 200);
}

}  // namespace
}  // namespace fenrir::storage
