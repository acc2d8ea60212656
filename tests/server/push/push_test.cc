#include <catch2/catch.hpp>

#include <snappy.h>
#include <zlib.h>

#include "../fake_store.h"
#include "push.pb.h"
#include "server/push/distributor.h"
#include "server/push/push_request.h"

using namespace fenrir::server;
using fenrir::Status;
using fenrir::StatusCode;
using fenrir::storage::FakeClock;

namespace {
constexpr int64_t kSec = 1'000'000'000;
const int64_t kNow = 1'700'000'000LL * kSec;  // 2023-11-14T22:13:20Z

std::string Gzip(const std::string& in, int window_bits) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::string ProtoBody() {
  logproto::PushRequest req;
  auto* s = req.add_streams();
  s->set_labels(R"({job="p", host="h"})");
  auto* e = s->add_entries();
  e->mutable_timestamp()->set_seconds(1700000000);
  e->mutable_timestamp()->set_nanos(5);
  e->set_line("proto line");
  auto* m = e->add_structuredmetadata();
  m->set_name("trace_id");
  m->set_value("abc");
  std::string raw, out;
  req.SerializeToString(&raw);
  snappy::Compress(raw.data(), raw.size(), &out);
  return out;
}

HttpRequest PushRequest(std::string content_type, std::string body, std::string encoding = "") {
  HttpRequest r;
  r.method = "POST";
  r.target = "/loki/api/v1/push";
  if (!content_type.empty()) r.SetHeader("Content-Type", std::move(content_type));
  if (!encoding.empty()) r.SetHeader("Content-Encoding", std::move(encoding));
  r.body = std::move(body);
  return r;
}

const char* kJson =
    R"({"streams":[{"stream":{"job":"a","host":"h1"},"values":[["1700000000000000001","l1"],)"
    R"(["1700000000000000002","l2",{"trace_id":"x"}],null]},{"stream":{"job":"b"},"values":null},)"
    R"(null],"extra":{"ignored":[1,2,{"x":null}]}})";
}  // namespace

TEST_CASE("JSON v1 push decodes streams, entries and metadata", "[push]") {
  RawPush p;
  REQUIRE(DecodeJsonPush(kJson, &p).ok());
  REQUIRE(p.streams.size() == 2);
  CHECK(p.streams[0].labels == R"({host="h1", job="a"})");
  REQUIRE(p.streams[0].entries.size() == 2);
  CHECK(p.streams[0].entries[0].timestamp_ns == 1700000000000000001);
  CHECK(p.streams[0].entries[1].line == "l2");
  CHECK(p.streams[0].entries[1].metadata ==
        std::vector<fenrir::storage::Label>{{"trace_id", "x"}});
  CHECK(p.streams[1].entries.empty());
}

TEST_CASE("JSON v1 push rejects malformed bodies", "[push]") {
  for (std::string bad : {
           R"({"streams":[{"stream":{"a":"b"},"values":[[1700000000,"numeric ts"]]}]})",
           R"({"streams":[{"stream":{"a":"b"},"values":[["17x","bad ts"]]}]})",
           R"({"streams":[{"stream":{"a":1},"values":[]}]})",
           R"({"streams":[{"stream":{"a":"b"},"values":[["1","l",{"k":1}]]}]})",
           R"({"streams":[)",
           R"(not json)",
           R"({"streams":[]} trailing)",
       }) {
    INFO(bad);
    RawPush p;
    Status st = DecodeJsonPush(bad, &p);
    CHECK(!st.ok());
  }
}

TEST_CASE("JSON string escapes decode, including surrogate pairs", "[push]") {
  RawPush p;
  REQUIRE(DecodeJsonPush(
              R"({"streams":[{"stream":{"a":"b"},"values":[["1","q\"\\\/\n\u00e9\ud83d\ude00<"]]}]})",
              &p)
              .ok());
  CHECK(p.streams[0].entries[0].line == "q\"\\/\n\xC3\xA9\xF0\x9F\x98\x80<");
}

