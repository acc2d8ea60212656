#include "query/template/template.h"

#include <catch2/catch.hpp>

#include <map>
#include <string>

using fenrir::query::Template;
using fenrir::query::TemplateData;

namespace {

using Labels = std::map<std::string, std::string, std::less<>>;

struct Run {
  bool ok;
  std::string out;  // output or error message
};

Run Exec(std::string_view text, const Labels& labels = {}, std::string_view line = "",
         int64_t ts = 0) {
  auto t = Template::Parse(text);
  if (!t.ok()) return {false, t.status().message()};
  TemplateData d;
  d.lookup = [&](std::string_view name) -> const std::string* {
    auto it = labels.find(name);
    return it == labels.end() ? nullptr : &it->second;
  };
  d.each = [&](const std::function<void(std::string_view, std::string_view)>& f) {
    for (const auto& [k, v] : labels) f(k, v);
  };
  d.line = line;
  d.timestamp_ns = ts;
  auto r = t->Execute(d);
  if (!r.ok()) return {false, r.status().message()};
  return {true, *r};
}

struct Case {
  std::string tmpl;
  Labels labels;
  std::string want;
};

void CheckOk(const std::vector<Case>& cases, std::string_view line = "", int64_t ts = 0) {
  for (const auto& c : cases) {
    INFO("template: " << c.tmpl);
    Run r = Exec(c.tmpl, c.labels, line, ts);
    INFO("got: " << r.out);
    REQUIRE(r.ok);
    CHECK(r.out == c.want);
  }
}

}  // namespace

TEST_CASE("conformance templates render like Loki") {
  Labels l = {{"method", "GET"},      {"path", "/api/v1/users"}, {"status", "200"},
              {"level", "error"},     {"msg", "connection refused"},
              {"namespace", "prod"}};
  CheckOk({
      {"{{.method}} {{.path}} {{.status}} {{.error}}", l, "GET /api/v1/users 200 "},
      {"{{ .level | ToUpper }} {{ .msg | trunc 7 }} {{ .path | replace \"/api\" \"\" }}", l,
       "ERROR connect /v1/users"},
      {"{{ if eq .level \"error\" }}E{{ else }}-{{ end }} {{.status}}", l, "E 200"},
      {"{{ if eq .level \"error\" }}E{{ else }}-{{ end }} {{.status}}", {{"level", "info"}}, "- "},
      {"{{.namespace}}/{{.method}}", l, "prod/GET"},
  });
  CheckOk({{"[{{ __line__ }}]", {}, "[2015-07-29 INFO zookeeper]"}}, "2015-07-29 INFO zookeeper");
}

TEST_CASE("text, trim markers, comments and literals") {
  CheckOk({
      {"hello", {}, "hello"},
      {"a {{- \" b \" -}} c", {}, "a b c"},
      {"a  {{- /* note */ -}}  b", {}, "ab"},
      {"x{{/* c */}}y", {}, "xy"},
      {"{{ \"q\\t\\\"\\u00e9\" }}", {}, "q\t\"\xC3\xA9"},
      {"{{ `raw\\n` }}", {}, "raw\\n"},
      {"{{ 'a' }} {{ 1.5 }} {{ 1e6 }} {{ 0x10 }} {{ -3 }} {{ true }}", {}, "97 1.5 1e+06 16 -3 true"},
      {"{{ 3.0 }} {{ 0.000012 }} {{ 123456789.0 }}", {}, "3 1.2e-05 1.23456789e+08"},
      {"{{ .missing }}|{{ .a }}", {{"a", "x"}}, "|x"},
      {"{{ . }}", {{"a", "1"}, {"b", "2"}}, "map[a:1 b:2]"},
  });
}

