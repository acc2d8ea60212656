// The hand-written protobuf push decoder against the generated encoder (server/push/push.proto).

#include <catch2/catch.hpp>

#include "push.pb.h"
#include "server/push/push_request.h"

using namespace fenrir;
using namespace fenrir::server;

namespace {

logproto::PushRequest Sample() {
  logproto::PushRequest req;
  auto* s = req.add_streams();
  s->set_labels("{app=\"a\"}");
  s->set_hash(42);
  auto* e = s->add_entries();
  e->mutable_timestamp()->set_seconds(1'700'000'000);
  e->mutable_timestamp()->set_nanos(123);
  e->set_line(std::string("line \xff\x00 one", 11));
  auto* m = e->add_structuredmetadata();
  m->set_name("trace_id");
  m->set_value("abc");
  auto* e2 = s->add_entries();
  e2->mutable_timestamp()->set_seconds(-5);
  e2->mutable_timestamp()->set_nanos(-7);
  e2->set_line("");
  auto* s2 = req.add_streams();
  s2->set_labels("{app=\"b\"}");
  return req;
}

}  // namespace

TEST_CASE("protobuf pushes decode as the generated parser reads them", "[push]") {
  std::string wire = Sample().SerializeAsString();
  RawPush p;
  REQUIRE(DecodeProtoPush(wire, &p).ok());
  REQUIRE(p.streams.size() == 2);
  CHECK(p.streams[0].labels == "{app=\"a\"}");
  REQUIRE(p.streams[0].entries.size() == 2);
  const RawEntry& e = p.streams[0].entries[0];
  CHECK(e.timestamp_ns == 1'700'000'000LL * 1'000'000'000 + 123);
  CHECK(e.line == std::string("line \xff\x00 one", 11));
  REQUIRE(e.metadata.size() == 1);
  CHECK(e.metadata[0].name == "trace_id");
  CHECK(e.metadata[0].value == "abc");
  CHECK(p.streams[0].entries[1].timestamp_ns == -5'000'000'007LL);
  CHECK(p.streams[0].entries[1].line.empty());
  CHECK(p.streams[1].labels == "{app=\"b\"}");
  CHECK(p.streams[1].entries.empty());
}

TEST_CASE("protobuf decoding: unknown fields skipped, last value wins, damage rejected", "[push]") {
  std::string wire = Sample().SerializeAsString();
  // Unknown fields of every wire type at the top level, then a repeated stream whose labels
  // appear twice (the last wins).
  std::string extra;
  extra += '\x48'; extra += '\x05';                          // field 9 varint
  extra += '\x51'; extra += std::string(8, '\x01');          // field 10 fixed64
  extra += '\x5d'; extra += std::string(4, '\x02');          // field 11 fixed32
  extra += '\x62'; extra += '\x02'; extra += "zz";           // field 12 bytes
  std::string stream = "\x0a\x03{x}\x0a\x03{y}";
  extra += '\x0a'; extra += static_cast<char>(stream.size()); extra += stream;
  RawPush p;
  REQUIRE(DecodeProtoPush(wire + extra, &p).ok());
  REQUIRE(p.streams.size() == 3);
  CHECK(p.streams[2].labels == "{y}");

  for (size_t cut = 1; cut < wire.size(); cut += 3) {
    RawPush q;
    Status st = DecodeProtoPush(std::string_view(wire).substr(0, cut), &q);
    if (!st.ok()) CHECK(st.message().rfind("proto:", 0) == 0);
  }
  RawPush q;
  CHECK(!DecodeProtoPush(std::string("\x0a\x7f", 2), &q).ok());  // length past the end
  CHECK(!DecodeProtoPush(std::string("\x0b", 1), &q).ok());      // group wire type
  // A timestamp past year 2262 is out of range.
  logproto::PushRequest big;
  auto* e = big.add_streams()->add_entries();
  e->mutable_timestamp()->set_seconds(INT64_MAX / 100);
  RawPush r;
  Status st = DecodeProtoPush(big.SerializeAsString(), &r);
  CHECK(st.message().find("timestamp out of range") != std::string::npos);
}