TEST_CASE("legacy JSON push", "[push]") {
  RawPush p;
  REQUIRE(DecodeLegacyJsonPush(
              R"({"streams":[{"labels":"{job=\"a\"}","entries":[{"ts":"2018-12-18T08:28:06.801064-04:00","line":"x"}]}]})",
              &p)
              .ok());
  REQUIRE(p.streams.size() == 1);
  CHECK(p.streams[0].labels == R"({job="a"})");
  CHECK(p.streams[0].entries[0].timestamp_ns == 1545136086801064000LL);
}

TEST_CASE("push bodies by content type and encoding", "[push]") {
  const size_t kMax = 1 << 20;
  {
    RawPush p;
    REQUIRE(DecodePushRequest(PushRequest("application/json; charset=utf-8", kJson), false, kMax,
                              &p)
                .ok());
    CHECK(p.streams.size() == 2);
  }
  {
    RawPush p;
    REQUIRE(DecodePushRequest(PushRequest("application/json", Gzip(kJson, 15 + 16), "gzip"),
                              false, kMax, &p)
                .ok());
    CHECK(p.streams.size() == 2);
  }
  {
    RawPush p;
    REQUIRE(DecodePushRequest(PushRequest("application/json", Gzip(kJson, -15), "deflate"),
                              false, kMax, &p)
                .ok());
    CHECK(p.streams.size() == 2);
  }
  {
    RawPush p;
    REQUIRE(DecodePushRequest(PushRequest("application/x-protobuf", ProtoBody()), false, kMax,
                              &p)
                .ok());
    REQUIRE(p.streams.size() == 1);
    CHECK(p.streams[0].labels == R"({job="p", host="h"})");
    CHECK(p.streams[0].entries[0].timestamp_ns == 1700000000LL * kSec + 5);
    CHECK(p.streams[0].entries[0].metadata ==
          std::vector<fenrir::storage::Label>{{"trace_id", "abc"}});
  }
  {
    RawPush p;
    Status st = DecodePushRequest(PushRequest("", kJson), false, kMax, &p);
    CHECK(st.message() == "mime: no media type");
  }
  {
    RawPush p;
    Status st = DecodePushRequest(PushRequest("application/json", kJson, "br"), false, kMax, &p);
    CHECK(st.message() == "Content-Encoding \"br\" not supported");
  }
  {
    RawPush p;
    Status st = DecodePushRequest(PushRequest("application/x-protobuf", "garbage"), false, kMax,
                                  &p);
    CHECK(!st.ok());
  }
  {
    // decompression bomb: a large gzip body over the cap
    RawPush p;
    std::string big(4 << 20, 'a');
    Status st = DecodePushRequest(PushRequest("application/json", Gzip(big, 15 + 16), "gzip"),
                                  false, kMax, &p);
    CHECK(!st.ok());
    CHECK(st.message().find("exceeds the limit") != std::string::npos);
  }
}

namespace {
struct Fixture {
  FakeClock clock{kNow};
  testing::FakeStore store;
  LimitsConfig limits;
  std::unique_ptr<Distributor> dist;
  void Make() { dist = std::make_unique<Distributor>(&store, limits, &clock, nullptr); }

  RawPush One(std::string labels, int64_t ts, std::string line,
              std::vector<fenrir::storage::Label> md = {}) {
    RawPush p;
    p.streams.push_back({std::move(labels), {{ts, std::move(line), std::move(md)}}});
    return p;
  }
};
}  // namespace

