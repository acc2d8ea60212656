#include "server/push/stream_limiter.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "server/query_limiter.h"
#include "tests/server/fake_store.h"

namespace fenrir::server {
namespace {

constexpr int64_t kMinute = 60LL * 1'000'000'000;

storage::PushStream Stream(const std::string& app) {
  storage::PushStream s;
  s.labels = storage::Labels(std::vector<storage::Label>{{"app", app}});
  s.entries.push_back({1, "line", {}});
  return s;
}

std::vector<std::string> Apps(const std::vector<storage::PushStream>& streams) {
  std::vector<std::string> out;
  for (const auto& s : streams) out.push_back(*s.labels.Get("app"));
  return out;
}

}  // namespace

TEST_CASE("effective stream limit: smaller non-zero of local and global", "[stream_limiter]") {
  struct Case {
    int64_t local, global, want;
  };
  for (const Case& c : {Case{0, 5000, 5000}, Case{100, 5000, 100}, Case{9000, 5000, 5000},
                        Case{7, 0, 7}, Case{0, 0, 0}}) {
    CHECK(StreamLimiter::EffectiveLimit(c.local, c.global) == c.want);
  }
}

TEST_CASE("stream limit admits known streams and new ones up to the limit", "[stream_limiter]") {
  StreamLimiter limiter(2, 30 * kMinute, nullptr);
  std::vector<storage::PushStream> streams = {Stream("a"), Stream("b"), Stream("c")};
  std::vector<storage::PushStream> rejected;
  limiter.Admit("t", 0, &streams, &rejected);
  CHECK(Apps(streams) == std::vector<std::string>{"a", "b"});
  CHECK(Apps(rejected) == std::vector<std::string>{"c"});

  streams = {Stream("c"), Stream("a")};
  rejected.clear();
  limiter.Admit("t", kMinute, &streams, &rejected);
  CHECK(Apps(streams) == std::vector<std::string>{"a"});
  CHECK(Apps(rejected) == std::vector<std::string>{"c"});

  SECTION("per tenant") {
    streams = {Stream("x"), Stream("y")};
    rejected.clear();
    limiter.Admit("other", kMinute, &streams, &rejected);
    CHECK(streams.size() == 2);
    CHECK(rejected.empty());
  }
  SECTION("idle streams stop counting") {
    // "b" was last pushed at 0, "a" at 1m: at 31m+1ns only "b" is idle.
    streams = {Stream("c")};
    rejected.clear();
    limiter.Admit("t", 30 * kMinute + 1, &streams, &rejected);
    CHECK(Apps(streams) == std::vector<std::string>{"c"});
    CHECK(rejected.empty());
  }
}

TEST_CASE("stream limit seeds a tenant from the store after a restart", "[stream_limiter]") {
  testing::FakeStore store;
  storage::PushResult result;
  REQUIRE(store.Push("t", {Stream("a"), Stream("b")}, &result).ok());
  StreamLimiter limiter(2, 30 * kMinute, &store);
  std::vector<storage::PushStream> streams = {Stream("b"), Stream("new")};
  std::vector<storage::PushStream> rejected;
  limiter.Admit("t", 0, &streams, &rejected);
  CHECK(Apps(streams) == std::vector<std::string>{"b"});
  CHECK(Apps(rejected) == std::vector<std::string>{"new"});
  CHECK(StreamLimitMessage("t").find("Maximum active stream limit exceeded") == 0);
}

TEST_CASE("zero stream limit admits everything", "[stream_limiter]") {
  StreamLimiter limiter(0, 30 * kMinute, nullptr);
  std::vector<storage::PushStream> streams = {Stream("a"), Stream("b"), Stream("c")};
  std::vector<storage::PushStream> rejected;
  limiter.Admit("t", 0, &streams, &rejected);
  CHECK(streams.size() == 3);
  CHECK(rejected.empty());
}

TEST_CASE("query limiter bounds outstanding requests per tenant", "[query_limiter]") {
  auto limiter = std::make_shared<QueryLimiter>(2, 0);
  auto p1 = limiter->TryAcquire("t");
  auto p2 = limiter->TryAcquire("t");
  REQUIRE(p1);
  REQUIRE(p2);
  CHECK_FALSE(limiter->TryAcquire("t"));
  CHECK(limiter->TryAcquire("other"));  // released at once: another tenant is unaffected
  p1.reset();
  CHECK(limiter->outstanding("t") == 1);
  CHECK(limiter->TryAcquire("t"));
}

TEST_CASE("query limiter memory budget", "[query_limiter]") {
  query::QueryResult result;
  result.streams.resize(1);
  result.streams[0].labels = storage::Labels(std::vector<storage::Label>{{"app", "a"}});
  for (int i = 0; i < 100; ++i) result.streams[0].entries.push_back({i, std::string(100, 'x')});
  const uint64_t bytes = QueryLimiter::ResultBytes(result);
  CHECK(bytes >= 100 * 100);
  CHECK(QueryLimiter(0, bytes).CheckResult(result).ok());
  CHECK(QueryLimiter(0, 0).CheckResult(result).ok());  // 0: unlimited
  Status st = QueryLimiter(0, bytes - 1).CheckResult(result);
  CHECK(st.code() == StatusCode::kInvalidArgument);
  CHECK(st.message().find("max_query_result_bytes") != std::string::npos);
}

// Also run under ThreadSanitizer (tests/sanitize/tsan_test.sh): callers on several threads.
TEST_CASE("stream limit holds under concurrent pushes", "[stream_limiter]") {
  constexpr int kThreads = 4;
  constexpr int kLimit = 50;
  StreamLimiter limiter(kLimit, 30 * kMinute, nullptr);
  std::atomic<int> admitted_new{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        // Threads overlap on half of the names: the same stream from two threads counts once.
        std::vector<storage::PushStream> streams = {Stream("s" + std::to_string(i)),
                                                    Stream("t" + std::to_string(t * 100 + i))};
        std::vector<storage::PushStream> rejected;
        limiter.Admit("t", kMinute, &streams, &rejected);
        for (const auto& s : streams) {
          if (s.labels.Get("app")->front() == 't') admitted_new++;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  // 40 shared names plus per-thread ones, never more than the limit in total.
  std::vector<storage::PushStream> probe = {Stream("fresh")};
  std::vector<storage::PushStream> rejected;
  limiter.Admit("t", kMinute, &probe, &rejected);
  CHECK(probe.empty());
  CHECK(rejected.size() == 1);
  CHECK(admitted_new.load() <= kLimit);
}

TEST_CASE("query limiter permits are exact under concurrent acquire and release",
          "[query_limiter]") {
  auto limiter = std::make_shared<QueryLimiter>(3, 0);
  std::atomic<int> held{0};
  std::atomic<int> max_held{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        auto p = limiter->TryAcquire("t");
        if (!p) continue;
        int now = ++held;
        int prev = max_held.load();
        while (now > prev && !max_held.compare_exchange_weak(prev, now)) {
        }
        --held;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(max_held.load() <= 3);
  CHECK(limiter->outstanding("t") == 0);
}

}  // namespace fenrir::server
