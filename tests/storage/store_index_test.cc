// Series selection, label names and values, stats: matchers, time ranges, tenant isolation.

#include <catch2/catch.hpp>

#include "storage/store.h"
#include "test_util.h"

namespace fenrir::storage {
namespace {

using testing::L;
using testing::MakeStream;
using testing::TempDir;
using testing::TestOptions;

constexpr int64_t kDay = 86'400'000'000'000;
constexpr int64_t kBase = 19'000 * kDay;  // midnight UTC

Matcher M(MatchType t, std::string n, std::string v) {
  auto m = Matcher::Make(t, std::move(n), std::move(v));
  REQUIRE(m.ok());
  return *m;
}

std::vector<std::string> Names(const std::vector<SeriesRef>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.labels.ToString());
  return out;
}

// Three streams of tenant "t" in day 0 (api, web) and day 2 (db); a decoy in tenant "u".
struct Fixture {
  TempDir dir;
  std::unique_ptr<Store> store;
  explicit Fixture(bool flush) {
    auto r = Store::Open(TestOptions(dir.path()));
    REQUIRE(r.ok());
    store = std::move(r).value();
    REQUIRE(store->Push("t",
                        {MakeStream(L({{"app", "api"}, {"env", "prod"}}),
                                    {{kBase + 100, "a1"}, {kBase + 200, "a2"}}),
                         MakeStream(L({{"app", "web"}, {"env", "dev"}, {"team", "x"}}),
                                    {{kBase + 150, "w1"}})},
                        nullptr)
                .ok());
    REQUIRE(store->Push("t", {MakeStream(L({{"app", "db"}}), {{kBase + 2 * kDay + 5, "d1"}})},
                        nullptr)
                .ok());
    REQUIRE(store->Push("u", {MakeStream(L({{"app", "api"}, {"secret", "yes"}}),
                                         {{kBase + 100, "u1"}})},
                        nullptr)
                .ok());
    if (flush) REQUIRE(store->Flush().ok());
  }
};

TEST_CASE("series selection applies each matcher type", "[index]") {
  struct Case {
    std::string name;
    std::vector<Matcher> matchers;
    std::vector<std::string> want;
  };
  const std::string api = R"({app="api", env="prod"})";
  const std::string web = R"({app="web", env="dev", team="x"})";
  const std::string db = R"({app="db"})";
  std::vector<Case> cases = {
      {"no matchers", {}, {api, db, web}},
      {"equal", {M(MatchType::kEqual, "app", "api")}, {api}},
      {"equal missing value", {M(MatchType::kEqual, "app", "nope")}, {}},
      {"not equal", {M(MatchType::kNotEqual, "app", "api")}, {db, web}},
      {"regex", {M(MatchType::kRegex, "app", "a.*|w.b")}, {api, web}},
      {"regex is anchored", {M(MatchType::kRegex, "app", "p")}, {}},
      {"not regex", {M(MatchType::kNotRegex, "app", "a.*")}, {db, web}},
      {"missing label reads empty", {M(MatchType::kEqual, "team", "")}, {api, db}},
      {"regex matching empty", {M(MatchType::kRegex, "env", "prod|")}, {api, db}},
      {"intersection",
       {M(MatchType::kRegex, "app", ".+"), M(MatchType::kEqual, "env", "dev")},
       {web}},
      {"not equal on other label",
       {M(MatchType::kEqual, "app", "api"), M(MatchType::kNotEqual, "env", "prod")},
       {}},
  };
  for (bool flush : {false, true}) {
    Fixture f(flush);
    for (const auto& c : cases) {
      INFO(c.name << " flushed=" << flush);
      auto got = f.store->SelectSeries("t", c.matchers, kBase, kBase + 3 * kDay);
      REQUIRE(got.ok());
      CHECK(Names(*got) == c.want);
    }
  }
}

TEST_CASE("selection, labels and stats honour the time range", "[index]") {
  const std::string api = R"({app="api", env="prod"})";
  const std::string web = R"({app="web", env="dev", team="x"})";
  const std::string db = R"({app="db"})";
  struct Case {
    std::string name;
    int64_t from, through;
    std::vector<std::string> series;
    std::vector<std::string> names;
    std::vector<std::string> app_values;
  };
  // Series come sorted by labels (Labels::operator<), not by their text.
  std::vector<Case> cases = {
      {"all", kBase, kBase + 3 * kDay, {api, db, web}, {"app", "env", "team"}, {"api", "db", "web"}},
      {"day 0 only", kBase, kBase + kDay, {api, web}, {"app", "env", "team"}, {"api", "web"}},
      {"day 1 (empty)", kBase + kDay, kBase + 2 * kDay, {}, {}, {}},
      {"day 2 only", kBase + 2 * kDay, kBase + 3 * kDay, {db}, {"app"}, {"db"}},
      {"before everything", kBase - kDay, kBase, {}, {}, {}},
      {"inside day 0 before web", kBase, kBase + 150, {api}, {"app", "env"}, {"api"}},
      // Overlap is decided per block (as Loki does per chunk): api's block spans [100, 200].
      {"inside day 0 at web", kBase + 150, kBase + 151, {api, web}, {"app", "env", "team"},
       {"api", "web"}},
      {"after api and web", kBase + 201, kBase + kDay, {}, {}, {}},
      {"huge range", 0, INT64_MAX, {api, db, web}, {"app", "env", "team"}, {"api", "db", "web"}},
  };
  for (bool flush : {false, true}) {
    Fixture f(flush);
    for (const auto& c : cases) {
      INFO(c.name << " flushed=" << flush);
      auto series = f.store->SelectSeries("t", {}, c.from, c.through);
      REQUIRE(series.ok());
      CHECK(Names(*series) == c.series);
      auto names = f.store->LabelNames("t", {}, c.from, c.through);
      REQUIRE(names.ok());
      CHECK(*names == c.names);
      auto values = f.store->LabelValues("t", "app", {}, c.from, c.through);
      REQUIRE(values.ok());
      CHECK(*values == c.app_values);
      auto stats = f.store->Stats("t", {}, c.from, c.through);
      REQUIRE(stats.ok());
      CHECK(stats->size() == c.series.size());
    }
  }
}

TEST_CASE("label values and names with matchers", "[index]") {
  Fixture f(true);
  auto values = f.store->LabelValues("t", "env", {M(MatchType::kNotEqual, "app", "api")}, kBase,
                                     kBase + 3 * kDay);
  REQUIRE(values.ok());
  CHECK(*values == std::vector<std::string>{"dev"});
  auto names =
      f.store->LabelNames("t", {M(MatchType::kEqual, "app", "db")}, kBase, kBase + 3 * kDay);
  REQUIRE(names.ok());
  CHECK(*names == std::vector<std::string>{"app"});
  auto none = f.store->LabelValues("t", "missing", {}, kBase, kBase + 3 * kDay);
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("stats count entries, bytes and chunks from metadata", "[index]") {
  for (bool flush : {false, true}) {
    Fixture f(flush);
    INFO("flushed " << flush);
    auto stats = f.store->Stats("t", {M(MatchType::kEqual, "app", "api")}, kBase, kBase + kDay);
    REQUIRE(stats.ok());
    REQUIRE(stats->size() == 1);
    CHECK((*stats)[0].entries == 2);
    CHECK((*stats)[0].bytes == 4);
    CHECK((*stats)[0].chunks == 1);
    CHECK((*stats)[0].series.labels == L({{"app", "api"}, {"env", "prod"}}));
  }
  // A second block plus an open head: three chunks.
  Fixture f(true);
  Labels api = L({{"app", "api"}, {"env", "prod"}});
  REQUIRE(f.store->Push("t", {MakeStream(api, {{kBase + 300, "a3"}})}, nullptr).ok());
  REQUIRE(f.store->Flush().ok());
  REQUIRE(f.store->Push("t", {MakeStream(api, {{kBase + 400, "a4!"}})}, nullptr).ok());
  auto stats = f.store->Stats("t", {M(MatchType::kEqual, "app", "api")}, kBase, kBase + kDay);
  REQUIRE(stats.ok());
  REQUIRE(stats->size() == 1);
  CHECK((*stats)[0].chunks == 3);
  CHECK((*stats)[0].entries == 4);
  CHECK((*stats)[0].bytes == 4 + 2 + 3);
}

TEST_CASE("tenants are isolated", "[index]") {
  for (bool flush : {false, true}) {
    Fixture f(flush);
    INFO("flushed " << flush);
    auto u = f.store->SelectSeries("u", {}, kBase, kBase + 3 * kDay);
    REQUIRE(u.ok());
    CHECK(Names(*u) == std::vector<std::string>{R"({app="api", secret="yes"})"});
    auto names = f.store->LabelNames("t", {}, kBase, kBase + 3 * kDay);
    REQUIRE(names.ok());
    CHECK(std::find(names->begin(), names->end(), "secret") == names->end());
    auto none = f.store->SelectSeries("nobody", {}, kBase, kBase + 3 * kDay);
    REQUIRE(none.ok());
    CHECK(none->empty());
    // Reading tenant u's series id under tenant t yields nothing.
    Labels ul = L({{"app", "api"}, {"secret", "yes"}});
    auto it = f.store->Entries("t", {ul.Hash(), ul}, kBase, kBase + kDay, Direction::kForward, {});
    CHECK(!it->Valid());
  }
}

TEST_CASE("a tenant id with a NUL byte is rejected", "[index]") {
  TempDir dir;
  auto r = Store::Open(TestOptions(dir.path()));
  REQUIRE(r.ok());
  PushResult res;
  Status s = (*r)->Push(std::string_view("a\0b", 3), {MakeStream(L({{"a", "b"}}), {{1, "x"}})}, &res);
  CHECK(s.code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace fenrir::storage
