#include <catch2/catch.hpp>

#include "server/http/params.h"

using namespace fenrir::server;

namespace {
constexpr int64_t kSec = 1'000'000'000;
const int64_t kNow = 1'700'000'000LL * kSec;

Form MakeForm(const std::string& query) {
  Form f;
  REQUIRE(f.AddEncoded(query).ok());
  return f;
}
}  // namespace

TEST_CASE("timestamps follow Loki's parseTimestamp", "[params]") {
  struct Case {
    std::string in;
    int64_t want;
  };
  std::vector<Case> cases = {
      {"", 42},
      {"1700000000", 1700000000LL * kSec},
      {"4000000000", 4000000000LL * kSec},  // 10 digits: seconds (year 2096)
      {"1700000000123456789", 1700000000123456789LL},
      {"17000000001", 17000000001LL},  // 11 digits: ns
      {"1700000000.5", 1700000000LL * kSec + 500'000'000},
      {"1700000000.1234", 1700000000LL * kSec + 123'000'000},  // fraction rounded to ms
      {"2023-11-14T22:13:20Z", 1700000000LL * kSec},
      {"2023-11-14T22:13:20.25Z", 1700000000LL * kSec + 250'000'000},
      {"2023-11-14T23:13:20+01:00", 1700000000LL * kSec},
      {"0", 0},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto r = ParseTimestamp(c.in, 42);
    REQUIRE(r.ok());
    CHECK(*r == c.want);
  }
  auto bad = ParseTimestamp("not-a-number", 0);
  REQUIRE(!bad.ok());
  CHECK(bad.status().message() == "strconv.ParseInt: parsing \"not-a-number\": invalid syntax");
}

TEST_CASE("durations are float seconds or Prometheus durations", "[params]") {
  struct Case {
    std::string in;
    int64_t want;
  };
  std::vector<Case> cases = {
      {"15", 15 * kSec},        {"0.5", kSec / 2},          {"14.000000", 14 * kSec},
      {"15s", 15 * kSec},       {"1m30s", 90 * kSec},       {"250ms", kSec / 4},
      {"1h", 3600 * kSec},      {"1d", 86400 * kSec},       {"1w", 7 * 86400 * kSec},
      {"1y", 365 * 86400 * kSec}, {"-5", -5 * kSec},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto r = ParseSecondsOrDuration(c.in);
    REQUIRE(r.ok());
    CHECK(*r == c.want);
  }
  for (std::string bad : {"1.5s", "abc", "", "1s1h"}) {
    INFO(bad);
    auto r = ParseSecondsOrDuration(bad);
    REQUIRE(!r.ok());
    CHECK(r.status().message() == "cannot parse \"" + bad + "\" to a valid duration");
  }
}

TEST_CASE("form parsing merges body and URL values like Go ParseForm", "[params]") {
  HttpRequest req;
  req.method = "POST";
  req.target = "/loki/api/v1/series?match[]=%7Ba%3D%22b%22%7D&limit=5";
  req.SetHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  req.body = "limit=7&match%5B%5D=%7Bc%3D%22d+e%22%7D";
  auto form = Form::Parse(req);
  REQUIRE(form.ok());
  CHECK(form->Get("limit") == "7");  // body first
  CHECK(form->GetAll("match[]") == std::vector<std::string>{"{c=\"d e\"}", "{a=\"b\"}"});
  CHECK(form->Get("absent").empty());

  req.target = "/x?q=%zz";
  auto bad = Form::Parse(req);
  REQUIRE(!bad.ok());
  CHECK(bad.status().message() == "invalid URL escape \"%zz\"");
}

TEST_CASE("query_range parameters and their errors", "[params]") {
  auto ok = ParseRangeQuery(MakeForm("query=%7Ba%3D%22b%22%7D&start=1700000000&end=1700003600"
                                     "&direction=FORWARD&limit=10"),
                            kNow);
  REQUIRE(ok.ok());
  CHECK(ok->query == "{a=\"b\"}");
  CHECK(ok->limit == 10);
  CHECK(ok->direction == fenrir::storage::Direction::kForward);
  CHECK(ok->step_ns == 14 * kSec);  // floor(3600/250)

  auto defaults = ParseRangeQuery(MakeForm("query=x"), kNow);
  REQUIRE(defaults.ok());
  CHECK(defaults->end_ns == kNow);
  CHECK(defaults->start_ns == kNow - 3600 * kSec);
  CHECK(defaults->limit == 100);
  CHECK(defaults->direction == fenrir::storage::Direction::kBackward);

  auto since = ParseRangeQuery(MakeForm("since=5m"), kNow);
  REQUIRE(since.ok());
  CHECK(since->start_ns == kNow - 300 * kSec);
  CHECK(since->step_ns == kSec);  // at least 1s

  struct Bad {
    std::string query;
    std::string message;
  };
  std::vector<Bad> bad = {
      {"start=abc", "could not parse 'start' parameter: strconv.ParseInt: parsing \"abc\": "
                    "invalid syntax"},
      {"end=abc", "could not parse 'end' parameter: strconv.ParseInt: parsing \"abc\": invalid "
                  "syntax"},
      // model.ParseDuration of prometheus/common v0.43.0, which Loki 2.9 vendors
      {"since=1.5h", "could not parse 'since' parameter: unknown unit \".\" in duration \"1.5h\""},
      {"since=1h5m1h", "could not parse 'since' parameter: not a valid duration string: "
                       "\"1h5m1h\""},
      {"start=20&end=10", "end timestamp must not be before or equal to start time"},
      {"limit=0", "limit must be a positive value"},
      {"limit=-3", "limit must be a positive value"},
      {"limit=abc", "strconv.Atoi: parsing \"abc\": invalid syntax"},
      {"direction=sideways", "invalid direction 'sideways'"},
      {"step=0", "zero or negative query resolution step widths are not accepted. Try a positive "
                 "integer"},
      {"step=1.5s", "cannot parse \"1.5s\" to a valid duration"},
      {"start=0&end=100000&step=1", "exceeded maximum resolution of 11,000 points per time "
                                    "series. Try increasing the value of the step parameter"},
      {"interval=-1", "interval must be >= 0"},
  };
  for (const auto& b : bad) {
    INFO(b.query);
    auto r = ParseRangeQuery(MakeForm(b.query), kNow);
    REQUIRE(!r.ok());
    CHECK(r.status().message() == b.message);
  }
  // equal start and end is accepted despite the message
  CHECK(ParseRangeQuery(MakeForm("start=10&end=10"), kNow).ok());
}

TEST_CASE("instant query parameters", "[params]") {
  auto r = ParseInstantQuery(MakeForm("query=vector(1)%2Bvector(1)&time=4000000000"), kNow);
  REQUIRE(r.ok());
  CHECK(r->query == "vector(1)+vector(1)");
  CHECK(r->time_ns == 4000000000LL * kSec);
  auto def = ParseInstantQuery(MakeForm(""), kNow);
  REQUIRE(def.ok());
  CHECK(def->time_ns == kNow);
}