TEST_CASE("push validation messages (Loki 2.9 texts)", "[push]") {
  Fixture f;
  f.limits.max_line_size = 10;
  f.limits.max_label_names_per_series = 3;
  f.limits.max_label_name_length = 8;
  f.limits.max_label_value_length = 8;
  f.limits.allow_structured_metadata = false;
  f.Make();
  struct Case {
    std::string labels;
    int64_t ts;
    std::string line;
    std::vector<fenrir::storage::Label> md;
    std::string want;
  };
  std::vector<Case> cases = {
      {"{}", kNow, "x", {}, "error at least one label pair is required per stream"},
      {R"({a=""})", kNow, "x", {}, "error at least one label pair is required per stream"},
      {R"({a="1", a="2"})", kNow, "x", {},
       R"(stream '{a="1", a="2"}' has duplicate label name: 'a')"},
      {R"({a="1", b="2", c="3", d="4"})", kNow, "x", {},
       R"(entry for stream '{a="1", b="2", c="3", d="4"}' has 4 label names; limit 3)"},
      {R"({averylongname="1"})", kNow, "x", {},
       R"(stream '{averylongname="1"}' has label name too long: 'averylongname')"},
      {R"({a="averylongvalue"})", kNow, "x", {},
       R"(stream '{a="averylongvalue"}' has label value too long: 'averylongvalue')"},
      {R"({foo.bar="x"})", kNow, "x", {}, "Error parsing labels '{foo.bar=\"x\"}' with error: "},
      {R"({a="1"})", kNow - 200LL * 3600 * kSec, "x", {},
       R"(entry for stream '{a="1"}' has timestamp too old: 2023-11-06T14:13:20Z, oldest )"
       R"(acceptable timestamp is: 2023-11-07T22:13:20Z)"},
      {R"({a="1"})", kNow + 3600 * kSec, "x", {},
       R"(entry for stream '{a="1"}' has timestamp too new: 2023-11-14T23:13:20Z)"},
      {R"({a="1"})", kNow, "01234567890", {},
       R"(Max entry size '10' bytes exceeded for stream '{a="1"}' while adding an entry with )"
       R"(length '11' bytes)"},
      {R"({a="1"})", kNow, "x", {{"k", "v"}},
       "stream '{a=\"1\"}' includes structured metadata, but this feature is disallowed. Please "
       "see `limits_config.structured_metadata` or contact your Loki administrator to enable "
       "it."},
  };
  for (const auto& c : cases) {
    INFO(c.labels << " " << c.want);
    Status st = f.dist->Push("t", f.One(c.labels, c.ts, c.line, c.md));
    REQUIRE(!st.ok());
    CHECK(st.code() == StatusCode::kInvalidArgument);
    CHECK(st.message().rfind(c.want, 0) == 0);
  }
  CHECK(f.store.pushes == 0);
}

TEST_CASE("labels are canonicalized: sorted, empty values dropped", "[push]") {
  Fixture f;
  f.Make();
  REQUIRE(f.dist->Push("t", f.One(R"({z="1", a="2", e=""})", kNow, "x")).ok());
  REQUIRE(f.dist->Push("t", f.One(R"({a="2", z="1"})", kNow + 1, "y")).ok());
  CHECK(f.store.StreamCount("t") == 1);
  CHECK(f.store.Held("t", R"({a="2", z="1"})").size() == 2);
}

TEST_CASE("partial success stores valid entries and groups errors", "[push]") {
  Fixture f;
  f.Make();
  RawPush p;
  RawStream good{R"({a="1"})", {}};
  good.entries.push_back({kNow, "ok", {}});
  good.entries.push_back({kNow - 400LL * 3600 * kSec, "old", {}});
  good.entries.push_back({kNow - 400LL * 3600 * kSec, "old2", {}});
  p.streams.push_back(good);
  p.streams.push_back({"{}", {{kNow, "x", {}}}});
  Status st = f.dist->Push("t", std::move(p));
  REQUIRE(st.code() == StatusCode::kInvalidArgument);
  CHECK(st.message().rfind("2 errors like: entry for stream '{a=\"1\"}' has timestamp too old",
                           0) == 0);
  CHECK(st.message().find("; 1 errors like: error at least one label pair is required per "
                          "stream") != std::string::npos);
  CHECK(f.store.Held("t", R"({a="1"})").size() == 1);
}

