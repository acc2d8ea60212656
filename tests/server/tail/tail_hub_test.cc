#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "server/handlers/field_detector.h"
#include "server/handlers/pattern_miner.h"
#include "server/tail/tail_filter.h"
#include "server/tail/tail_hub.h"

namespace fenrir::server {
namespace {

storage::PushStream MakeStream(std::vector<storage::Label> labels, int n, int64_t ts0 = 1) {
  storage::PushStream s;
  s.labels = storage::Labels(std::move(labels));
  for (int i = 0; i < n; ++i) s.entries.push_back({ts0 + i, "line " + std::to_string(i), {}});
  return s;
}

TEST_CASE("tail hub delivers matching streams and notifies once per burst", "[tail]") {
  TailHub hub(2);
  std::atomic<int> notified{0};
  auto m = storage::Matcher::Make(storage::MatchType::kEqual, "app", "a");
  REQUIRE(m.ok());
  auto sub = hub.Subscribe("t", {*m}, [&] { notified++; });
  REQUIRE(sub.ok());
  hub.Publish("t", {MakeStream({{"app", "a"}}, 3), MakeStream({{"app", "b"}}, 2)});
  hub.Publish("t", {MakeStream({{"app", "a"}}, 1)});
  hub.Publish("other", {MakeStream({{"app", "a"}}, 1)});
  CHECK(notified == 1);
  auto d = (*sub)->Drain();
  size_t n = 0;
  for (const auto& s : d.streams) n += s.entries.size();
  CHECK(n == 4);
  CHECK(d.dropped.empty());
  hub.Unsubscribe(sub->get());
  CHECK(hub.open() == 0);
}

TEST_CASE("tail hub bounds each subscription and enforces the tail limit", "[tail]") {
  TailHub hub(1);
  auto sub = hub.Subscribe("t", {}, nullptr);
  REQUIRE(sub.ok());
  auto second = hub.Subscribe("t", {}, nullptr);
  REQUIRE(!second.ok());
  CHECK(second.status().message() ==
        "max concurrent tail requests limit exceeded, count > limit (2 > 1)");
  CHECK(hub.Subscribe("u", {}, nullptr).ok());  // the limit is per tenant
  hub.Publish("t", {MakeStream({{"app", "a"}}, TailSubscription::kMaxPendingEntries + 5000)});
  auto d = (*sub)->Drain();
  CHECK(d.streams.at(0).entries.size() == TailSubscription::kMaxPendingEntries);
  CHECK(d.dropped.size() == TailSubscription::kMaxDropped);
}

TEST_CASE("tail filter runs the pipeline on pushed entries", "[tail]") {
  auto f = TailFilter::Make(R"({app="a"} |= "keep" | logfmt)");
  REQUIRE(f.ok());
  storage::PushStream s;
  s.labels = storage::Labels(std::vector<storage::Label>{{"app", "a"}});
  s.entries = {{1, "x=1 keep", {}}, {2, "x=2 drop", {}}};
  auto out = (*f)->Apply({s}, false);
  REQUIRE(out.size() == 1);
  CHECK(out[0].labels.ToString() == R"({app="a", x="1"})");
  CHECK(out[0].entries.size() == 1);
  CHECK(!TailFilter::Make(R"({app="a")").ok());
  CHECK(!TailFilter::Make(R"(count_over_time({app="a"}[1m]))").ok());
}

TEST_CASE("field detector infers types and parsers", "[discovery]") {
  FieldDetector d;
  d.AddLine(R"({"status":200,"dur":"15ms","user":{"id":"u1"},"ok":true,"ratio":0.5})", {});
  d.AddLine(R"(level=info status=404 size=10KB msg="a b")", storage::Labels(std::vector<storage::Label>{{"trace", "x"}}));
  std::map<std::string, FieldDetector::Field> by;
  for (auto& f : d.Fields()) by[f.name] = f;
  struct Want { const char* name; const char* type; size_t parsers; };
  for (const Want& w : std::vector<Want>{{"status", "int", 2}, {"dur", "duration", 1},
                                         {"user_id", "string", 1}, {"ok", "boolean", 1},
                                         {"ratio", "float", 1}, {"size", "bytes", 1},
                                         {"msg", "string", 1}, {"trace", "string", 0}}) {
    INFO(w.name);
    REQUIRE(by.count(w.name));
    CHECK(by[w.name].type == w.type);
    CHECK(by[w.name].parsers.size() == w.parsers);
  }
  CHECK(by["user_id"].json_path == std::vector<std::string>{"user", "id"});
  CHECK(by["status"].cardinality == 2);
}

TEST_CASE("pattern miner replaces variable tokens and counts per step", "[discovery]") {
  PatternMiner m(0, 10'000'000'000);
  m.Add(1'000'000'000, "user 17 logged in from 10.0.0.1", "info");
  m.Add(2'000'000'000, "user 42 logged in from 10.0.0.9", "info");
  m.Add(12'000'000'000, "user alice logged in from 10.0.0.7", "info");
  m.Add(13'000'000'000, "disk full", "error");
  auto p = m.Patterns(10);
  REQUIRE(p.size() == 2);
  CHECK(p[0].pattern == "user <_> logged in from <_>");
  CHECK(p[0].total == 3);
  CHECK(p[0].samples == std::vector<std::pair<int64_t, int64_t>>{{0, 2}, {10, 1}});
  CHECK(p[1].pattern == "disk full");
  CHECK(p[1].level == "error");
  CHECK(PatternMiner::DetectLevel("ts=1 level=warn msg=x") == "warn");
  CHECK(PatternMiner::DetectLevel(R"({"level":"error"})") == "error");
}

// Also run under ThreadSanitizer (tests/sanitize/tsan_test.sh): publishers, a reader draining
// and tails opening and closing at the same time.
TEST_CASE("tail hub delivers every entry under concurrent publish, drain and subscribe",
          "[tail]") {
  constexpr int kPublishers = 3;
  constexpr int kPushes = 200;
  TailHub hub(0);
  std::atomic<int> notified{0};
  auto m = storage::Matcher::Make(storage::MatchType::kEqual, "app", "a");
  REQUIRE(m.ok());
  auto sub = hub.Subscribe("t", {*m}, [&] { notified++; });
  REQUIRE(sub.ok());
  std::atomic<bool> done{false};
  size_t drained = 0;
  std::thread reader([&] {
    while (true) {
      const bool last = done.load();
      auto d = (*sub)->Drain();
      for (const auto& s : d.streams) drained += s.entries.size();
      if (last) break;
      std::this_thread::yield();
    }
  });
  std::thread churn([&] {
    for (int i = 0; i < 100; ++i) {
      auto other = hub.Subscribe("t", {}, nullptr);
      if (other.ok()) hub.Unsubscribe(other->get());
    }
  });
  std::vector<std::thread> publishers;
  for (int p = 0; p < kPublishers; ++p) {
    publishers.emplace_back([&] {
      for (int i = 0; i < kPushes; ++i) {
        hub.Publish("t", {MakeStream({{"app", "a"}}, 2, i), MakeStream({{"app", "b"}}, 1, i)});
      }
    });
  }
  for (auto& th : publishers) th.join();
  churn.join();
  done = true;
  reader.join();
  CHECK(drained == size_t{kPublishers} * kPushes * 2);
  CHECK(notified.load() >= 1);
  hub.Unsubscribe(sub->get());
  CHECK(hub.open() == 0);
}

}  // namespace
}  // namespace fenrir::server
