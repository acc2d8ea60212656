#include <catch2/catch.hpp>

#include "shared_dir.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "query/syntax/parser.h"

namespace fenrir::query {
namespace {

// Every non-error query of the conformance corpus (conformance/queries.txt), plus Loki's
// documented examples and grammar corners.
const std::vector<std::string> kMustParse = {
    // conformance corpus
    R"q({job="loghub", system="openssh"})q",
    R"q({system=~"open.*"})q",
    R"q({job="loghub", system!="apache", host="host-1"})q",
    R"q({job="loghub", system!~"h.*|a.*|[m-z].*"})q",
    R"q({job="loghub"} |= "error")q",
    R"q({job="loghub", system="hdfs"} != "INFO")q",
    R"q({job="loghub"} |~ "(?i)fail(ed|ure)")q",
    R"q({job="loghub", system="spark"} !~ "INFO")q",
    R"q({job="loghub"} |= "error" != "corrected" |~ "[0-9]+")q",
    R"q({job="loghub", system="apache"} |= `[error]`)q",
    R"q({job="loghub", system="openssh"} |= ip("173.234.31.186"))q",
    R"q({job="loghub", system="openssh"} |= ip("173.234.31.0/24"))q",
    R"q({job="edge"} |= "日本語")q",
    R"q({job="edge", kind="mixed"} |= "")q",
    R"q({app="video-meta-app", namespace="production"} | json)q",
    R"q({app="video-meta-app"} | json | status >= 500)q",
    R"q({app="video-meta-app"} | json code="status", uid="user.id", plan="user[\"plan\"]")q",
    R"q({app="video-meta-app"} | json | duration_ms > 100 and method="POST")q",
    R"q({app="video-meta-app"} | json | duration_ms > 500 or status = 404)q",
    R"q({app="video-meta-app"} | json | path=~"/api/videos/[0-9]+" | status=~"4..")q",
    R"q({app="video-meta-app"} | json | status != 200 | status >= 400 | status < 500)q",
    R"q({app="video-meta-app"} | json | user_plan="team" | line_format "{{.user_id}} {{.path}}")q",
    R"q({job="edge", kind="mixed"} | json | __error__="")q",
    R"q({job="edge", kind="mixed"} | json | __error__!="")q",
    R"q({app="minio"} | logfmt)q",
    R"q({app="minio"} | logfmt | duration > 50ms)q",
    R"q({app="minio"} | logfmt | size > 4MB)q",
    R"q({job="edge", kind="mixed"} |= "logfmt" | logfmt)q",
    R"q({app="minio"} | logfmt | remote = ip("10.0.2.0/24"))q",
    R"q({app="ingress-nginx"} | pattern `<ip> - - [<_>] "<method> <path> <_>" <status> <bytes> "<_>" "<ua>" <rt>` | status >= 400)q",
    R"q({app="ingress-nginx"} | pattern `<app> <_>`)q",
    R"q({app="ingress-nginx"} | regexp `(?P<ip>\S+) .* "(?P<method>\w+) (?P<path>\S+)` | method="DELETE")q",
    R"q({app="video-meta-app", namespace="staging"} | unpack)q",
    R"q({app="video-meta-app"} | json | level="error" | line_format "{{.method}} {{.path}} {{.status}} {{.error}}")q",
    R"q({app="video-meta-app"} | json | line_format "{{ .level | ToUpper }} {{ .msg | trunc 7 }} {{ .path | replace \"/api\" \"\" }}")q",
    R"q({job="loghub", system="zookeeper"} | line_format "[{{ __line__ }}]")q",
    R"q({app="video-meta-app"} | json | line_format "{{ if eq .level \"error\" }}E{{ else }}-{{ end }} {{.status}}")q",
    R"q({app="video-meta-app"} | json | label_format lvl=level, where="{{.namespace}}/{{.method}}")q",
    R"q({app="minio"} | logfmt | label_format operation=api)q",
    R"q({app="video-meta-app"} | json | drop trace_id, user_id, bytes)q",
    R"q({app="video-meta-app"} | json | drop level="info")q",
    R"q({app="video-meta-app"} | json | keep level, status, namespace)q",
    R"q({job="edge"} |= "\x1b" | decolorize)q",
    R"q(count_over_time({job="loghub"}[5m]))q",
    R"q(rate({app="video-meta-app", namespace="staging"}[1m]))q",
    R"q(bytes_over_time({job="loghub", system=~"a.*"}[15m]))q",
    R"q(bytes_rate({app="minio"}[5m]))q",
    R"q(sum by (namespace) (sum_over_time({app="video-meta-app"} | json | unwrap duration_ms [5m])))q",
    R"q(avg_over_time({app="video-meta-app"} | json | unwrap duration_ms [5m]) by (namespace))q",
    R"q(max_over_time({app="video-meta-app"} | json | unwrap duration_ms [10m]) by (path))q",
    R"q(min_over_time({app="video-meta-app"} | json | keep namespace, pod, bytes | unwrap bytes [10m]) without (pod))q",
    R"q(stddev_over_time({app="video-meta-app"} | json | unwrap duration_ms [15m]) by (namespace))q",
    R"q(stdvar_over_time({app="video-meta-app"} | json | unwrap duration_ms [15m]) by (namespace))q",
    R"q(quantile_over_time(0.95, {app="video-meta-app"} | json | unwrap duration_ms | __error__="" [10m]) by (namespace))q",
    R"q(first_over_time({app="minio"} | logfmt | unwrap size [10m]) by (api))q",
    R"q(last_over_time({app="minio"} | logfmt | unwrap size [10m]) by (api))q",
    R"q(sum by (api) (sum_over_time({app="minio"} | logfmt | unwrap bytes(size) [10m])))q",
    R"q(avg_over_time({app="minio"} | logfmt | unwrap duration(duration) [10m]) by (api))q",
    R"q(sum_over_time({job="edge"} | json | unwrap n [1h]))q",
    R"q(absent_over_time({job="does-not-exist"}[5m]))q",
    R"q(sum by (api) (rate({app="minio"} | logfmt | unwrap size [1m])))q",
    R"q(sum by (namespace) (rate_counter({app="video-meta-app"} | json | msg="cache stats" | keep namespace, hits | unwrap hits [10m])))q",
    R"q(count_over_time({job="loghub", system="hdfs"}[5m] offset 10m))q",
    R"q(sum by (namespace, status) (count_over_time({app="video-meta-app"} |= "POST" | json | status >= 400 [5m])))q",
    R"q(count_over_time({app="video-meta-app", namespace="production"}[30s]))q",
    R"q(sum by (system) (count_over_time({job="loghub"}[10m])))q",
    R"q(sum without (pod, job, container) (count_over_time({app="video-meta-app"}[10m])))q",
    R"q(sum(rate({app="video-meta-app"} |= "error" [5m])) by (namespace))q",
    R"q(avg(count_over_time({job="loghub"}[10m])))q",
    R"q(max by (host) (count_over_time({job="loghub"}[10m])) - min by (host) (count_over_time({job="loghub"}[10m])))q",
    R"q(count(count_over_time({job="loghub"}[10m])))q",
    R"q(stddev by (namespace) (count_over_time({app="video-meta-app"}[10m])))q",
    R"q(stdvar(count_over_time({app="video-meta-app"}[10m])))q",
    R"q(topk(3, sum by (path) (count_over_time({app="video-meta-app"} | json [10m]))))q",
    R"q(bottomk(2, sum by (system) (count_over_time({job="loghub"}[10m]))))q",
    R"q(sort(sum by (system) (count_over_time({job="loghub"}[1h]))))q",
    R"q(sort_desc(sum by (system) (count_over_time({job="loghub"}[1h]))))q",
    R"q(sum by (level, method) (count_over_time({app="video-meta-app"} | json [10m])))q",
    R"q(sum by (__error__) (count_over_time({job="edge"} | json [30m])))q",
    R"q(sum by (level) (count_over_time({app="video-meta-app"} | json | keep level [10m])))q",
    R"q(sum by (verb) (count_over_time({app="video-meta-app"} | json | label_format verb=method [10m])))q",
    R"q(sum(rate({app="video-meta-app"} | json | status >= 500 [5m])) / sum(rate({app="video-meta-app"}[5m])))q",
    R"q(sum by (namespace) (count_over_time({app="video-meta-app"} | json | status >= 400 [10m])) / sum by (namespace) (count_over_time({app="video-meta-app"}[10m])))q",
    R"q(sum by (system) (count_over_time({job="loghub"}[10m])) * 100)q",
    R"q(sum by (system) (count_over_time({job="loghub"}[10m])) > 100)q",
    R"q(sum by (system) (count_over_time({job="loghub"}[10m])) > bool 100)q",
    R"q(sum by (namespace) (count_over_time({app="video-meta-app"}[10m])) and sum by (namespace) (count_over_time({app="video-meta-app", namespace="staging"}[10m])))q",
    R"q(sum by (namespace) (count_over_time({app="video-meta-app", namespace="staging"}[10m])) or sum by (namespace) (count_over_time({app="minio"}[10m])))q",
    R"q(sum by (namespace) (count_over_time({app="video-meta-app"}[10m])) unless sum by (namespace) (count_over_time({app="video-meta-app", namespace="staging"}[10m])))q",
    R"q(sum by (namespace, pod) (count_over_time({app="video-meta-app"}[10m])) / on (namespace) group_left sum by (namespace) (count_over_time({app="video-meta-app"}[10m])))q",
    R"q(sum by (namespace, container) (count_over_time({app="video-meta-app"}[10m])) - ignoring (container) sum by (namespace) (count_over_time({app="video-meta-app", namespace="production"}[10m])))q",
    R"q(vector(1) + vector(1))q",
    R"q(1 + 2 * 3)q",
    R"q(vector(2) * 3)q",
    R"q(sum(count_over_time({job="loghub", system="mac"}[30m])) % 7 ^ 2)q",
    R"q(label_replace(sum by (path) (count_over_time({app="video-meta-app"} | json [10m])), "endpoint", "$1", "path", "/api/([a-z]+).*"))q",
    R"q(sum by (system) (count_over_time({job="loghub"}[1h])))q",
    R"q({app="video-meta-app", namespace="staging"} |= "POST")q",
    R"q(sum by (namespace) (rate({app="video-meta-app"}[10m])))q",
    R"q(topk(5, sum by (path, method) (count_over_time({app="video-meta-app"} | json [30m]))))q",
    R"q({job="loghub", system=~"h.*"})q",
    R"q({app=~".+", namespace="production"})q",
    // Loki documentation examples and grammar corners
    R"q({container="query-frontend",namespace="loki-dev"} |= "metrics.go" | logfmt | duration > 10s and throughput_mb < 500)q",
    R"q({app="foo"} | logfmt --strict --keep-empty)q",
    R"q({app="foo"} | logfmt --strict host, msg="message")q",
    R"q({app="foo"} | json first_server="servers[0]", ua="request.headers[\"User-Agent\"]")q",
    R"q({app="foo"} | level="error" or (status >= 500, method!="GET") or size > 1KiB)q",
    R"q({app="foo"} | a="1" b="2" c="3")q",
    R"q({app="foo"} | x > 1.5e3 | y <= 0.25 | z == 42 | d >= 1m30s | e < 1.5h | f != 250ms)q",
    R"q({app="foo"} | b > 20MB | c <= 1KiB | d == 5kB | e != 1.5GB)q",
    R"q({app="foo"} | addr != ip("192.168.0.0/16"))q",
    R"q({app="foo"} |> "<_> error <_>" !> "<_> debug <_>")q",
    R"q({app="foo"} |= "a" or "b" or "c" != "d")q",
    R"q({app="foo"} | drop __error__, __error_details__, level=~"debug|info")q",
    R"q({app="foo"} | keep level, host!="x")q",
    R"q({app="foo"} | label_format a=b, c="{{.d}}", e=f)q",
    R"q({app="foo"} # a comment
       |= "x")q",
    R"q(rate({app="foo"}[5m] offset 1h))q",
    R"q(rate({app="foo"}[5m] offset -1h30m))q",
    R"q(count_over_time({app="foo"}[5m] | json | level="error"))q",
    R"q(count_over_time({app="foo"}[5m] offset 5m |= "x"))q",
    R"q(sum_over_time({app="foo"}[5m] | logfmt | unwrap latency))q",
    R"q(sum_over_time({app="foo"}[5m] | unwrap latency))q",
    R"q(count_over_time(({app="foo"} |= "x")[5m]))q",
    R"q(count_over_time(({app="foo"} |= "x" [5m])))q",
    R"q(count_over_time((({app="foo"})[5m])))q",
    R"q(rate({app="foo"} | logfmt | unwrap duration_seconds(latency) | __error__="" | latency > 1 [1d]))q",
    R"q(sum_over_time({app="foo"} | json | unwrap bytes(size) [1w]))q",
    R"q(count_over_time({app="foo"}[1y]))q",
    R"q(count_over_time({app="foo"}[1h30m]))q",
    R"q(max_over_time({app="foo"} | json | unwrap x [5m]) without ())q",
    R"q(sum by () (count_over_time({app="foo"}[5m])))q",
    R"q(sum without (a) (count_over_time({app="foo"}[5m])))q",
    R"q(count by (a, b) (rate({app="foo"}[5m])))q",
    R"q(topk by (a) (10, rate({app="foo"}[5m])))q",
    R"q(bottomk(3, rate({app="foo"}[5m])) by (a))q",
    R"q(sort_desc by () (rate({app="foo"}[5m])))q",
    R"q(rate({app="foo"}[5m]) / on (a, b) group_right (c) rate({app="bar"}[5m]))q",
    R"q(rate({app="foo"}[5m]) * ignoring (a) group_left () rate({app="bar"}[5m]))q",
    R"q(rate({app="foo"}[5m]) == on () rate({app="bar"}[5m]))q",
    R"q(rate({app="foo"}[5m]) >= bool -1)q",
    R"q(2 ^ 3 ^ 2)q",
    R"q(-1 + +2 - -3)q",
    R"q((((1))))q",
    R"q(rate({app="foo"}[5m]) < 1 or rate({app="foo"}[5m]) > 5 and vector(1) unless vector(0))q",
    R"q(label_replace(rate({app="foo"}[5m]), "dst", "$1-$2", "src", "(.*)-(.*)"))q",
    R"q(({app="foo"}))q",
    R"q(sum(count_over_time({app="foo"}[5m])) by (level) / ignoring(level) group_left sum(count_over_time({app="foo"}[5m])))q",
    R"q({app="foo"} | json | duration > -5s)q",
    R"q({app="foo"} | json | x > -3)q",
    R"q(count_over_time({app="foo"} /* inline */ [5m]))q",
    R"q({a="\u00e9\101\x41\n\t\\"})q",
};

TEST_CASE("Every valid query parses, prints, re-parses and prints identically", "[parser]") {
  for (const auto& q : kMustParse) {
    INFO(q);
    auto e1 = ParseExpr(q);
    REQUIRE(e1.ok());
    std::string p1 = Print(*e1);
    INFO(p1);
    auto e2 = ParseExpr(p1);
    REQUIRE(e2.ok());
    CHECK(Print(*e2) == p1);
  }
}

TEST_CASE("Every prefix of a valid query parses or fails with InvalidArgument", "[parser]") {
  for (const auto& q : kMustParse) {
    for (size_t n = 0; n < q.size(); ++n) {
      auto e = ParseExpr(q.substr(0, n));
      if (!e.ok()) {
        INFO(q.substr(0, n));
        REQUIRE(e.status().code() == StatusCode::kInvalidArgument);
        REQUIRE(e.status().message().rfind("parse error ", 0) == 0);
      }
    }
  }
}

TEST_CASE("The conformance corpus parses except its error queries", "[parser]") {
  std::ifstream in(fenrir::testing::SharedDir() + "/conformance/queries.txt");
  REQUIRE(in.good());
  std::string line;
  int parsed = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
    if (cols.size() < 4 || cols[3].empty()) continue;
    if (cols[1] != "range" && cols[1] != "instant") continue;
    INFO(line);
    bool is_err = cols[0].rfind("err-", 0) == 0 && cols[0] != "err-bad-step";
    auto e = ParseExpr(cols[3]);
    CHECK(e.ok() != is_err);
    if (e.ok()) {
      auto again = ParseExpr(Print(*e));
      REQUIRE(again.ok());
      CHECK(Print(*again) == Print(*e));
    }
    ++parsed;
  }
  CHECK(parsed > 90);
}

struct FailCase {
  std::string query;
  std::string fragment;
};

const std::vector<FailCase> kMustFail = {
    {R"q({job="loghub")q", "parse error at line 1, col 14: syntax error: unexpected $end, expecting } or ,"},
    {R"q({job!="loghub"})q", "parse error : queries require at least one regexp or equality matcher that does not have an empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but app=~\".+\" will"},
    {R"q({job=~"("})q", "parse error : error parsing regexp: missing closing ): `^(?:()$`"},
    {R"q(sum_over_time({app="minio"}[5m]))q", "parse error : invalid aggregation sum_over_time without unwrap"},
    {R"q({app=~".*"})q", "at least one regexp or equality matcher"},
    {R"q({app=""})q", "at least one regexp or equality matcher"},
    {R"q({})q", "at least one regexp or equality matcher"},
    {R"q(count_over_time({a=""}[5m]))q", "at least one regexp or equality matcher"},
    {R"q(count_over_time({app="a"} | json | unwrap x [5m]))q", "invalid aggregation count_over_time with unwrap"},
    {R"q(bytes_rate({app="a"} | unwrap x [5m]))q", "invalid aggregation bytes_rate with unwrap"},
    {R"q(avg_over_time({app="a"}[5m]))q", "invalid aggregation avg_over_time without unwrap"},
    {R"q(quantile_over_time({app="a"} | unwrap x [5m]))q", "parameter required for operation quantile_over_time"},
    {R"q(rate(0.5, {app="a"}[5m]))q", "parameter 0.5 not supported for operation rate"},
    {R"q(count_over_time({app="a"}[5m]) by (x))q", "grouping not allowed for count_over_time aggregation"},
    {R"q(sum_over_time({app="a"} | unwrap x [5m]) by (x))q", "grouping not allowed for sum_over_time aggregation"},
    {R"q(topk(sum(rate({app="a"}[5m]))))q", "parameter required for operation topk"},
    {R"q(topk(0, rate({app="a"}[5m])))q", "invalid parameter (must be greater than 0) topk(0"},
    {R"q(topk(1.5, rate({app="a"}[5m])))q", "invalid parameter topk(1.5,"},
    {R"q(sum(3, rate({app="a"}[5m])))q", "unsupported parameter for operation sum(3,"},
    {R"q(sort by (a) (rate({app="a"}[5m])))q", "sort and sort_desc doesn't allow grouping by"},
    {R"q({app="a"} + 1)q", "unexpected type for left leg of binary operation (+): *syntax.MatchersExpr"},
    {R"q(1 + {app="a"} |= "x")q", "unexpected type for right leg of binary operation (+): *syntax.PipelineExpr"},
    {R"q({app="a"} or {app="b"})q", "unexpected type for left leg of binary operation (or)"},
    {R"q(1 and rate({app="a"}[5m]))q", "unexpected literal for left leg of logical/set binary operation (and): 1.000000"},
    {R"q(rate({app="a"}[5m]) unless 2)q", "unexpected literal for right leg of logical/set binary operation (unless)"},
    {R"q(sum({app="a"}))q", "syntax error: unexpected )"},
    {R"q({app="a"}[5m])q", "syntax error: unexpected RANGE"},
    {R"q(rate({app="a"}))q", "syntax error: unexpected )"},
    {R"q(rate({app="a"}[5x]))q", "unknown unit \"x\" in duration \"5x\""},
    {R"q(rate({app="a"}[5m))q", "missing closing ']' in duration"},
    {R"q({app="a"} | unwrap x)q", "syntax error: unexpected unwrap"},
    {R"q({app="a"} | json | unwrap x | json [5m])q", "syntax error"},
    {R"q(count_over_time({app="a"} | unwrap x | json [5m]))q", "syntax error: unexpected |"},
    {R"q({app="a"} | regexp "(")q", "invalid regexp parser"},
    {R"q({app="a"} | regexp "no captures")q", "at least one named capture must be supplied"},
    {R"q({app="a"} | pattern "no captures")q", "at least one capture is required"},
    {R"q({app="a"} | pattern "<a><b>")q", "found consecutive capture '<a><b>'"},
    {R"q({app="a"} | pattern "<a> <a>")q", "duplicate capture name (a)"},
    {R"q({app="a"} | x=~"(")q", "error parsing regexp"},
    {R"q({app="a"} | x > "5")q", "syntax error"},
    {R"q({app="a"} | x =~ 5)q", "syntax error"},
    {R"q({app="a"} | size > 5b)q", "syntax error: unexpected $end"},
    {R"q({app="a"} |= 5)q", "syntax error: unexpected NUMBER"},
    {R"q({app="a" |= "x")q", "syntax error: unexpected |=, expecting } or ,"},
    {R"q({app="a",})q", "syntax error: unexpected }, expecting IDENTIFIER"},
    {R"q({app})q", "syntax error: unexpected }"},
    {R"q({app="a"} | json foo=bar)q", "syntax error: unexpected IDENTIFIER, expecting STRING"},
    {R"q({app="a"} | label_format a)q", "syntax error: unexpected $end, expecting ="},
    {R"q({app="a"} | line_format)q", "syntax error: unexpected $end, expecting STRING"},
    {R"q({app="a"} |)q", "syntax error: unexpected $end"},
    {R"q(sum by (a) (rate({app="a"}[5m])) by (b))q", "syntax error: unexpected by"},
    {R"q(rate({app="a"}[5m]) / group_left rate({app="a"}[5m]))q", "syntax error: unexpected group_left"},
    {R"q(-vector(1))q", "syntax error: unexpected VECTOR, expecting NUMBER"},
    {R"q(vector(x))q", "syntax error: unexpected IDENTIFIER, expecting NUMBER"},
    {R"q(label_replace(rate({app="a"}[5m]), "d", "r", "s", "("))q", "invalid regex in label_replace"},
    {R"q(label_replace(rate({app="a"}[5m]), "d", "r", "s"))q", "syntax error: unexpected ), expecting ,"},
    {R"q({app="a\q"})q", "invalid char escape"},
    {R"q({app="a)q", "literal not terminated"},
    {R"q(rate({app="a"}[5m]) +)q", "syntax error: unexpected $end"},
    {R"q(1 +)q", "syntax error: unexpected $end"},
    {"", "syntax error: unexpected $end"},
    {R"q({app="a"} {app="b"})q", "syntax error: unexpected {"},
    {R"q(sum by (a,) (rate({app="a"}[5m])))q", "syntax error: unexpected ), expecting IDENTIFIER"},
    {std::string(6000, ' ') + R"q({app="a"})q", "parse error : input size too long (6009 > 5120)"},
};

TEST_CASE("Invalid queries fail with Loki's messages", "[parser]") {
  for (const auto& c : kMustFail) {
    INFO(c.query);
    auto e = ParseExpr(c.query);
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().code() == StatusCode::kInvalidArgument);
    INFO(e.status().message());
    CHECK(e.status().message().find(c.fragment) != std::string::npos);
  }
}

TEST_CASE("Syntax errors report the line and column of the offending token", "[parser]") {
  auto e = ParseExpr("{app=\"a\"}\n  | json\n  | foo bar");
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().message().rfind("parse error at line 3, col 9: syntax error: unexpected "
                                   "IDENTIFIER", 0) == 0);
}

TEST_CASE("ParseSelector returns matchers and enforces the non-empty rule", "[parser]") {
  auto m = ParseSelector(R"q({app="a", env=~"p.*", x!="y"})q");
  REQUIRE(m.ok());
  REQUIRE(m->size() == 3);
  CHECK((*m)[1].type() == MatchType::kRegex);
  CHECK((*m)[1].value() == "p.*");
  CHECK_FALSE(ParseSelector(R"q({x!="y"})q").ok());
  CHECK_FALSE(ParseSelector(R"q({app="a"} |= "x")q").ok());
  CHECK_FALSE(ParseSelector(R"q(rate({app="a"}[5m]))q").ok());
}

}  // namespace
}  // namespace fenrir::query
