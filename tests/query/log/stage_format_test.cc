// line_format and label_format (needs the template engine).
#include <catch2/catch.hpp>

#include "pipeline_testing.h"

namespace fenrir::query {
namespace {

using testing::L;
using testing::Run;

TEST_CASE("line_format and label_format", "[format]") {
  const auto stream = L({{"app", "video-meta-app"}, {"namespace", "staging"}});
  const char* line = R"({"level":"info","method":"GET","path":"/api/videos","status":200})";
  auto o = Run(R"(| json | line_format "{{.method}} {{.path}} {{.status}} {{.missing}}")", stream, line);
  CHECK(o.line == "GET /api/videos 200 ");
  o = Run(R"(| line_format "[{{ __line__ }}]")", stream, "x");
  CHECK(o.line == "[x]");
  o = Run(R"(| json | label_format lvl=level, where="{{.namespace}}/{{.method}}")", stream, line);
  CHECK(o.labels.ToString() ==
        R"({app="video-meta-app", lvl="info", method="GET", namespace="staging", path="/api/videos", status="200", where="staging/GET"})");
  // Renames drop the source; a rename of a missing label does nothing.
  o = Run(R"(| label_format ns=namespace, x=missing)", stream, line);
  CHECK(o.labels.ToString() == R"({app="video-meta-app", ns="staging"})");
  CHECK_FALSE(testing::BuildFromText(R"(| label_format a=b, a="{{.c}}")").ok());
  CHECK_FALSE(testing::BuildFromText(R"(| label_format __error__="x")").ok());
}

}  // namespace
}  // namespace fenrir::query
