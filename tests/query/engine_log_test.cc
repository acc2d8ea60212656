// Log query selection and merge: direction, limit, ties, interval, grouping, de-duplication.
#include <catch2/catch.hpp>

#include "query/engine_fakes.h"
#include "query/eval/log_query.h"

using namespace fenrir;
using namespace fenrir::testing;
using query::LogQueryOptions;
using query::OutStream;
using storage::Direction;

namespace {

struct Fixture {
  FakeStore store;
  query::QueryStats stats;
  query::LogSelector selector;
  Fixture() {
    selector.matchers = {Eq("job", "a")};
    // Two streams, interleaved in time.
    store.Add(L({{"job", "a"}, {"pod", "1"}}), 1 * kSec, "one");
    store.Add(L({{"job", "a"}, {"pod", "1"}}), 3 * kSec, "three");
    store.Add(L({{"job", "a"}, {"pod", "1"}}), 5 * kSec, "five");
    store.Add(L({{"job", "a"}, {"pod", "2"}}), 2 * kSec, "two");
    store.Add(L({{"job", "a"}, {"pod", "2"}}), 4 * kSec, "four error");
    store.Add(L({{"job", "b"}}), 2 * kSec, "other job");
  }
  std::vector<OutStream> Run(LogQueryOptions o) {
    auto ctx = MakeContext(&store, o.from_ns, o.through_ns, 0, &stats);
    auto pipeline = ctx.build_pipeline(selector.stages);
    REQUIRE(pipeline.ok());
    auto r = query::RunLogQuery(ctx, selector, **pipeline, o);
    REQUIRE(r.ok());
    return std::move(*r);
  }
};

std::vector<int64_t> Times(const OutStream& s) {
  std::vector<int64_t> t;
  for (const auto& e : s.entries) t.push_back(e.timestamp_ns / kSec);
  return t;
}

LogQueryOptions Opts(Direction d, uint32_t limit, int64_t from = 0, int64_t through = 100 * kSec) {
  LogQueryOptions o;
  o.from_ns = from;
  o.through_ns = through;
  o.limit = limit;
  o.direction = d;
  return o;
}

}  // namespace

TEST_CASE("log query returns streams sorted by labels, entries in direction") {
  Fixture f;
  auto fwd = f.Run(Opts(Direction::kForward, 100));
  REQUIRE(fwd.size() == 2);
  CHECK(fwd[0].labels == L({{"job", "a"}, {"pod", "1"}}));
  CHECK(Times(fwd[0]) == std::vector<int64_t>{1, 3, 5});
  CHECK(Times(fwd[1]) == std::vector<int64_t>{2, 4});
  auto bwd = f.Run(Opts(Direction::kBackward, 100));
  CHECK(Times(bwd[0]) == std::vector<int64_t>{5, 3, 1});
  CHECK(Times(bwd[1]) == std::vector<int64_t>{4, 2});
}

TEST_CASE("log query limit keeps the newest (backward) or oldest (forward) entries overall") {
  struct Case {
    Direction dir;
    uint32_t limit;
    std::vector<int64_t> pod1, pod2;
  };
  std::vector<Case> cases = {
      {Direction::kBackward, 3, {5, 3}, {4}},
      {Direction::kForward, 3, {1, 3}, {2}},
      {Direction::kForward, 1, {1}, {}},
      {Direction::kBackward, 5, {5, 3, 1}, {4, 2}},
  };
  for (const auto& c : cases) {
    Fixture f;
    auto out = f.Run(Opts(c.dir, c.limit));
    std::vector<int64_t> p1, p2;
    for (const auto& s : out) {
      if (*s.labels.Get("pod") == "1") p1 = Times(s);
      if (*s.labels.Get("pod") == "2") p2 = Times(s);
    }
    CHECK(p1 == c.pod1);
    CHECK(p2 == c.pod2);
    CHECK(f.stats.entries_returned == c.limit);
  }
}

TEST_CASE("log query window is start-inclusive and end-exclusive") {
  Fixture f;
  auto out = f.Run(Opts(Direction::kForward, 100, 2 * kSec, 4 * kSec));
  REQUIRE(out.size() == 2);
  CHECK(Times(out[0]) == std::vector<int64_t>{3});
  CHECK(Times(out[1]) == std::vector<int64_t>{2});
}

TEST_CASE("log query applies the pipeline and counts processed lines") {
  Fixture f;
  f.selector.stages.push_back(query::LineFilter{query::LineFilterOp::kContains, "error"});
  auto out = f.Run(Opts(Direction::kBackward, 100));
  REQUIRE(out.size() == 1);
  CHECK(out[0].entries[0].line == "four error");
  CHECK(f.stats.lines_processed == 5);
  CHECK(f.stats.post_filter_lines == 1);
  CHECK(f.stats.bytes_processed == 3 + 5 + 4 + 3 + 10);
}

