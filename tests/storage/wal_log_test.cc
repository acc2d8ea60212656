// WalLog: append and replay, torn tails, truncation by seq.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "storage/test_util.h"
#include "storage/wal_log.h"

namespace fenrir::storage {
namespace {

using testing::TempDir;

std::unique_ptr<WalLog> OpenLog(const std::string& dir) {
  auto log = WalLog::Open(dir, false);
  REQUIRE(log.ok());
  return std::move(*log);
}

std::vector<std::pair<uint64_t, std::string>> ReplayAll(WalLog* log, Status* st = nullptr) {
  std::vector<std::pair<uint64_t, std::string>> out;
  Status s = log->Replay([&](uint64_t seq, std::string_view r) {
    out.emplace_back(seq, std::string(r));
    return Status::OK();
  });
  if (st) *st = s;
  else REQUIRE(s.ok());
  return out;
}

std::vector<std::string> Segments(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST_CASE("records replay in order across restarts", "[wal]") {
  TempDir dir;
  {
    auto log = OpenLog(dir.path());
    CHECK(ReplayAll(log.get()).empty());
    REQUIRE(log->StartWriting(1).ok());
    CHECK(*log->Append("one") == 1);
    CHECK(*log->Append(std::string("t\0wo", 4)) == 2);
    CHECK(*log->Append("") == 3);
  }
  auto log = OpenLog(dir.path());
  auto got = ReplayAll(log.get());
  REQUIRE(got.size() == 3);
  CHECK(got[0] == std::make_pair(uint64_t{1}, std::string("one")));
  CHECK(got[1].second == std::string("t\0wo", 4));
  CHECK(got[2].first == 3);
  CHECK(log->max_seq() == 3);
  REQUIRE(log->StartWriting(1).ok());
  CHECK(*log->Append("four") == 4);  // seqs continue past what was replayed
}

TEST_CASE("a torn or damaged tail of the last segment is cut away", "[wal]") {
  TempDir dir;
  {
    auto log = OpenLog(dir.path());
    REQUIRE(log->StartWriting(1).ok());
    REQUIRE(log->Append("kept").ok());
    REQUIRE(log->Append("torn record").ok());
  }
  auto files = Segments(dir.path());
  REQUIRE(files.size() == 1);
  const auto size = std::filesystem::file_size(files[0]);
  SECTION("short write") { REQUIRE(truncate(files[0].c_str(), size - 3) == 0); }
  SECTION("flipped byte") {
    FILE* f = fopen(files[0].c_str(), "r+b");
    fseek(f, static_cast<long>(size - 2), SEEK_SET);
    fputc('#', f);
    fclose(f);
  }
  auto log = OpenLog(dir.path());
  auto got = ReplayAll(log.get());
  REQUIRE(got.size() == 1);
  CHECK(got[0].second == "kept");
  CHECK(std::filesystem::file_size(files[0]) == 16 + 4);
  REQUIRE(log->StartWriting(log->max_seq() + 1).ok());
  CHECK(*log->Append("after") == 2);
  log.reset();
  auto again = OpenLog(dir.path());
  CHECK(ReplayAll(again.get()).size() == 2);
}

TEST_CASE("damage before the last segment is corruption", "[wal]") {
  TempDir dir;
  {
    auto log = OpenLog(dir.path());
    REQUIRE(log->StartWriting(1).ok());
    REQUIRE(log->Append("first segment").ok());
  }
  {
    auto log = OpenLog(dir.path());
    ReplayAll(log.get());
    REQUIRE(log->StartWriting(log->max_seq() + 1).ok());  // a second segment
    REQUIRE(log->Append("second segment").ok());
  }
  auto files = Segments(dir.path());
  REQUIRE(files.size() == 2);
  REQUIRE(truncate(files[0].c_str(), 10) == 0);
  auto log = OpenLog(dir.path());
  Status st;
  ReplayAll(log.get(), &st);
  CHECK(st.code() == StatusCode::kCorruption);
}

TEST_CASE("truncation deletes whole segments no record of which is needed", "[wal]") {
  TempDir dir;
  auto log = OpenLog(dir.path());
  REQUIRE(log->StartWriting(1).ok());
  const std::string big(WalLog::kSegmentBytes / 3 + 1, 'x');
  for (int i = 0; i < 7; ++i) REQUIRE(log->Append(big).ok());  // seqs 1..7, 3 segments
  CHECK(Segments(dir.path()).size() == 3);
  REQUIRE(log->Truncate(4).ok());  // segment [1,4) goes; [4,7) holds seq 4..6
  CHECK(Segments(dir.path()).size() == 2);
  REQUIRE(log->Truncate(6).ok());  // still needed: 6
  CHECK(Segments(dir.path()).size() == 2);
  REQUIRE(log->Truncate(8).ok());  // nothing needed: even the segment being written goes
  CHECK(log->disk_bytes() == 0);
  CHECK(*log->Append("next") == 8);
  log.reset();
  auto again = OpenLog(dir.path());
  auto got = ReplayAll(again.get());
  REQUIRE(got.size() == 1);
  CHECK(got[0].first == 8);
}

}  // namespace
}  // namespace fenrir::storage
