#include <catch2/catch.hpp>

#include "pipeline_testing.h"
#include "query/log/stage_line_filter.h"

namespace fenrir::query {
namespace {

using testing::L;
using testing::Run;

TEST_CASE("line filters keep or drop lines as Loki does", "[line_filter]") {
  struct Case {
    const char* pipeline;
    const char* line;
    bool kept;
  };
  const Case cases[] = {
      {R"x(|= "error")x", "an error here", true},
      {R"x(|= "error")x", "an ERROR here", false},
      {R"x(!= "error")x", "an error here", false},
      {R"x(!= "error")x", "all fine", true},
      {R"x(|= "")x", "anything", true},
      {R"x(|= "")x", "", true},
      {R"x(!= "")x", "anything", false},
      {R"x(|= "日本語")x", "ünïcödé — 日本語のログ", true},
      {R"x(|= "a" |= "b")x", "a only", false},
      {R"x(|= "a" |= "b")x", "a and b", true},
      {R"x(|~ "err.r")x", "an error", true},
      {R"x(|~ "err.r")x", "an eXXr", false},
      {R"x(!~ "INFO")x", "INFO line", false},
      {R"x(|~ "(?i)AUTHENTICATION")x", "authentication failure", true},
      {R"x(|~ "(?i)fail(ed|ure)")x", "login FAILED", true},
      {R"x(|~ "(?i)fail(ed|ure)")x", "login Failure", true},
      {R"x(|~ "(?i)fail(ed|ure)")x", "login fails", false},
      {R"x(|~ "foo|bar")x", "xbarx", true},
      {R"x(|~ "foo|bar")x", "xbazx", false},
      {R"x(|~ ".*")x", "", true},
      {R"x(|~ ".+")x", "", false},
      {R"x(|~ ".+")x", "x", true},
      {R"x(|~ "[0-9]+")x", "abc 42", true},
      {R"x(|~ "[0-9]+")x", "abc", false},
      {R"x(|~ "^abc$")x", "abc", true},
      {R"x(|~ "^abc$")x", "abcd", false},
      {R"x(|~ "a\\.b")x", "a.b", true},
      {R"x(|~ "a\\.b")x", "axb", false},
      {R"x(|= `[error]`)x", "x [error] y", true},
      {R"x(|= ip("173.234.31.186"))x", "from 173.234.31.186 port 22", true},
      {R"x(|= ip("173.234.31.186"))x", "from 173.234.31.18 port 22", false},
      {R"x(|= ip("173.234.31.0/24"))x", "from 173.234.31.7:22", true},
      {R"x(|= ip("173.234.31.0/24"))x", "from 173.234.32.7:22", false},
      {R"x(|= ip("10.0.0.1-10.0.0.9"))x", "x=10.0.0.5", true},
      {R"x(|= ip("10.0.0.1-10.0.0.9"))x", "x=10.0.0.10", false},
      {R"x(!= ip("10.0.0.1"))x", "x=10.0.0.1", false},
      {R"x(|= ip("::1"))x", "addr ::1 here", true},
      {R"x(|= ip("2001:db8::/32"))x", "client 2001:db8::68 said", true},
      {R"x(|= ip("2001:db8::/32"))x", "client 2001:db9::68 said", false},
      {R"x(|= ip("1.2.3.4"))x", "v01.2.3.4", false},
      {R"x(|= "a" or "b")x", "only b", true},
      {R"x(|= "a" or "b")x", "only c", false},
      {R"x(!= "a" or "b")x", "only b", false},
      {R"x(!= "a" or "b")x", "only c", true},
  };
  for (const auto& c : cases) {
    INFO(c.pipeline << " on " << c.line);
    CHECK(Run(c.pipeline, L({{"app", "x"}}), c.line).kept == c.kept);
  }
}

TEST_CASE("invalid line filters are build errors", "[line_filter]") {
  for (const char* p : {R"x(|= ip("not-an-ip"))", R"(|= ip("10.0.0.9-10.0.0.1"))x",
                        R"(|= ip("1.2.3.4/33"))"}) {
    INFO(p);
    auto built = testing::BuildFromText(p);
    CHECK_FALSE(built.ok());
  }
}

TEST_CASE("Loki's case-insensitive scan does not backtrack", "[line_filter]") {
  CHECK(ContainsLower("xx FAILED", "failed"));
  CHECK(ContainsLower("aab", "aab"));
  // Loki restarts the needle on a mismatch without re-examining the mismatching byte's
  // predecessor: "aab" is not found in "aaab".
  CHECK_FALSE(ContainsLower("aaab", "aab"));
  CHECK(ContainsLower("ÜBER alles", ToLowerUnicode("Über")));
  CHECK(ToLowerUnicode("ÀÉÎ ΑΒΓ АБВ") == "àéî αβγ абв");
}

TEST_CASE("regex simplification finds literal disjunctions", "[line_filter]") {
  std::vector<std::string> lits;
  bool ci, non_empty;
  REQUIRE(SimplifyRegex("foo", &lits, &ci, &non_empty));
  CHECK(lits == std::vector<std::string>{"foo"});
  REQUIRE(SimplifyRegex("(?i)fail(ed|ure)", &lits, &ci, &non_empty));
  CHECK(ci);
  CHECK(lits == std::vector<std::string>{"failed", "failure"});
  REQUIRE(SimplifyRegex(".*foo.*", &lits, &ci, &non_empty));
  CHECK(lits == std::vector<std::string>{"foo"});
  REQUIRE(SimplifyRegex("(foo|bar\\.baz)", &lits, &ci, &non_empty));
  CHECK(lits == std::vector<std::string>{"foo", "bar.baz"});
  CHECK_FALSE(SimplifyRegex("foo.*bar", &lits, &ci, &non_empty));
  CHECK_FALSE(SimplifyRegex("[0-9]+", &lits, &ci, &non_empty));
  CHECK_FALSE(SimplifyRegex("\\d+", &lits, &ci, &non_empty));
}

}  // namespace
}  // namespace fenrir::query
