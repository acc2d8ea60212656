// SampleExtractor: values per range op, unwrap conversions and errors, grouping of the series.
#include <catch2/catch.hpp>

#include "pipeline_testing.h"

namespace fenrir::query {
namespace {

using testing::L;

struct Sample {
  bool ok = false;
  double value = 0;
  std::string labels;
};

Sample Extract(const std::string& query, const storage::Labels& stream, std::string_view line) {
  auto expr = ParseExpr(query);
  INFO(query << " -> " << expr.status().message());
  REQUIRE(expr.ok());
  const auto* agg = std::get_if<RangeAggregation>(&expr->node);
  REQUIRE(agg != nullptr);
  auto ex = SampleExtractor::Build(*agg);
  INFO(ex.status().message());
  REQUIRE(ex.ok());
  auto s = (*ex)->ForStream(stream);
  Sample out;
  out.ok = s->Process(0, line, {}, &out.value);
  if (out.ok) out.labels = s->Labels().ToString();
  return out;
}

TEST_CASE("range operations extract Loki's values", "[sample_extractor]") {
  const auto app = L({{"app", "minio"}, {"pod", "m0"}});
  const std::string line = "level=info api=GetObject size=1969888 duration=10.71ms n=x";
  struct Case {
    std::string query;
    bool ok;
    double value;
    std::string labels;
  };
  const Case cases[] = {
      {R"(count_over_time({app="minio"}[5m]))", true, 1, R"({app="minio", pod="m0"})"},
      {R"(rate({app="minio"} |= "GetObject" [5m]))", true, 1, R"({app="minio", pod="m0"})"},
      {R"(rate({app="minio"} |= "PutObject" [5m]))", false, 0, ""},
      {R"(bytes_over_time({app="minio"}[5m]))", true, double(line.size()), R"({app="minio", pod="m0"})"},
      {R"(sum_over_time({app="minio"} | logfmt | unwrap size [5m]))", true, 1969888,
       R"({api="GetObject", app="minio", duration="10.71ms", level="info", n="x", pod="m0"})"},
      {R"(avg_over_time({app="minio"} | logfmt | unwrap duration(duration) [5m]) by (api))", true,
       0.01071, R"({api="GetObject"})"},
      {R"(max_over_time({app="minio"} | logfmt | unwrap bytes(size) [5m]) without (pod, level))",
       true, 1969888, R"({api="GetObject", app="minio", duration="10.71ms", n="x"})"},
      {R"(sum_over_time({app="minio"} | logfmt | unwrap missing [5m]))", false, 0, ""},
      // A failed conversion still yields a sample, with the error and the full label set.
      {R"(max_over_time({app="minio"} | logfmt | unwrap n [5m]) by (api))", true, 0,
       R"({__error__="SampleExtractionErr", __error_details__="strconv.ParseFloat: parsing \"x\": invalid syntax", api="GetObject", app="minio", duration="10.71ms", level="info", n="x", pod="m0", size="1969888"})"},
      {R"(max_over_time({app="minio"} | logfmt | unwrap n | __error__="" [5m]) by (api))", false, 0, ""},
      {R"(absent_over_time({app="minio"}[5m]))", true, 1, "{}"},
  };
  for (const auto& c : cases) {
    INFO(c.query);
    Sample s = Extract(c.query, app, line);
    REQUIRE(s.ok == c.ok);
    if (!s.ok) continue;
    CHECK(s.value == Approx(c.value));
    CHECK(s.labels == c.labels);
  }
}

TEST_CASE("sample extractors reject invalid aggregations", "[sample_extractor]") {
  RangeAggregation agg;
  agg.op = RangeOp::kSumOverTime;
  CHECK_FALSE(SampleExtractor::Build(agg).ok());
  agg.op = RangeOp::kCountOverTime;
  agg.range.unwrap = Unwrap{};
  CHECK_FALSE(SampleExtractor::Build(agg).ok());
}

}  // namespace
}  // namespace fenrir::query