TEST_CASE("control structures") {
  Labels l = {{"a", "1"}, {"b", ""}, {"level", "warn"}};
  CheckOk({
      {"{{if .a}}yes{{end}}", l, "yes"},
      {"{{if .b}}yes{{else}}no{{end}}", l, "no"},
      {"{{if eq .level \"error\"}}E{{else if eq .level \"warn\"}}W{{else}}I{{end}}", l, "W"},
      {"{{with .a}}[{{.}}]{{end}}", l, "[1]"},
      {"{{with .b}}[{{.}}]{{else}}none{{end}}", l, "none"},
      {"{{range $i, $v := fromJson \"[1,2,3]\"}}{{$i}}={{$v}};{{end}}", l, "0=1;1=2;2=3;"},
      {"{{range fromJson \"[]\"}}x{{else}}empty{{end}}", l, "empty"},
      {"{{range $k, $v := fromJson `{\"b\":1,\"a\":\"x\"}`}}{{$k}}:{{$v}} {{end}}", l, "a:x b:1 "},
      {"{{range fromJson \"[1,2,3,4]\"}}{{if eq . 3.0}}{{break}}{{end}}{{.}}{{end}}", l, "12"},
      {"{{range fromJson \"[1,2,3]\"}}{{if eq . 2.0}}{{continue}}{{end}}{{.}}{{end}}", l, "13"},
      {"{{$x := .a}}{{$x = \"2\"}}{{$x}}", l, "2"},
      {"{{with $x := .a}}{{$x}}{{$}}{{end}}", {{"a", "v"}}, "vmap[a:v]"},
      {"{{define \"t\"}}<{{.}}>{{end}}{{template \"t\" .a}}", l, "<1>"},
      {"{{block \"b\" .a}}[{{.}}]{{end}}", l, "[1]"},
      {"{{ (fromJson `{\"x\":{\"y\":\"deep\"}}`).x.y }}", l, "deep"},
      {"{{ $m := fromJson `{\"k\":\"v\"}` }}{{ $m.k }} {{ index $m \"k\" }}", l, "v v"},
      {"{{ (fromJson `{}`).nope }}", l, "<no value>"},
  });
}

TEST_CASE("builtin functions") {
  Labels l = {{"a", "abc"}, {"n", "5"}};
  CheckOk({
      {"{{and 1 0 2}} {{or 0 \"\" \"x\"}} {{not true}}", l, "0 x false"},
      {"{{len .a}} {{index .a 1}} {{slice .a 1 2}}", l, "3 98 b"},
      {"{{print 1 2 \"a\" \"b\" 3}}", l, "1 2ab3"},
      {"{{println 1 \"a\"}}", l, "1 a\n"},
      {"{{printf \"%s-%d-%v-%q-%x\" .a 42 1.5 .a 255}}", l, "abc-42-1.5-\"abc\"-ff"},
      {"{{printf \"%.2f|%5s|%-5s|%05d|%+d\" 3.14159 .a .a 42 7}}", l, "3.14|  abc|abc  |00042|+7"},
      {"{{printf \"%d\" .a}}", l, "%!d(string=abc)"},
      {"{{printf \"%d %d\" 1}}", l, "1 %!d(MISSING)"},
      {"{{printf \"%d\" 1 2}}", l, "1%!(EXTRA int=2)"},
      {"{{printf \"%t %v %T %e %g\" true nil 1 1234.5678 0.5}}", l,
       "true <nil> int 1.234568e+03 0.5"},
      {"{{eq .a \"x\" \"abc\"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt \"b\" \"a\"}} {{ge 1.5 2.5}}", l,
       "true true true true true false"},
      {"{{html \"<a href='x'>&\"}}", l, "&lt;a href=&#39;x&#39;&gt;&amp;"},
      {"{{js \"it's <b>\"}}", l, "it\\'s \\u003Cb\\u003E"},
      {"{{urlquery \"a b&c\"}}", l, "a+b%26c"},
      {"{{ .a | printf \"%s!\" }}", l, "abc!"},
      {"{{ (print .a) | len }}", l, "3"},
  });
}

