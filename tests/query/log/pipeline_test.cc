// Pipeline::Build as a whole: metadata and categories, stage order, drop/keep, decolorize,
// required literals, build errors.
#include <catch2/catch.hpp>

#include "pipeline_testing.h"
#include "query/log/labels_builder.h"
#include "query/log/stage.h"

namespace fenrir::query {
namespace {

using testing::L;
using testing::Run;

TEST_CASE("structured metadata joins the labels; clashes get _extracted", "[pipeline]") {
  auto p = testing::BuildFromText("| logfmt");
  REQUIRE(p.ok());
  auto sp = (*p)->ForStream(L({{"app", "a"}, {"env", "prod"}}));
  REQUIRE(sp->Process(0, "level=info trace=t1", L({{"env", "m"}, {"trace", "meta"}})));
  CHECK(sp->Labels().ToString() ==
        R"({app="a", env="prod", env_extracted="m", level="info", trace="t1"})");
  CHECK(sp->StreamLabels().ToString() == R"({app="a", env="prod"})");
  CHECK(sp->MetadataLabels().ToString() == R"({env_extracted="m"})");
  CHECK(sp->ParsedLabels().ToString() == R"({level="info", trace="t1"})");
}

TEST_CASE("no stages leaves the entry as it is", "[pipeline]") {
  auto p = Pipeline::Build({});
  REQUIRE(p.ok());
  auto sp = (*p)->ForStream(L({{"app", "a"}}));
  REQUIRE(sp->Process(0, "line", {}));
  CHECK(sp->Line() == "line");
  CHECK(sp->Labels().ToString() == R"({app="a"})");
  CHECK((*p)->RequiredLiterals().empty());
}

TEST_CASE("drop and keep", "[pipeline]") {
  const auto stream = L({{"app", "video-meta-app"}, {"namespace", "staging"}, {"pod", "p"}});
  const char* line = R"({"level":"info","status":200,"trace_id":"t","user":{"id":"u1"}})";
  struct Case {
    const char* pipeline;
    const char* labels;
  };
  const Case cases[] = {
      {"| json | drop trace_id, user_id",
       R"({app="video-meta-app", level="info", namespace="staging", pod="p", status="200"})"},
      {R"(| json | drop level="info", status="500")",
       R"({app="video-meta-app", namespace="staging", pod="p", status="200", trace_id="t", user_id="u1"})"},
      {"| json | drop pod", R"({app="video-meta-app", level="info", namespace="staging", status="200", trace_id="t", user_id="u1"})"},
      {"| json | keep level, status, namespace", R"({level="info", namespace="staging", status="200"})"},
      {R"(| json | keep level="warn", status)", R"({status="200"})"},
  };
  for (const auto& c : cases) {
    INFO(c.pipeline);
    CHECK(Run(c.pipeline, stream, line).labels.ToString() == c.labels);
  }
  // keep never removes the error; drop can.
  CHECK(Run("| json | keep app", stream, "oops").labels.ToString() ==
        R"({__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", app="video-meta-app"})");
  CHECK(Run("| json | drop __error__, __error_details__", stream, "oops").labels.ToString() ==
        R"({app="video-meta-app", namespace="staging", pod="p"})");
  CHECK(Run(R"(| json | drop __error__="Other")", stream, "oops").labels.Has("__error__"));
}

TEST_CASE("decolorize strips ANSI sequences", "[pipeline]") {
  auto o = Run("| decolorize", L({{"job", "edge"}}),
               "\x1b[31mERROR\x1b[0m disk \x1b[1mfull\x1b[0m on /var/lib/postgresql #0");
  CHECK(o.line == "ERROR disk full on /var/lib/postgresql #0");
  CHECK(Run("| decolorize", L({{"job", "edge"}}), "plain ünïcödé").line == "plain ünïcödé");
  CHECK(Run("| decolorize", L({{"job", "edge"}}), "a\xc2\x9b" "31mb").line == "ab");
}

TEST_CASE("line filters run before parsers but not past rewrites", "[pipeline]") {
  // Moved ahead of decolorize, as Loki does: the filter sees the coloured line.
  CHECK_FALSE(Run(R"(| decolorize |= "ERROR disk")", L({{"j", "e"}}), "\x1b[31mERROR\x1b[0m disk").kept);
  CHECK(Run(R"(|= "x" | json | status >= 500 |= "y")", L({{"j", "e"}}), R"({"status":500,"m":"x y"})").kept);
}

TEST_CASE("required literals come from |= filters before rewrites", "[pipeline]") {
  struct Case {
    const char* pipeline;
    std::vector<std::string> literals;
  };
  const Case cases[] = {
      {R"(|= "a" != "b" |~ "c" |= "d")", {"a", "d"}},
      {R"(|= "a" | json |= "b")", {"a", "b"}},
      {R"(|= "a" | line_format "{{.x}}" |= "b")", {"a"}},
      {R"(|= "a" | unpack |= "b")", {"a"}},
      {R"(|= "a" or "b" |= ip("1.2.3.4") |= "")", {}},
  };
  for (const auto& c : cases) {
    INFO(c.pipeline);
    auto expr = ParseExpr(std::string("{x=\"y\"} ") + c.pipeline);
    REQUIRE(expr.ok());
    CHECK(RequiredLiteralsOf(std::get<LogSelector>(expr->node).stages) == c.literals);
  }
}

TEST_CASE("LabelsBuilder grouping follows Loki's GroupedLabels", "[labels_builder]") {
  const auto stream = L({{"app", "a"}, {"pod", "p"}});
  LabelsBuilder b(&stream);
  b.Set("level", "info");
  CHECK(b.Grouped({"level", "pod"}, false, false).ToString() == R"({level="info", pod="p"})");
  CHECK(b.Grouped({"level"}, true, false).ToString() == R"({app="a", pod="p"})");
  CHECK(b.Grouped({}, false, true).ToString() == "{}");
  b.Del("pod");
  CHECK(b.Grouped({"level", "pod"}, false, false).ToString() == R"({level="info"})");
  b.SetErr("X");
  CHECK(b.Grouped({"level"}, false, false).ToString() == R"({__error__="X", app="a", level="info"})");
  b.Reset();
  CHECK(b.Unchanged());
  CHECK(b.Materialize() == stream);
}

}  // namespace
}  // namespace fenrir::query
