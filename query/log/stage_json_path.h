#pragma once
// The expressions of `| json name="expr"`: Loki's jsonexpr grammar (`a.b`, `a["b"]`, `list[0]`,
// `a.b[1]["c d"]`) and their lookup in a JSON line. Thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "query/log/stage_json_scan.h"
#include "base/status.h"

namespace fenrir::query {

struct JsonPathSegment {
  bool is_index = false;
  std::string key;
  int index = 0;
};
using JsonPath = std::vector<JsonPathSegment>;

// Errors carry the jsonexpr lexer/parser message (e.g. "cannot use float as array index").
Result<JsonPath> ParseJsonPath(std::string_view expr);

// Finds the value at `path` in the JSON document `data`. On success `*type` is the value's type
// (kNotExist when absent) and `*raw` its bytes (strings without quotes, still escaped). Returns
// an error message when the value there cannot be read.
std::string_view LookupJsonPath(std::string_view data, const JsonPath& path, std::string_view* raw,
                                json::Type* type);

}  // namespace fenrir::query