TEST_CASE("Loki string functions") {
  Labels l = {{"path", "/api/v1"}, {"s", "  hi  "}, {"m", "GET"}, {"q", "a\nb"}};
  CheckOk({
      {"{{ToLower .m}} {{ToUpper \"x\"}} {{Replace \"aaa\" \"a\" \"b\" 2}}", l, "get X bba"},
      {"{{Trim \"xxhixx\" \"x\"}} {{TrimLeft \"xxhi\" \"x\"}} {{TrimRight \"hixx\" \"x\"}}", l,
       "hi hi hi"},
      {"{{TrimPrefix .path \"/api\"}} {{TrimSuffix .path \"/v1\"}} [{{TrimSpace .s}}]", l,
       "/v1 /api [hi]"},
      {"{{lower \"HELLO\"}} {{upper \"hello\"}} {{title \"hello world\"}}", l, "hello HELLO Hello World"},
      {"{{trunc 5 \"hello world\"}} {{trunc -5 \"hello world\"}} {{trunc 50 \"hi\"}}", l,
       "hello world hi"},
      {"{{substr 0 5 \"hello world\"}} {{substr 6 11 \"hello world\"}} {{.path | substr 2 5}}", l,
       "hello world pi/"},
      {"{{if contains \"he\" \"hello\"}}y{{end}} {{hasPrefix \"he\" \"hello\"}} {{hasSuffix \"x\" \"hello\"}}",
       l, "y true false"},
      {"{{indent 2 .q}}|{{nindent 2 \"x\"}}", l, "  a\n  b|\n  x"},
      {"{{replace \"hello\" \"world\" \"hello world\"}} {{repeat 3 \"ab\"}}", l, "world world ababab"},
      {"{{trim \"  x \"}} {{trimAll \"$\" \"$5.00$\"}} {{trimPrefix \"-\" \"-hi\"}} {{trimSuffix \"-\" \"hi-\"}}",
       l, "x 5.00 hi hi"},
      {"[{{alignLeft 5 \"hi\"}}][{{alignLeft 5 \"hello world\"}}][{{alignRight 5 \"hi\"}}][{{alignRight 5 \"hello world\"}}]",
       l, "[hi   ][hello][   hi][world]"},
      {"{{regexReplaceAll \"(a*)bc\" \"xabcy\" \"${1}a\"}} {{regexReplaceAll \"a(?P<n>x*)\" \"-axx-\" \"[$n]\"}}",
       l, "xaay -[xx]-"},
      {"{{regexReplaceAllLiteral \"(ts=)\" \"ts=1\" \"$1\"}} {{regexReplaceAll \"a*\" \"baaac\" \"-\"}}", l,
       "$11 -b-c-"},
      {"{{count \"a|b\" \"abab\"}} {{count \"o\" \"foo\"}} {{ .path | count \"/\" }}", l, "4 2 2"},
      {"{{ .path | replace \" \" \"_\" | trunc 5 | upper }}", l, "/API/"},
  });
}

TEST_CASE("Loki math functions coerce like sprig") {
  Labels l = {{"a", "41"}, {"f", "2.5"}, {"x", "abc"}};
  CheckOk({
      {"{{ add .a 1 }} {{add 3 2 5}} {{sub 5 2}} {{mul 5 2 3}} {{div 10 2}} {{mod 10 3}}", l,
       "42 10 3 30 5 1"},
      {"{{ add .x 1 }} {{ add .f 1 }} {{ add 1.9 1 }}", l, "1 1 2"},
      {"{{addf 3.5 2 5}} {{subf 5.5 2 1.5}} {{mulf 5.5 2 2.5}} {{divf 10 2 4}} {{addf 1.1 2.2}}", l,
       "10.5 2 27.5 1.25 3.3"},
      {"{{max 1 2 3}} {{min 1 2 3}} {{maxf 1 2.5 3}} {{minf 1 2.5 3}}", l, "3 1 3 1"},
      {"{{ceil 123.001}} {{floor 123.9999}} {{round 123.555555 3}} {{round 123.88571428571 5 .2}}", l,
       "124 123 123.556 123.88572"},
      {"{{ \"3\" | int }} {{ \"3.5\" | float64 }} {{ .f | float64 | mulf 2 }}", l, "3 3.5 5"},
      {"{{ default \"-\" \"\" }} {{ default \"\" \"foo\" }} {{ .nope | default \"-\" }}", l, "- foo -"},
      {"{{ \"0x1F\" | int }} {{ 1000000.0 | float64 }}", l, "31 1e+06"},
  });
}

