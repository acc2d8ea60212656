// Label filters: string/numeric/duration/bytes/ip comparisons, and/or, errors, absent labels.
#include <catch2/catch.hpp>

#include "pipeline_testing.h"
#include "query/log/stage_convert.h"

namespace fenrir::query {
namespace {

using testing::L;
using testing::Run;

TEST_CASE("label filters keep, drop and flag entries like Loki", "[label_filter]") {
  const storage::Labels stream = L({{"app", "minio"}});
  struct Case {
    const char* pipeline;
    const char* line;
    bool kept;
    const char* error = "";  // expected __error__ when kept
  };
  const Case cases[] = {
      {"| logfmt | status >= 500", "status=503", true},
      {"| logfmt | status >= 500", "status=200", false},
      {"| logfmt | status == 200", "status=200", true},
      {"| logfmt | status != 200", "status=200", false},
      {"| logfmt | status >= 500", "other=1", false},  // absent label: dropped
      {"| logfmt | status >= 500", "status=abc", true, "LabelFilterErr"},
      {"| logfmt | status=\"200\"", "status=200", true},
      {"| logfmt | missing=\"\"", "status=200", true},  // absent reads as ""
      {"| logfmt | status=~\"2..\"", "status=204", true},
      {"| logfmt | status=~\"2..\"", "status=2044", false},  // anchored
      {"| logfmt | status!~\"2..\"", "status=404", true},
      {"| logfmt | status=~\".*\"", "", true},
      {"| logfmt | duration > 50ms", "duration=51.2ms", true},
      {"| logfmt | duration > 50ms", "duration=0.05s", false},
      {"| logfmt | duration > 50ms", "duration=1m", true},
      {"| logfmt | duration > 50ms", "duration=fast", true, "LabelFilterErr"},
      {"| logfmt | size > 4MB", "size=4000001", true},
      {"| logfmt | size > 4MB", "size=3.9MB", false},
      {"| logfmt | size > 4MB", "size=4MiB", true},
      {"| logfmt | size > 4MB", "size=lots", true, "LabelFilterErr"},
      {"| logfmt | remote = ip(\"10.0.2.0/24\")", "remote=10.0.2.225", true},
      {"| logfmt | remote = ip(\"10.0.2.0/24\")", "remote=10.0.3.225", false},
      {"| logfmt | remote != ip(\"10.0.2.0/24\")", "remote=10.0.3.225", true},
      {"| logfmt | a > 1 and b > 1", "a=2 b=2", true},
      {"| logfmt | a > 1 and b > 1", "a=2 b=0", false},
      {"| logfmt | a > 1 or b > 1", "a=0 b=2", true},
      {"| logfmt | a > 1 or b > 1", "a=0 b=0", false},
      {"| logfmt | a > 1, b > 1", "a=2 b=2", true},
      {"| logfmt | (a > 1 or b > 1) and c=\"x\"", "a=2 c=x", true},
      {"| logfmt | (a > 1 or b > 1) and c=\"x\"", "a=2 c=y", false},
      // With an error present only string filters can drop the entry.
      {"| json | status >= 500", "not json", true, "JSONParserErr"},
      {"| json | __error__=\"\"", "not json", false},
      {"| json | __error__!=\"\"", "not json", true, "JSONParserErr"},
      {"| json | __error__=\"\"", "{\"a\":1}", true},
      {"| logfmt | status >= 500 | __error__=\"\"", "status=abc", false},
  };
  for (const auto& c : cases) {
    INFO(c.pipeline << " on " << c.line);
    auto o = Run(c.pipeline, stream, c.line);
    REQUIRE(o.kept == c.kept);
    if (o.kept) {
      const std::string* err = o.labels.Get("__error__");
      CHECK((err ? *err : std::string()) == c.error);
    }
  }
}

TEST_CASE("conversion errors carry Go's messages", "[label_filter]") {
  auto o = Run("| logfmt | status >= 500", L({{"app", "x"}}), "status=abc");
  CHECK(*o.labels.Get("__error_details__") == "strconv.ParseFloat: parsing \"abc\": invalid syntax");
  o = Run("| logfmt | d > 1s", L({{"app", "x"}}), "d=12");
  CHECK(*o.labels.Get("__error_details__") == "time: missing unit in duration \"12\"");
  o = Run("| logfmt | d > 1s", L({{"app", "x"}}), "d=12y");
  CHECK(*o.labels.Get("__error_details__") == "time: unknown unit \"y\" in duration \"12y\"");
  o = Run("| logfmt | b > 1KB", L({{"app", "x"}}), "b=12zz");
  CHECK(*o.labels.Get("__error_details__") == "unhandled size name: zz");
}

TEST_CASE("Go value parsers", "[convert]") {
  double f;
  std::string err;
  CHECK(ParseGoFloat("-3.5e2", &f, &err));
  CHECK(f == -350);
  CHECK(ParseGoFloat("+Inf", &f, &err));
  CHECK_FALSE(ParseGoFloat(" 1", &f, &err));
  CHECK_FALSE(ParseGoFloat("1_000", &f, &err));
  CHECK_FALSE(ParseGoFloat("1e999", &f, &err));
  CHECK(err == "strconv.ParseFloat: parsing \"1e999\": value out of range");
  int64_t ns;
  CHECK(ParseGoDuration("1h2m3.5s", &ns, &err));
  CHECK(ns == 3723500000000);
  CHECK(ParseGoDuration("-1.5ms", &ns, &err));
  CHECK(ns == -1500000);
  CHECK(ParseGoDuration("0", &ns, &err));
  CHECK(ParseGoDuration("3µs", &ns, &err));
  CHECK(ns == 3000);
  CHECK_FALSE(ParseGoDuration("", &ns, &err));
  CHECK(err == "time: invalid duration \"\"");
  uint64_t b;
  CHECK(ParseHumanBytes("4.5MB", &b, &err));
  CHECK(b == 4500000);
  CHECK(ParseHumanBytes("10 KiB", &b, &err));
  CHECK(b == 10240);
  CHECK(ParseHumanBytes("1,024", &b, &err));
  CHECK(b == 1024);
  CHECK_FALSE(ParseHumanBytes("-5", &b, &err));
  CHECK(err == "strconv.ParseFloat: parsing \"\": invalid syntax");
}

}  // namespace
}  // namespace fenrir::query