TEST_CASE("log query merges streams whose output labels are equal, in time order") {
  Fixture f;
  f.selector.stages.push_back(query::DropLabels{{query::LabelSpec{"pod", std::nullopt}}});
  auto out = f.Run(Opts(Direction::kForward, 100));
  REQUIRE(out.size() == 1);
  CHECK(out[0].labels == L({{"job", "a"}}));
  CHECK(Times(out[0]) == std::vector<int64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("log query drops repeated identical entries of one stream") {
  FakeStore store;
  store.Add(L({{"job", "a"}}), 1 * kSec, "x");
  store.Add(L({{"job", "a"}}), 1 * kSec, "x");
  store.Add(L({{"job", "a"}}), 1 * kSec, "y");
  store.Add(L({{"job", "a"}}), 2 * kSec, "x");
  query::LogSelector sel;
  sel.matchers = {Eq("job", "a")};
  auto ctx = MakeContext(&store, 0, 10 * kSec, 0);
  auto pipeline = ctx.build_pipeline(sel.stages);
  auto out = query::RunLogQuery(ctx, sel, **pipeline, Opts(Direction::kForward, 100));
  REQUIRE(out.ok());
  REQUIRE(out->size() == 1);
  std::vector<std::string> lines;
  for (const auto& e : (*out)[0].entries) lines.push_back(e.line);
  CHECK(lines == std::vector<std::string>{"x", "y", "x"});
}

TEST_CASE("log query ties at equal timestamps keep every entry and respect the limit") {
  FakeStore store;
  for (int pod = 0; pod < 4; ++pod) {
    store.Add(L({{"job", "a"}, {"pod", std::to_string(pod)}}), 7 * kSec, "same");
  }
  query::LogSelector sel;
  sel.matchers = {Eq("job", "a")};
  auto ctx = MakeContext(&store, 0, 10 * kSec, 0);
  auto pipeline = ctx.build_pipeline(sel.stages);
  auto out = query::RunLogQuery(ctx, sel, **pipeline, Opts(Direction::kBackward, 3));
  REQUIRE(out.ok());
  size_t total = 0;
  for (const auto& s : *out) total += s.entries.size();
  CHECK(total == 3);
  CHECK(out->size() == 3);
}

TEST_CASE("log query interval keeps one entry per interval across streams") {
  struct Case {
    Direction dir;
    int64_t interval;
    std::vector<int64_t> all;
  };
  std::vector<Case> cases = {
      {Direction::kForward, 2 * kSec, {1, 3, 5}},
      {Direction::kBackward, 2 * kSec, {5, 3, 1}},
      {Direction::kForward, 3 * kSec, {1, 4}},
      {Direction::kBackward, 3 * kSec, {5, 2}},
      {Direction::kForward, 0, {1, 2, 3, 4, 5}},
  };
  for (const auto& c : cases) {
    Fixture f;
    f.selector.stages.push_back(query::DropLabels{{query::LabelSpec{"pod", std::nullopt}}});
    auto o = Opts(c.dir, 100);
    o.interval_ns = c.interval;
    auto out = f.Run(o);
    REQUIRE(out.size() == 1);
    CHECK(Times(out[0]) == c.all);
  }
}

TEST_CASE("log query with categorized labels groups by stream labels, metadata per entry") {
  FakeStore store;
  store.Add(L({{"job", "a"}}), 1 * kSec, "x", L({{"trace", "1"}}));
  store.Add(L({{"job", "a"}}), 2 * kSec, "y", L({{"trace", "2"}}));
  query::LogSelector sel;
  sel.matchers = {Eq("job", "a")};
  auto ctx = MakeContext(&store, 0, 10 * kSec, 0);
  auto pipeline = ctx.build_pipeline(sel.stages);
  auto o = Opts(Direction::kForward, 100);
  SECTION("categorized") {
    o.categorize_labels = true;
    auto out = query::RunLogQuery(ctx, sel, **pipeline, o);
    REQUIRE(out->size() == 1);
    CHECK((*out)[0].labels == L({{"job", "a"}}));
    CHECK((*out)[0].entries[1].metadata == L({{"trace", "2"}}));
  }
  SECTION("plain: metadata splits streams") {
    auto out = query::RunLogQuery(ctx, sel, **pipeline, o);
    REQUIRE(out->size() == 2);
    CHECK((*out)[0].labels == L({{"job", "a"}, {"trace", "1"}}));
    CHECK((*out)[0].entries[0].metadata.empty());
  }
}

TEST_CASE("log query with an expired deadline fails with DeadlineExceeded") {
  Fixture f;
  auto ctx = MakeContext(&f.store, 0, 100 * kSec, 0);
  ctx.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  auto pipeline = ctx.build_pipeline(f.selector.stages);
  auto r = query::RunLogQuery(ctx, f.selector, **pipeline, Opts(Direction::kForward, 10));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kDeadlineExceeded);
}
