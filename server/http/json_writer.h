#pragma once
// A small streaming JSON writer with Loki's (Go encoding/json) output conventions: appends to a
// string, no DOM. Commas are inserted automatically; keys and values alternate inside objects.
// Not thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fenrir::server {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }

  void Key(std::string_view key);
  // JSON string, Go escaping: control chars, quote, backslash, U+2028/2029; invalid UTF-8 ->
  // \ufffd.
  void String(std::string_view s);
  // As String, plus Go's HTML escaping of < > & (used for log lines).
  void HtmlSafeString(std::string_view s);
  void Int(int64_t v);
  void Uint(uint64_t v);
  void Bool(bool v);
  void Null();
  // Go's float64 JSON encoding (shortest; exponent below 1e-6 or from 1e21).
  void Double(double v);
  // A sample timestamp: Unix seconds as a number with up to 3 decimals, e.g. 1700000000.5.
  void SampleTime(int64_t timestamp_ms);
  // A sample value: string, shortest decimal without exponent; "NaN", "+Inf", "-Inf".
  void SampleValue(double v);
  // Pre-encoded JSON value.
  void Raw(std::string_view json);

 private:
  void Separate();
  void Open(char c);
  void Close(char c);

  std::string* out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

// Appends s as a quoted JSON string (see JsonWriter::String / HtmlSafeString).
void AppendJsonString(std::string* out, std::string_view s, bool html_safe);
// Go strconv.FormatFloat(v, 'f', -1, 64) with Prometheus' special values.
std::string FormatSampleValue(double v);
// Unix seconds with up to 3 decimals, no trailing zeros.
std::string FormatSampleTime(int64_t timestamp_ms);

}  // namespace fenrir::server