TEST_CASE("time and encoding functions") {
  const int64_t ts = 1673798889902000000;  // 2023-01-15T16:08:09.902Z
  CheckOk(
      {
          {"{{ __timestamp__ }}", {}, "2023-01-15 16:08:09.902 +0000 UTC"},
          {"{{ __timestamp__ | date \"2006-01-02T15:04:05.00Z07:00\" }}", {}, "2023-01-15T16:08:09.90Z"},
          {"{{ __timestamp__ | unixEpoch }} {{ __timestamp__ | unixEpochMillis }}", {},
           "1673798889 1673798889902"},
          {"{{ __timestamp__ | unixEpochNanos }}", {}, "1673798889902000000"},
          {"{{ __timestamp__.Format \"Mon Jan _2 3:04PM\" }} {{ __timestamp__.Unix }}", {},
           "Sun Jan 15 4:08PM 1673798889"},
          {"{{ toDate \"2006-01-02\" \"2021-11-02\" }}", {}, "2021-11-02 00:00:00 +0000 UTC"},
          {"{{ toDateInZone \"2006-01-02\" \"UTC\" \"2021-11-02\" | unixEpoch }}", {}, "1635811200"},
          {"{{ toDate \"2006-01-02\" \"garbage\" }}", {}, "0001-01-01 00:00:00 +0000 UTC"},
          {"{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2021-11-02T10:00:00+02:00\" }}", {},
           "2021-11-02 10:00:00 +0200 +0200"},
          {"{{ date \"2006-01-02\" (unixToTime \"1679577215\") }} {{ unixToTime \"19373\" | unixEpoch }}", {},
           "2023-03-23 1673827200"},
          {"{{ unixToTime \"1673798889902\" | unixEpochMillis }}", {}, "1673798889902"},
          {"{{ duration \"1h30m\" }} {{ duration_seconds \"1.5s\" }} {{ bytes \"1.5KiB\" }} {{ bytes \"2 MB\" }}",
           {}, "5400 1.5 1536 2e+06"},
          {"{{ b64enc \"hello\" }} {{ b64dec \"aGVsbG8=\" }} {{ b64dec \"!!\" }}", {},
           "aGVsbG8= hello illegal base64 data at input byte 0"},
          {"{{ urlencode \"a b/c\" }} {{ urldecode \"a+b%2Fc\" }}", {}, "a+b%2Fc a b/c"},
          {"{{ range $q := fromJson .queries }}{{ $q.query }};{{ end }}",
           {{"queries", "[{\"query\":\"up\"},{\"query\":\"rate(x)\"}]"}}, "up;rate(x);"},
      },
      "", ts);
}

