// Regression tests for fuzzing findings in the server's parsers (docs/fuzzing.md): timestamps
// whose nanoseconds overflow int64 were signed-overflow UB; now they are 400s (InvalidArgument).
// Reproducers: tests/fuzz/crashes/{http_params,push_json,push_proto}/.

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "push.pb.h"
#include "server/rfc3339.h"
#include "server/config_units.h"
#include "server/http/params.h"
#include "server/push/push_request.h"

namespace fenrir::server {
namespace {

constexpr int64_t kSec = 1'000'000'000;

std::string ReadReproducer(const std::string& rel) {
  std::string path = std::string(FENRIR_SOURCE_DIR) + "/tests/fuzz/crashes/" + rel;
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_CASE("timestamps past int64 nanoseconds are InvalidArgument", "[params]") {
  struct Case {
    std::string in;
    std::string error;
  };
  std::vector<Case> cases = {
      // start-int-seconds-overflow: ten digits are seconds.
      {"9999999999", "strconv.ParseInt: parsing \"9999999999\": value out of range"},
      {"-999999999", ""},  // in range: 1938
      {"9223372037", "strconv.ParseInt: parsing \"9223372037\": value out of range"},
      // start-float-seconds-overflow
      {"17934993491200.1", "strconv.ParseFloat: parsing \"17934993491200.1\": value out of range"},
      {"9223372036.5", "strconv.ParseFloat: parsing \"9223372036.5\": value out of range"},
      {"-9223372036.5", "strconv.ParseFloat: parsing \"-9223372036.5\": value out of range"},
      {"1e300.", "strconv.ParseInt: parsing \"1e300.\": invalid syntax"},
      // time-rfc3339-year-9999 (RFC3339 failing, Loki reports the ParseInt error)
      {"9999-12-31T23:59:59Z",
       "strconv.ParseInt: parsing \"9999-12-31T23:59:59Z\": invalid syntax"},
      {"2262-04-12T00:00:00Z",
       "strconv.ParseInt: parsing \"2262-04-12T00:00:00Z\": invalid syntax"},
      {"1677-09-21T00:00:00Z",
       "strconv.ParseInt: parsing \"1677-09-21T00:00:00Z\": invalid syntax"},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    auto r = ParseTimestamp(c.in, 0);
    if (c.error.empty()) {
      CHECK(r.ok());
      continue;
    }
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(r.status().message() == c.error);
  }
  // The last representable values still parse.
  auto last_s = ParseTimestamp("9223372036", 0);
  REQUIRE(last_s.ok());
  CHECK(*last_s == 9223372036LL * kSec);
  auto last_f = ParseTimestamp("9223372035.999", 0);
  REQUIRE(last_f.ok());
  CHECK(*last_f == 9223372035LL * kSec + 999'000'000);
  auto last_t = ParseRfc3339("2262-04-11T23:47:16.854775807Z");
  REQUIRE(last_t.ok());
  CHECK(*last_t == std::numeric_limits<int64_t>::max());
  CHECK_FALSE(ParseRfc3339("2262-04-11T23:47:16.854775808Z").ok());
  CHECK(ParseRfc3339("9999-12-31T23:59:59Z").status().message() ==
        "parsing time \"9999-12-31T23:59:59Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse");
}

TEST_CASE("durations, sizes and times at the int64 edges do not overflow", "[params]") {
  // 2^63 ns and NaN seconds used to be converted to int64.
  for (const char* in : {"9223372036.854775808", "1e300", "NaN", "-9223372037"}) {
    INFO(in);
    CHECK_FALSE(ParseSecondsOrDuration(in).ok());
  }
  auto d = ParseSecondsOrDuration("9223372036");
  REQUIRE(d.ok());
  CHECK(*d == 9223372036LL * kSec);
  for (const char* in : {"18446744073709551616", "16777216TB", "1e400"}) {
    INFO(in);
    CHECK_FALSE(ParseByteSize(in).ok());
  }
  auto size = ParseByteSize("1TB");
  REQUIRE(size.ok());
  CHECK(*size == 1024ULL * 1024 * 1024 * 1024);
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  CHECK(FormatRfc3339(kMin) == "1677-09-21T00:12:43Z");
  CHECK(FormatRfc3339Nano(kMin) == "1677-09-21T00:12:43.145224192Z");
  CHECK(FormatRfc3339(-1) == "1969-12-31T23:59:59Z");
  auto back = ParseRfc3339("1677-09-21T00:12:43.145224192Z");
  REQUIRE(back.ok());
  CHECK(*back == kMin);
}

TEST_CASE("query parameters with overflowing timestamps are rejected", "[params]") {
  for (const char* rel :
       {"http_params/start-int-seconds-overflow", "http_params/start-float-seconds-overflow",
        "http_params/time-rfc3339-year-9999"}) {
    INFO(rel);
    Form form;
    REQUIRE(form.AddEncoded(ReadReproducer(rel)).ok());
    constexpr int64_t kNow = 1'793'491'200'000'000'000;
    if (form.Has("time")) {
      CHECK_FALSE(ParseInstantQuery(form, kNow).ok());
    } else {
      CHECK_FALSE(ParseRangeQuery(form, kNow).ok());
    }
  }
}

TEST_CASE("push bodies with overflowing timestamps are InvalidArgument", "[push]") {
  RawPush legacy;
  Status st = DecodeLegacyJsonPush(ReadReproducer("push_json/legacy-ts-year-9999"), &legacy);
  CHECK(st.code() == StatusCode::kInvalidArgument);

  RawPush proto;
  st = DecodeProtoPush(ReadReproducer("push_proto/timestamp-seconds-overflow"), &proto);
  CHECK(st.code() == StatusCode::kInvalidArgument);

  struct Case {
    int64_t seconds;
    int32_t nanos;
    bool ok;
    int64_t want;
  };
  std::vector<Case> cases = {
      {1'700'000'000, 5, true, 1'700'000'000 * kSec + 5},
      {9'223'372'036, 854'775'807, true, std::numeric_limits<int64_t>::max()},
      {9'223'372'036, 854'775'808, false, 0},
      {9'223'372'037, 0, false, 0},
      {-9'223'372'036, -854'775'808, true, std::numeric_limits<int64_t>::min()},
      {std::numeric_limits<int64_t>::max(), 0, false, 0},
      {std::numeric_limits<int64_t>::min(), 0, false, 0},
  };
  for (const auto& c : cases) {
    INFO(c.seconds << "s " << c.nanos << "ns");
    logproto::PushRequest req;
    auto* entry = req.add_streams()->add_entries();
    entry->mutable_timestamp()->set_seconds(c.seconds);
    entry->mutable_timestamp()->set_nanos(c.nanos);
    entry->set_line("x");
    RawPush out;
    st = DecodeProtoPush(req.SerializeAsString(), &out);
    REQUIRE(st.ok() == c.ok);
    if (c.ok) CHECK(out.streams.at(0).entries.at(0).timestamp_ns == c.want);
  }
}

}  // namespace
}  // namespace fenrir::server
