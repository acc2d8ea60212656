// Each row is what Prometheus' model.LabelName.IsValid answers (legacy, ASCII-only rule).
#include "base/label_name.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace fenrir {
namespace {

TEST_CASE("IsValidLabelName follows the Prometheus label name rule", "[label_name]") {
  struct Case {
    std::string name;
    bool valid;
  };
  const std::vector<Case> cases = {
      {"app", true},         {"_", true},          {"__name__", true},   {"Level2", true},
      {"a_b_C_9", true},     {"", false},          {"2xx", false},       {"a-b", false},
      {"a.b", false},        {"a b", false},       {"a:b", false},       {"caf\xc3\xa9", false},
      {"../etc", false},     {"a\n", false},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(IsValidLabelName(c.name) == c.valid);
  }
}

}  // namespace
}  // namespace fenrir