TEST_CASE("line truncation instead of rejection", "[push]") {
  Fixture f;
  f.limits.max_line_size = 4;
  f.limits.max_line_size_truncate = true;
  f.Make();
  REQUIRE(f.dist->Push("t", f.One(R"({a="1"})", kNow, "abcdefgh")).ok());
  CHECK(f.store.Held("t", R"({a="1"})").at(0).line == "abcd");
}

TEST_CASE("tenant ingestion rate limit answers 429 with Loki's message", "[push]") {
  Fixture f;
  f.limits.ingestion_rate_mb = 1.0 / 1024;        // 1024 bytes/s
  f.limits.ingestion_burst_size_mb = 2.0 / 1024;  // 2048 bytes
  f.Make();
  REQUIRE(f.dist->Push("t", f.One(R"({a="1"})", kNow, std::string(1500, 'x'))).ok());
  Status st = f.dist->Push("t", f.One(R"({a="1"})", kNow + 1, std::string(1000, 'y')));
  REQUIRE(st.code() == StatusCode::kResourceExhausted);
  CHECK(st.message() ==
        "Ingestion rate limit exceeded for user t (limit: 1024 bytes/sec) while attempting to "
        "ingest '1' lines totaling '1000' bytes, reduce log volume or contact your Loki "
        "administrator to see if the limit can be increased");
  CHECK(f.store.Held("t", R"({a="1"})").size() == 1);
  // other tenants have their own bucket; time refills
  CHECK(f.dist->Push("u", f.One(R"({a="1"})", kNow, std::string(1000, 'z'))).ok());
  f.clock.Advance(2 * kSec);
  CHECK(f.dist->Push("t", f.One(R"({a="1"})", kNow + 2, std::string(1000, 'y'))).ok());
}

TEST_CASE("storage failures surface as the store's status", "[push]") {
  Fixture f;
  f.Make();
  f.store.fail_push = true;
  Status st = f.dist->Push("t", f.One(R"({a="1"})", kNow, "x"));
  CHECK(st.code() == StatusCode::kIOError);
}

TEST_CASE("decoders survive arbitrary mutations of valid bodies", "[push]") {
  std::string json_body = kJson;
  std::string proto_body = ProtoBody();
  uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1103515245 + 12345;
    return (seed >> 8) & 0xffffff;
  };
  for (int i = 0; i < 3000; ++i) {
    std::string j = json_body;
    std::string p = proto_body;
    for (int k = 0; k < 1 + static_cast<int>(next() % 4); ++k) {
      j[next() % j.size()] = static_cast<char>(next() & 0xff);
      p[next() % p.size()] = static_cast<char>(next() & 0xff);
    }
    j.resize(next() % (j.size() + 1));
    RawPush a, b, c;
    (void)DecodeJsonPush(j, &a);
    (void)DecodeLegacyJsonPush(j, &b);
    (void)DecodePushRequest(PushRequest("application/x-protobuf", p), false, 1 << 20, &c);
  }
  SUCCEED();
}

TEST_CASE("protobuf lines with invalid UTF-8 are accepted as bytes", "[push]") {
  logproto::PushRequest req;
  auto* s = req.add_streams();
  s->set_labels(R"({job="bin"})");
  auto* e = s->add_entries();
  e->mutable_timestamp()->set_seconds(1700000000);
  e->set_line("bad \xff\xfe bytes");
  std::string raw, body;
  req.SerializeToString(&raw);
  snappy::Compress(raw.data(), raw.size(), &body);
  RawPush p;
  REQUIRE(DecodePushRequest(PushRequest("application/x-protobuf", body), false, 1 << 20, &p).ok());
  CHECK(p.streams.at(0).entries.at(0).line == "bad \xff\xfe bytes");
}
