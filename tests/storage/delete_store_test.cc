// Delete requests on a real store with a fake clock: exactly the matching lines disappear
// (selector, line predicate, time range), at once after the cancel period and from disk after
// a pass; cancelled requests delete nothing; statuses move received -> processed and survive
// restarts.

#include <catch2/catch.hpp>

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
constexpr int64_t kNow = 20000 * kDay + 12 * kHour;

// A stand-in for the server's compiler: `{app="<v>"}` optionally followed by `|= "<needle>"`.
Result<DeleteFilter> TinyCompiler(std::string_view query) {
  const std::string_view open = "{app=\"";
  if (query.substr(0, open.size()) != open) return Status::InvalidArgument("invalid query expression");
  size_t close = query.find("\"}");
  if (close == std::string_view::npos) return Status::InvalidArgument("invalid query expression");
  std::string app(query.substr(open.size(), close - open.size()));
  std::vector<Matcher> matchers = {*Matcher::Make(MatchType::kEqual, "app", app)};
  std::string_view rest = query.substr(close + 2);
  const std::string_view filter = " |= \"";
  if (rest.empty()) return DeleteFilter{matchers, nullptr};
  if (rest.substr(0, filter.size()) != filter || rest.back() != '"') {
    return Status::InvalidArgument("invalid query expression");
  }
  std::string needle(rest.substr(filter.size(), rest.size() - filter.size() - 1));
  return DeleteFilter::Lines(matchers, [needle](std::string_view line) {
    return line.find(needle) != std::string_view::npos;
  });
}

struct Fixture {
  TempDir dir;
  FakeClock clock{kNow};
  StoreOptions options;
  std::unique_ptr<Store> store;
  const Labels api = L({{"app", "api"}});
  const Labels web = L({{"app", "web"}});
  std::vector<Got> api_lines, web_lines;

  explicit Fixture(int64_t cancel_period) {
    options = testing::TestOptions(dir.path());
    options.clock = &clock;
    options.delete_cancel_period_ns = cancel_period;
    options.delete_compiler = TinyCompiler;
    Open();
    // Three days of both streams; every third line holds a secret. Older days persisted,
    // the newest still in the head.
    for (int d = 2; d >= 0; --d) {
      std::vector<std::pair<int64_t, std::string>> a, w;
      for (int i = 0; i < 30; ++i) {
        int64_t ts = kNow - d * kDay - 3 * kHour + i * 1'000'000'000LL;
        std::string line = "req " + std::to_string(d * 100 + i) + (i % 3 == 0 ? " secret=x" : " ok");
        a.emplace_back(ts, line);
        w.emplace_back(ts, line);
        api_lines.push_back({ts, line});
        web_lines.push_back({ts, line});
      }
      REQUIRE(store->Push("fake", {MakeStream(api, a), MakeStream(web, w)}, nullptr).ok());
      if (d > 0) REQUIRE(store->Flush().ok());
    }
  }
  void Open() {
    store.reset();
    auto s = Store::Open(options);
    REQUIRE(s.ok());
    store = std::move(*s);
  }
  std::vector<Got> Read(const Labels& l) { return ReadAll(store.get(), "fake", l, 0, kNow + 1); }
  Result<DeleteRequest> Add(std::string query, int64_t start, int64_t end) {
    auto filter = TinyCompiler(query);
    REQUIRE(filter.ok());
    return store->AddDeleteRequest("fake", std::move(query), start, end, std::move(*filter));
  }
  DeleteStatus StatusOf(const std::string& id) {
    auto list = store->DeleteRequests("fake");
    REQUIRE(list.ok());
    for (const auto& r : *list) {
      if (r.id == id) return r.status;
    }
    FAIL("request " << id << " not listed");
    return DeleteStatus::kReceived;
  }
};

std::vector<Got> Without(const std::vector<Got>& all, int64_t start, int64_t end,
                         std::string_view needle) {
  std::vector<Got> out;
  for (const auto& g : all) {
    if (g.ts >= start && g.ts <= end && g.line.find(needle) != std::string::npos) continue;
    out.push_back(g);
  }
  return out;
}

