// json, logfmt, pattern, regexp and unpack stages, with lines and answers from Loki 2.9.9
// (conformance corpus: json-all, json-errors, json-params, logfmt-edge, pattern-conflict,
// unpack-nonpacked) and Loki's own parser tests.
#include <catch2/catch.hpp>

#include "pipeline_testing.h"

namespace fenrir::query {
namespace {

using testing::L;
using testing::Run;

const storage::Labels kApp = L({{"app", "video-meta-app"}, {"namespace", "staging"}});
const storage::Labels kEdge = L({{"job", "edge"}, {"kind", "mixed"}});

struct Case {
  const char* pipeline;
  storage::Labels stream;
  const char* line;
  const char* labels;  // expected Labels().ToString()
  const char* out_line = nullptr;  // expected Line() when it changes
};

void RunCases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO(c.pipeline << " on " << c.line);
    auto o = Run(c.pipeline, c.stream, c.line);
    REQUIRE(o.kept);
    CHECK(o.labels.ToString() == c.labels);
    CHECK(o.line == (c.out_line ? c.out_line : c.line));
  }
}

TEST_CASE("json extracts every field like Loki", "[json]") {
  RunCases({
      {"| json", kApp,
       R"({"level":"info","msg":"request completed","status":200,"duration_ms":21.14,"user":{"id":"u44","plan":"pro"},"ok":true,"none":null})",
       R"({app="video-meta-app", duration_ms="21.14", level="info", msg="request completed", namespace="staging", ok="true", status="200", user_id="u44", user_plan="pro"})"},
      // Nested arrays are skipped, the text after the object is ignored.
      {"| json", kEdge,
       R"({"level":"debug","nested":{"a":{"b":[1,2,{"c":"deep"}]}},"msg":"nested json"} #4)",
       R"({job="edge", kind="mixed", level="debug", msg="nested json"})"},
      {"| json", kEdge,
       R"({"level":"info","msg":"json with dotted.key","dotted.key":"x","n":-3.5e2} #5)",
       R"({dotted_key="x", job="edge", kind="mixed", level="info", msg="json with dotted.key", n="-3.5e2"})"},
      // Clashing names get _extracted; keys are sanitised; leading digits get '_'.
      {"| json", kApp, R"({"app":"x","namespace":{"a":"b"},"1st key":"v","é":"u"})",
       R"({_="u", _1st_key="v", app="video-meta-app", app_extracted="x", namespace="staging", namespace_a="b"})"},
      // Escapes are decoded; a value with U+FFFD becomes empty.
      {"| json", kEdge, R"({"m":"a\"b\u00e9\n","bad":"\ufffd"})",
       "{bad=\"\", job=\"edge\", kind=\"mixed\", m=\"a\\\"bé\\n\"}"},
      {"| json", kEdge, "not json at all { broken #6",
       R"({__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", job="edge", kind="mixed"})"},
      {"| json", kEdge, "",
       R"({__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", job="edge", kind="mixed"})"},
      // Fields before the error stay extracted.
      {"| json", kEdge, R"({"a":"1","b":tru})",
       R"({__error__="JSONParserErr", __error_details__="Unknown value type", a="1", job="edge", kind="mixed"})"},
      {"| json", kEdge, R"({"a":"1" "b":2})",
       R"({__error__="JSONParserErr", __error_details__="Value looks like object, but can't find closing '}' symbol", a="1", job="edge", kind="mixed"})"},
      {"| json", kEdge, R"({"a":"unterminated)",
       R"({__error__="JSONParserErr", __error_details__="Value is string, but can't find closing '\"' symbol", job="edge", kind="mixed"})"},
  });
}

TEST_CASE("json with expressions", "[json]") {
  const char* line =
      R"({"status":200,"user":{"id":"u44","plan":"pro"},"list":[10,{"x":"y"}],"esc":"a\"b","n":null})";
  RunCases({
      {R"(| json code="status", uid="user.id", plan="user[\"plan\"]")", kApp, line,
       R"({app="video-meta-app", code="200", namespace="staging", plan="pro", uid="u44"})"},
      {R"(| json a="list[0]", b="list[1].x", c="list[1]", d="missing", e="n", f="esc")", kApp, line,
       R"({a="10", app="video-meta-app", b="y", c="{\"x\":\"y\"}", d="", e="", f="a\"b", namespace="staging"})"},
      {R"(| json app="status")", kApp, line,
       R"({app="video-meta-app", app_extracted="200", namespace="staging"})"},
      {R"(| json a="status")", kApp, "plain text",
       R"({__error__="JSONParserErr", app="video-meta-app", namespace="staging"})"},
  });
  CHECK_FALSE(testing::BuildFromText(R"(| json a="list[1.5]")").ok());
}

