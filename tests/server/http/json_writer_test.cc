#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "server/http/json_writer.h"

using namespace fenrir::server;

TEST_CASE("JSON strings use Go's escaping", "[json_writer]") {
  struct Case {
    std::string in;
    bool html;
    std::string want;
  };
  std::vector<Case> cases = {
      {"plain", false, R"("plain")"},
      {"q\"b\\s", false, R"("q\"b\\s")"},
      {"a\nb\rc\td", false, R"("a\nb\rc\td")"},
      {std::string("\x01\x08\x0c\x1f", 4), false, R"("\u0001\u0008\u000c\u001f")"},
      {std::string("nul\0x", 5), false, R"("nul\u0000x")"},
      {"<a>&", true, R"("\u003ca\u003e\u0026")"},
      {"<a>&", false, R"("<a>&")"},
      {"\xE2\x80\xA8\xE2\x80\xA9", false, R"("\u2028\u2029")"},
      {"日本語 é", true, "\"日本語 é\""},
      {"bad\xff\xfe!", true, R"("bad\ufffd\ufffd!")"},
      {"\xC3", false, R"("\ufffd")"},               // truncated sequence
      {"\xED\xA0\x80", false, R"("\ufffd\ufffd\ufffd")"},  // surrogate half
      {"\x1b[31mred\x1b[0m", true, R"("\u001b[31mred\u001b[0m")"},
      {"\x7f", false, "\"\x7f\""},
  };
  for (const auto& c : cases) {
    INFO(c.in);
    std::string out;
    AppendJsonString(&out, c.in, c.html);
    CHECK(out == c.want);
  }
}

TEST_CASE("sample values are shortest decimals without exponent", "[json_writer]") {
  struct Case {
    double in;
    std::string want;
  };
  std::vector<Case> cases = {
      {2, "2"},
      {0.1, "0.1"},
      {1e21, "1000000000000000000000"},
      {-3.25, "-3.25"},
      {1.0 / 3, "0.3333333333333333"},
      {1e-7, "0.0000001"},
      {std::numeric_limits<double>::quiet_NaN(), "NaN"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {0, "0"},
  };
  for (const auto& c : cases) {
    INFO(c.want);
    CHECK(FormatSampleValue(c.in) == c.want);
  }
}

TEST_CASE("sample timestamps are seconds with up to 3 decimals", "[json_writer]") {
  CHECK(FormatSampleTime(1700000000000) == "1700000000");
  CHECK(FormatSampleTime(1700000000500) == "1700000000.5");
  CHECK(FormatSampleTime(1700000000120) == "1700000000.12");
  CHECK(FormatSampleTime(1700000000001) == "1700000000.001");
  CHECK(FormatSampleTime(0) == "0");
}

TEST_CASE("writer inserts commas and keeps key order", "[json_writer]") {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("status");
  w.String("success");
  w.Key("data");
  w.BeginObject();
  w.Key("resultType");
  w.String("matrix");
  w.Key("result");
  w.BeginArray();
  w.BeginArray();
  w.SampleTime(1500);
  w.SampleValue(2);
  w.EndArray();
  w.BeginArray();
  w.EndArray();
  w.EndArray();
  w.Key("n");
  w.Int(-5);
  w.Key("f");
  w.Double(0.008251);
  w.Key("tiny");
  w.Double(4.3e-7);
  w.Key("b");
  w.Bool(true);
  w.Key("z");
  w.Null();
  w.EndObject();
  w.EndObject();
  CHECK(out ==
        R"({"status":"success","data":{"resultType":"matrix","result":[[1.5,"2"],[]],"n":-5,)"
        R"("f":0.008251,"tiny":4.3e-7,"b":true,"z":null}})");
}
