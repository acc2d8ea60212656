#include <catch2/catch.hpp>

#include "server/push/label_parser.h"

using namespace fenrir::server;
using fenrir::storage::Label;

TEST_CASE("series label strings that must parse", "[label_parser]") {
  struct Case {
    std::string in;
    std::vector<Label> want;
  };
  std::vector<Case> cases = {
      {R"({a="b", c="d"})", {{"a", "b"}, {"c", "d"}}},
      {R"({a="b",c="d",})", {{"a", "b"}, {"c", "d"}}},
      {R"(  { a = "b" }  )", {{"a", "b"}}},
      {R"({a='b'})", {{"a", "b"}}},
      {"{a=`raw \\n stays`}", {{"a", "raw \\n stays"}}},
      {R"({a="tab\there\n \"q\" \\ \x41 \u00e9 \101"})",
       {{"a", "tab\there\n \"q\" \\ A \xC3\xA9 A"}}},
      {R"({a="日本語"})", {{"a", "日本語"}}},
      {R"(foo{a="b"})", {{"__name__", "foo"}, {"a", "b"}}},
      {R"(up)", {{"__name__", "up"}}},
      {R"({})", {}},
      {R"({a=""})", {{"a", ""}}},
      {R"({a="1", a="2"})", {{"a", "1"}, {"a", "2"}}},  // duplicates are the validator's job
      {R"({__meta="x", _b9="y"})", {{"__meta", "x"}, {"_b9", "y"}}},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto r = ParseSeriesLabels(c.in);
    REQUIRE(r.ok());
    CHECK(*r == c.want);
  }
}

TEST_CASE("series label strings that must fail", "[label_parser]") {
  for (std::string bad : {
           "",
           "{",
           "{a}",
           "{a=}",
           "{a=b}",
           R"({a!="b"})",
           R"({a=~"b"})",
           R"({foo.bar="b"})",
           R"({foo-bar="b"})",
           R"({1a="b"})",
           R"({a="b" c="d"})",
           R"({a="b"} x)",
           R"({a="unterminated})",
           R"({a="bad \q escape"})",
           R"({a='it\"s'})",
           "{a=\"\xff\"}",
           R"({a="b",,})",
       }) {
    INFO(bad);
    auto r = ParseSeriesLabels(bad);
    CHECK(!r.ok());
    if (!r.ok()) CHECK(r.status().message().find("parse error") != std::string::npos);
  }
}