TEST_CASE("logfmt follows Loki's decoder", "[logfmt]") {
  RunCases({
      {"| logfmt", kEdge, R"(level=warn msg="logfmt with = inside" expr="a=b" empty= flag #7)",
       R"({expr="a=b", job="edge", kind="mixed", level="warn", msg="logfmt with = inside"})"},
      {"| logfmt --keep-empty", kEdge, R"(level=warn empty= flag)",
       R"({empty="", flag="", job="edge", kind="mixed", level="warn"})"},
      {"| logfmt", L({{"app", "minio"}}),
       "level=info api=GetObject bucket=videos object=\"uploads/v220.mp4\" size=1969888 "
       "duration=10.71ms status=200 remote=10.0.2.225 app=x",
       R"({api="GetObject", app="minio", app_extracted="x", bucket="videos", duration="10.71ms", level="info", object="uploads/v220.mp4", remote="10.0.2.225", size="1969888", status="200"})"},
      {"| logfmt", kEdge, R"(a="x\"y\u00e9" b=1)", "{a=\"x\\\"yé\", b=\"1\", job=\"edge\", kind=\"mixed\"}"},
      // Non-strict parsing skips bad pairs; strict stops and reports.
      {"| logfmt", kEdge, R"(a=1 b"c=2 d=3)", R"({a="1", d="3", job="edge", kind="mixed"})"},
      {"| logfmt --strict", kEdge, R"(a=1 b"c=2 d=3)",
       R"({__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 6 : unexpected '\"'", a="1", job="edge", kind="mixed"})"},
      {"| logfmt --strict", kEdge, R"(a=1 b="unterminated)",
       R"({__error__="LogfmtParserErr", __error_details__="logfmt syntax error at pos 20 : unterminated quoted value", a="1", job="edge", kind="mixed"})"},
      {R"(| logfmt x="a", kind="b")", kEdge, R"(a=1 b=2 c=3)",
       R"({job="edge", kind="mixed", kind_extracted="2", x="1"})"},
      {R"(| logfmt x="a", y="z")", kEdge, R"(a=1)", R"({job="edge", kind="mixed", x="1", y=""})"},
  });
}

TEST_CASE("pattern captures like Loki", "[pattern]") {
  const storage::Labels nginx = L({{"app", "ingress-nginx"}});
  const char* line =
      R"(203.0.113.48 - - [01/Nov/2026:00:00:00 +0000] "GET /api/health HTTP/1.1" 200 45822 "-" "curl/8.4.0" 0.006)";
  RunCases({
      {"| pattern `<app> <_>`", nginx, line,
       R"({app="ingress-nginx", app_extracted="203.0.113.48"})"},
      {R"(| pattern `<ip> - - [<_>] "<method> <path> <_>" <status> <bytes> "<_>" "<ua>" <rt>`)",
       nginx, line,
       R"({app="ingress-nginx", bytes="45822", ip="203.0.113.48", method="GET", path="/api/health", rt="0.006", status="200", ua="curl/8.4.0"})"},
      // A missed literal captures the rest; a leading literal must match at the start.
      {"| pattern `<a> | <b>`", nginx, "x y z", R"({a="x y z", app="ingress-nginx"})"},
      {"| pattern `[<a>]`", nginx, "x [y]", R"({app="ingress-nginx"})"},
  });
  for (const char* bad : {"| pattern `<_>`", "| pattern `<a><b>`", "| pattern `<a> <a>`",
                          "| pattern `plain`"}) {
    INFO(bad);
    CHECK_FALSE(testing::BuildFromText(bad).ok());
  }
}

TEST_CASE("regexp extracts named groups", "[regexp]") {
  const storage::Labels nginx = L({{"app", "ingress-nginx"}});
  RunCases({
      {R"(| regexp `(?P<ip>\S+) .* "(?P<method>\w+) (?P<path>\S+)`)", nginx,
       R"(203.0.113.6 - - [01/Nov/2026:00:00:00 +0000] "POST /api/auth/session HTTP/1.1" 200)",
       R"({app="ingress-nginx", ip="203.0.113.6", method="POST", path="/api/auth/session"})"},
      {R"(| regexp `(?P<app>\w+)(?P<opt>x)?`)", nginx, "hello", R"({app="ingress-nginx", app_extracted="hello", opt=""})"},
      {R"(| regexp `(?P<a>\d+)`)", nginx, "no digits", R"({app="ingress-nginx"})"},
  });
  CHECK_FALSE(testing::BuildFromText(R"(| regexp `(\d+)`)").ok());
  CHECK_FALSE(testing::BuildFromText(R"(| regexp `(?P<a>`)").ok());
}

TEST_CASE("unpack replaces the line with _entry", "[unpack]") {
  RunCases({
      {"| unpack", kApp, R"({"_entry":"the \"line\"","pod":"p1","app":"a","n":1})",
       R"({app="video-meta-app", app_extracted="a", namespace="staging", pod="p1"})",
       R"(the "line")"},
      // Not packed: untouched, no labels (unpack-nonpacked).
      {"| unpack", kApp, R"({"level":"info","msg":"x"})",
       R"({app="video-meta-app", namespace="staging"})"},
      {"| unpack", kApp, "plain",
       R"({__error__="JSONParserErr", __error_details__="expecting json object(6), but it is not", app="video-meta-app", namespace="staging"})"},
      {"| unpack", kApp, "", R"({app="video-meta-app", namespace="staging"})"},
  });
}

}  // namespace
}  // namespace fenrir::query