TEST_CASE("execution errors are Go's") {
  struct E {
    std::string tmpl;
    Labels labels;
    std::string want;
  };
  std::vector<E> cases = {
      {"{{ eq .a 1 }}", {{"a", "x"}},
       "template: line:1:3: executing \"line\" at <eq .a 1>: error calling eq: incompatible types for comparison"},
      {"{{ lt true false }}", {}, "error calling lt: invalid type for comparison"},
      {"{{ trunc .a \"x\" }}", {{"a", "1"}}, "wrong type for value; expected int; got string"},
      {"{{ trunc \"1\" \"x\" }}", {}, "expected integer; found \"1\""},
      {"{{ .a.b }}", {{"a", "x"}}, "can't evaluate field b in type string"},
      {"{{ ToUpper 1 }}", {}, "expected string; found 1"},
      {"{{ trunc (add 1 2) \"abcdef\" }}", {}, "wrong type for value; expected int; got int64"},
      {"{{ div 1 0 }}", {}, "error calling div: runtime error: integer divide by zero"},
      {"{{ urldecode \"%zz\" }}", {}, "error calling urldecode: invalid URL escape \"%zz\""},
      {"{{ template \"nope\" }}", {}, "template \"nope\" not defined"},
      {"{{ index .a 10 }}", {{"a", "x"}}, "error calling index: index out of range: 10"},
      {"{{ regexReplaceAll \"(\" \"x\" \"y\" }}", {}, "error calling regexReplaceAll: error parsing regexp"},
      {"{{ range 5 }}{{ end }}", {}, "range can't iterate over 5"},
      {"{{ substr -1 10 \"abc\" }}", {}, "slice bounds out of range [:10] with length 3"},
      {"{{ 9999999999999999999 }}", {}, "9999999999999999999 overflows int"},
  };
  for (const auto& c : cases) {
    INFO("template: " << c.tmpl);
    Run r = Exec(c.tmpl, c.labels);
    INFO("got: " << r.out);
    CHECK_FALSE(r.ok);
    CHECK(r.out.find(c.want) != std::string::npos);
  }
}

TEST_CASE("parse errors are Go's") {
  struct P {
    std::string tmpl;
    std::string want;
  };
  std::vector<P> cases = {
      {"{{ foo }}", "template: line:1: function \"foo\" not defined"},
      {"{{ .a ", "template: line:1: unclosed action"},
      {"{{ if .a }}x", "template: line:1: unexpected EOF"},
      {"{{ end }}", "template: line:1: unexpected {{end}}"},
      {"{{ else }}", "template: line:1: unexpected {{else}}"},
      {"{{ $x }}", "template: line:1: undefined variable \"$x\""},
      {"{{ \"abc }}", "template: line:1: unterminated quoted string"},
      {"{{ ( .a }}", "template: line:1: unclosed left paren"},
      {"{{ .a ) }}", "template: line:1: unexpected right paren"},
      {"{{ break }}", "template: line:1: {{break}} outside {{range}}"},
      {"{{ .a | \"x\" }}", "template: line:1: non executable command in pipeline stage 2"},
      {"{{/* x */ .a }}", "template: line:1: comment ends before closing delimiter"},
      {"{{/* x", "template: line:1: unclosed comment"},
      {"\n{{ 3x }}", "template: line:2: bad number syntax: \"3x\""},
      {"{{ if }}{{ end }}", "template: line:1: missing value for if"},
      {"{{ 99999999999999999999 }}", "template: line:1: integer overflow"},
      {"{{ 'ab' }}", "template: line:1: malformed character constant: 'ab'"},
      {"{{ .a # }}", "unexpected \"#\" in operand"},
      {"{{define \"x\"}}a{{end}}{{define \"x\"}}b{{end}}", "template: multiple definition of template \"x\""},
  };
  for (const auto& c : cases) {
    INFO("template: " << c.tmpl);
    auto t = Template::Parse(c.tmpl);
    REQUIRE_FALSE(t.ok());
    INFO("got: " << t.status().message());
    CHECK(t.status().message().find(c.want) != std::string::npos);
  }
  for (std::string ok : {"{{ .a }}", "{{- .a -}}", "{{ $x := 1 }}{{ $x }}", "{{ (1) }}",
                         "{{ if .a }}{{ else if .b }}{{ else }}{{ end }}", "{{-3}}",
                         "{{ range $i, $e := . }}{{ end }}", "{{ __line__ | lower }}"}) {
    INFO("template: " << ok);
    CHECK(Template::Parse(ok).ok());
  }
  auto label = Template::Parse("{{ nope }}", "label");
  REQUIRE_FALSE(label.ok());
  CHECK(label.status().message() == "template: label:1: function \"nope\" not defined");
}
