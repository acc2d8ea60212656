#pragma once
// Grafana 11+ field discovery over a sample of log lines (Loki 3's detected_fields): every
// line that is a JSON object or logfmt contributes its keys (JSON keys flattened with "_", as
// the json parser names them), structured metadata contributes its names. Per field: distinct
// values (bounded), the parsers that produced it and an inferred type. Not thread-safe.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "storage/labels.h"

namespace fenrir::server {

class FieldDetector {
 public:
  static constexpr size_t kMaxValuesPerField = 1000;

  void AddLine(std::string_view line, const storage::Labels& metadata);

  struct Field {
    std::string name;
    std::string type;  // string, int, float, boolean, duration, bytes
    size_t cardinality = 0;
    std::vector<std::string> parsers;    // "json", "logfmt"; empty for structured metadata
    std::vector<std::string> json_path;  // nested JSON path, when from json
    std::vector<std::string> values;     // distinct, sorted
  };
  // Sorted by name.
  std::vector<Field> Fields() const;

  // Type of a set of values: the narrowest of int, float, boolean, duration, bytes that
  // accepts every value, else string.
  static std::string InferType(const std::set<std::string>& values);

 private:
  struct Acc {
    std::set<std::string> values;
    std::set<std::string> parsers;
    std::vector<std::string> json_path;
  };
  void Add(const std::string& name, std::string value, const char* parser,
           const std::vector<std::string>* path);
  void AddJson(std::string_view line);
  bool AddLogfmt(std::string_view line);

  std::map<std::string, Acc> fields_;
};

// logfmt key/value pairs of a line (Loki's lenient reading); empty when the line has none.
std::vector<std::pair<std::string, std::string>> ParseLogfmtPairs(std::string_view line);

}  // namespace fenrir::server
