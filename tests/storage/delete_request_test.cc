// Delete request record codec, key layout and the delete filter iterator.

#include <catch2/catch.hpp>

#include "storage/delete_iterator.h"
#include "storage/delete_request.h"
#include "storage/keys.h"
#include "storage/merge_iterator.h"
#include "storage/test_util.h"

namespace fenrir::storage {
namespace {

TEST_CASE("delete request records round-trip") {
  DeleteRequest r;
  r.id = "0badcafe";
  r.tenant = "team-a";
  r.query = "{app=\"x\"} |= \"secret\"";
  r.start_ns = -5;
  r.end_ns = 1'700'000'000'000'000'000;
  r.created_ns = 42;
  r.status = DeleteStatus::kProcessed;
  r.processed_ns = 43;
  std::string enc;
  EncodeDeleteRequest(r, &enc);
  DeleteRequest back;
  REQUIRE(DecodeDeleteRequest(enc, &back).ok());
  CHECK(back.id == r.id);
  CHECK(back.tenant == r.tenant);
  CHECK(back.query == r.query);
  CHECK(back.start_ns == r.start_ns);
  CHECK(back.end_ns == r.end_ns);
  CHECK(back.created_ns == r.created_ns);
  CHECK(back.status == r.status);
  CHECK(back.processed_ns == r.processed_ns);
  CHECK(DeleteStatusName(back.status) == "processed");
}

TEST_CASE("malformed delete request records are corruption") {
  DeleteRequest r;
  r.id = "1";
  std::string enc;
  EncodeDeleteRequest(r, &enc);
  std::vector<std::string> bad = {"", enc.substr(0, enc.size() - 1), enc + "x", "\x02" + enc.substr(1)};
  std::string bad_status = enc;
  bad_status[bad_status.size() - 9] = 7;
  bad.push_back(bad_status);
  for (const auto& b : bad) {
    DeleteRequest out;
    CHECK(DecodeDeleteRequest(b, &out).code() == StatusCode::kCorruption);
  }
}

TEST_CASE("delete request keys sort outside every tenant's partitions") {
  const std::string key = DeleteRequestKey("t", "abc");
  CHECK(key.rfind(DeleteRequestPrefix(), 0) == 0);
  std::string_view tenant, rest;
  int64_t day;
  char tag;
  REQUIRE(ParseIndexKey(key, &tenant, &day, &tag, &rest));
  CHECK(tenant.empty());
  CHECK(tag == 'D');
  CHECK(key < PartitionPrefix("a", 0));
}

TEST_CASE("the delete filter iterator hides exactly the deleted entries") {
  auto block = std::make_shared<DecodedBlock>();
  for (int i = 0; i < 10; ++i) block->Append(i, i % 2 ? "odd" : "even", Labels());
  MergeSource src;
  src.min_ts = 0;
  src.max_ts = 9;
  src.block = block;
  std::vector<MergeSource> sources;
  sources.push_back(src);
  std::vector<DeleteSpan> spans = {
      {2, 6, [](int64_t, std::string_view line, const Labels&) { return line == "odd"; }},
      {9, 9, nullptr}};
  auto it = NewDeleteFilterIterator(NewMergeIterator(std::move(sources), 0, 100, Direction::kForward),
                                    spans);
  std::vector<int64_t> got;
  for (; it->Valid(); it->Next()) got.push_back(it->Timestamp());
  CHECK(got == std::vector<int64_t>{0, 1, 2, 4, 6, 7, 8});
}

}  // namespace
}  // namespace fenrir::storage
