#include "storage/stream_head.h"

#include <catch2/catch.hpp>

namespace fenrir::storage {
namespace {

std::vector<std::pair<int64_t, std::string>> SortedOf(const StreamHead& h) {
  std::vector<std::pair<int64_t, std::string>> out;
  for (const auto& e : h.Sorted()) out.emplace_back(e.timestamp_ns, std::string(e.line));
  return out;
}

TEST_CASE("stream head appends, drops duplicates and sorts stably", "[head]") {
  StreamHead h;
  struct Step {
    int64_t ts;
    std::string line;
    bool accepted;
  };
  std::vector<Step> steps = {
      {10, "a", true}, {5, "b", true},  {10, "a", false}, {10, "c", true},
      {5, "b", false}, {5, "a", true},  {10, "", true},   {10, "", false},
  };
  for (const auto& s : steps) {
    INFO(s.ts << " " << s.line);
    CHECK(h.Append(s.ts, s.line, {}) == s.accepted);
  }
  CHECK(h.size() == 5);
  CHECK(h.raw_bytes() == 4);
  CHECK(h.min_ts() == 5);
  CHECK(h.max_ts() == 10);
  using V = std::vector<std::pair<int64_t, std::string>>;
  CHECK(SortedOf(h) == V{{5, "b"}, {5, "a"}, {10, "a"}, {10, "c"}, {10, ""}});
  auto snap = h.Snapshot(6, 11);
  REQUIRE(snap->size() == 3);
  CHECK(snap->Line(0) == "a");
  CHECK(snap->Line(1) == "c");
  CHECK(snap->Line(2) == "");
  CHECK(h.Snapshot(11, 20)->size() == 0);
}

TEST_CASE("stream head rollback forgets entries and their duplicates", "[head]") {
  StreamHead h;
  REQUIRE(h.Append(1, "keep", {}));
  size_t mark = h.Mark();
  REQUIRE(h.Append(0, "gone", Labels({Label{"k", "v"}})));
  REQUIRE(h.Append(3, "gone too", {}));
  h.Rollback(mark);
  CHECK(h.size() == 1);
  CHECK(h.raw_bytes() == 4);
  CHECK(h.min_ts() == 1);
  CHECK(h.max_ts() == 1);
  CHECK(h.Append(0, "gone", {}));  // no longer a duplicate
  CHECK(!h.Append(1, "keep", {}));
  h.Clear();
  CHECK(h.empty());
  CHECK(h.Append(1, "keep", {}));
}

}  // namespace
}  // namespace fenrir::storage
