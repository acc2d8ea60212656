#include "server/handlers/field_detector.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>


namespace fenrir::server {

namespace {

bool IsInt(const std::string& v) {
  size_t i = (v.size() > 1 && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
  if (i >= v.size()) return false;
  for (; i < v.size(); ++i) {
    if (!isdigit(static_cast<unsigned char>(v[i]))) return false;
  }
  return true;
}

bool IsFloat(const std::string& v) {
  if (v.empty()) return false;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  if (end != v.c_str() + v.size()) return false;
  for (char c : v) {
    if (isalpha(static_cast<unsigned char>(c)) && c != 'e' && c != 'E') return false;
  }
  return true;
}

bool IsBool(const std::string& v) {
  return v == "true" || v == "false" || v == "TRUE" || v == "FALSE" || v == "True" ||
         v == "False";
}

bool IsDuration(const std::string& v) {
  if (v.empty() || IsFloat(v)) return false;
  static const char* kUnits[] = {"ns", "us", "µs", "ms", "s", "m", "h"};
  // A Go duration: number+unit groups, e.g. 1h30m, 250ms, 1.5s.
  size_t i = (v[0] == '-' || v[0] == '+') ? 1 : 0;
  bool any = false;
  while (i < v.size()) {
    size_t start = i;
    while (i < v.size() && (isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.')) ++i;
    if (i == start) return false;
    bool matched = false;
    for (const char* u : kUnits) {
      std::string_view unit(u);
      if (v.compare(i, unit.size(), unit) == 0) {
        // Prefer the longest unit ("ms" over "m").
        size_t len = unit.size();
        for (const char* u2 : kUnits) {
          std::string_view unit2(u2);
          if (unit2.size() > len && v.compare(i, unit2.size(), unit2) == 0) len = unit2.size();
        }
        i += len;
        matched = true;
        break;
      }
    }
    if (!matched) return false;
    any = true;
  }
  return any;
}

bool IsBytes(const std::string& v) {
  size_t i = 0;
  while (i < v.size() && (isdigit(static_cast<unsigned char>(v[i])) || v[i] == '.')) ++i;
  if (i == 0 || i == v.size()) return false;
  std::string unit = v.substr(i);
  while (!unit.empty() && unit[0] == ' ') unit.erase(0, 1);
  static const char* kUnits[] = {"B",  "kB", "KB", "MB", "GB", "TB", "PB", "KiB",
                                 "MiB", "GiB", "TiB", "PiB", "kb", "mb", "gb"};
  for (const char* u : kUnits) {
    if (unit == u) return true;
  }
  return false;
}

std::string Sanitize(std::string name) {
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  if (!name.empty() && isdigit(static_cast<unsigned char>(name[0]))) name = "_" + name;
  return name;
}

void Flatten(const nlohmann::json& j, const std::string& prefix, std::vector<std::string>* path,
             std::vector<std::tuple<std::string, std::string, std::vector<std::string>>>* out) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string name = prefix.empty() ? Sanitize(it.key()) : prefix + "_" + Sanitize(it.key());
    path->push_back(it.key());
    const auto& v = it.value();
    if (v.is_object()) {
      Flatten(v, name, path, out);
    } else if (!v.is_array()) {
      std::string value = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
      out->emplace_back(name, value, *path);
    }
    path->pop_back();
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseLogfmtPairs(std::string_view line) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && line[i] == ' ') ++i;
    size_t ks = i;
    while (i < n && line[i] != '=' && line[i] != ' ') ++i;
    std::string key(line.substr(ks, i - ks));
    if (i >= n || line[i] != '=') {
      continue;  // a bare word: not a pair
    }
    ++i;  // '='
    std::string value;
    if (i < n && line[i] == '"') {
      ++i;
      while (i < n && line[i] != '"') {
        if (line[i] == '\\' && i + 1 < n) ++i;
        value.push_back(line[i++]);
      }
      if (i < n) ++i;
    } else {
      size_t vs = i;
      while (i < n && line[i] != ' ') ++i;
      value = std::string(line.substr(vs, i - vs));
    }
    if (!key.empty()) out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

std::string FieldDetector::InferType(const std::set<std::string>& values) {
  bool is_int = true, is_float = true, is_bool = true, is_dur = true, is_bytes = true;
  bool any = false;
  for (const auto& v : values) {
    if (v.empty()) continue;
    any = true;
    is_int = is_int && IsInt(v);
    is_float = is_float && IsFloat(v);
    is_bool = is_bool && IsBool(v);
    is_dur = is_dur && IsDuration(v);
    is_bytes = is_bytes && IsBytes(v);
  }
  if (!any) return "string";
  if (is_int) return "int";
  if (is_float) return "float";
  if (is_bool) return "boolean";
  if (is_dur) return "duration";
  if (is_bytes) return "bytes";
  return "string";
}

void FieldDetector::Add(const std::string& name, std::string value, const char* parser,
                        const std::vector<std::string>* path) {
  if (name.empty()) return;
  Acc& acc = fields_[name];
  if (acc.values.size() < kMaxValuesPerField) acc.values.insert(std::move(value));
  if (parser != nullptr) acc.parsers.insert(parser);
  if (path != nullptr && acc.json_path.empty()) acc.json_path = *path;
}

void FieldDetector::AddJson(std::string_view line) {
  auto j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return;
  std::vector<std::string> path;
  std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> flat;
  Flatten(j, "", &path, &flat);
  for (auto& [name, value, p] : flat) Add(name, std::move(value), "json", &p);
}

bool FieldDetector::AddLogfmt(std::string_view line) {
  auto pairs = ParseLogfmtPairs(line);
  if (pairs.empty()) return false;
  for (auto& [k, v] : pairs) Add(Sanitize(k), std::move(v), "logfmt", nullptr);
  return true;
}

void FieldDetector::AddLine(std::string_view line, const storage::Labels& metadata) {
  size_t first = line.find_first_not_of(" \t");
  if (first != std::string_view::npos && line[first] == '{') {
    AddJson(line);
  } else {
    AddLogfmt(line);
  }
  for (const auto& l : metadata) Add(l.name, l.value, nullptr, nullptr);
}

std::vector<FieldDetector::Field> FieldDetector::Fields() const {
  std::vector<Field> out;
  for (const auto& [name, acc] : fields_) {
    Field f;
    f.name = name;
    f.type = InferType(acc.values);
    f.cardinality = acc.values.size();
    f.parsers.assign(acc.parsers.begin(), acc.parsers.end());
    f.json_path = acc.json_path;
    f.values.assign(acc.values.begin(), acc.values.end());
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace fenrir::server