TEST_CASE("a delete request removes exactly the matching lines in its range") {
  Fixture f(kHour);
  // From the middle of the oldest day to the middle of the newest (head) day.
  const int64_t start = kNow - 2 * kDay - 3 * kHour + 10'000'000'000LL;
  const int64_t end = kNow - 3 * kHour + 20'000'000'000LL;
  auto req = f.Add("{app=\"api\"} |= \"secret\"", start, end);
  REQUIRE(req.ok());
  CHECK(req->id.size() == 8);
  CHECK(f.StatusOf(req->id) == DeleteStatus::kReceived);
  const std::vector<Got> expected = Without(f.api_lines, start, end, "secret");
  REQUIRE(expected.size() < f.api_lines.size());

  // Inside the cancel period nothing changes, and a pass leaves the request alone.
  CHECK(f.Read(f.api) == f.api_lines);
  auto early = f.store->RunMaintenance();
  REQUIRE(early.ok());
  CHECK(early->delete_requests_processed == 0);
  CHECK(f.StatusOf(req->id) == DeleteStatus::kReceived);

  // Past the cancel period the lines are hidden at once, before any pass.
  f.clock.Advance(kHour);
  CHECK(f.Read(f.api) == expected);
  CHECK(f.Read(f.web) == f.web_lines);

  auto report = f.store->RunMaintenance();
  REQUIRE(report.ok());
  CHECK(report->delete_requests_processed == 1);
  CHECK(report->entries_deleted == f.api_lines.size() - expected.size());
  CHECK(report->blocks_rewritten >= 3);
  CHECK(f.StatusOf(req->id) == DeleteStatus::kProcessed);
  CHECK(f.Read(f.api) == expected);
  CHECK(f.Read(f.api).size() == expected.size());
  CHECK(f.Read(f.web) == f.web_lines);
  auto backward = ReadAll(f.store.get(), "fake", f.api, 0, kNow + 1, Direction::kBackward);
  CHECK(backward.size() == expected.size());

  // Processed requests cannot be cancelled; processing survives a restart.
  CHECK(f.store->CancelDeleteRequest("fake", req->id).code() == StatusCode::kInvalidArgument);
  f.Open();
  CHECK(f.StatusOf(req->id) == DeleteStatus::kProcessed);
  CHECK(f.Read(f.api) == expected);
}

TEST_CASE("a delete request without line filter removes the whole range of the stream") {
  Fixture f(0);
  const int64_t start = kNow - kDay - 3 * kHour;  // all of the middle day
  const int64_t end = kNow - kDay;
  auto req = f.Add("{app=\"web\"}", start, end);
  REQUIRE(req.ok());
  auto report = f.store->RunMaintenance();
  REQUIRE(report.ok());
  CHECK(report->blocks_deleted == 1);
  CHECK(f.Read(f.web) == Without(f.web_lines, start, end, ""));
  CHECK(f.Read(f.api) == f.api_lines);
  // The emptied day no longer lists the stream.
  auto series = f.store->SelectSeries("fake", {}, (DayOf(start)) * kDay, (DayOf(start) + 1) * kDay);
  REQUIRE(series.ok());
  REQUIRE(series->size() == 1);
  CHECK(series->front().labels == f.api);
}

TEST_CASE("a cancelled delete request removes nothing") {
  Fixture f(kHour);
  auto req = f.Add("{app=\"api\"} |= \"req\"", 0, kNow);
  REQUIRE(req.ok());
  REQUIRE(f.store->CancelDeleteRequest("fake", req->id).ok());
  CHECK(f.store->CancelDeleteRequest("fake", req->id).code() == StatusCode::kNotFound);
  CHECK(f.store->CancelDeleteRequest("other", "nope").code() == StatusCode::kNotFound);
  f.clock.Advance(2 * kHour);
  CHECK(f.Read(f.api) == f.api_lines);
  auto report = f.store->RunMaintenance();
  REQUIRE(report.ok());
  CHECK(report->delete_requests_processed == 0);
  CHECK(report->entries_deleted == 0);
  CHECK(f.Read(f.api) == f.api_lines);
  auto list = f.store->DeleteRequests("fake");
  REQUIRE(list.ok());
  CHECK(list->empty());
}

TEST_CASE("pending delete requests survive a restart and are processed after it") {
  Fixture f(kHour);
  auto a = f.Add("{app=\"api\"} |= \"secret\"", 0, kNow);
  REQUIRE(a.ok());
  f.clock.Advance(30 * 60 * 1'000'000'000LL);
  auto b = f.Add("{app=\"web\"}", kNow - kDay, kNow);
  REQUIRE(b.ok());
  f.Open();
  auto list = f.store->DeleteRequests("fake");
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].id == a->id);  // oldest first
  CHECK((*list)[0].query == "{app=\"api\"} |= \"secret\"");
  CHECK((*list)[1].id == b->id);
  CHECK((*list)[1].start_ns == kNow - kDay);
  f.clock.Advance(40 * 60 * 1'000'000'000LL);  // a is past its cancel period, b is not
  REQUIRE(f.store->RunMaintenance().ok());
  CHECK(f.StatusOf(a->id) == DeleteStatus::kProcessed);
  CHECK(f.StatusOf(b->id) == DeleteStatus::kReceived);
  CHECK(f.Read(f.api) == Without(f.api_lines, 0, kNow, "secret"));
  CHECK(f.Read(f.web) == f.web_lines);
}

}  // namespace
}  // namespace fenrir::storage
