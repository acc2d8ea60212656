#include "query/template.h"

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
