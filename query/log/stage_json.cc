// The json parser stage: every field (nested objects flattened with '_') or named expressions.
#include "query/log/stage.h"
#include "query/log/stage_json_path.h"
#include "query/log/stage_json_scan.h"

namespace fenrir::query {

namespace {

// | json : one pass over the object; strings, numbers and booleans become labels, nested objects
// recurse with a prefix, arrays and nulls are skipped (Loki 2.9).
class JsonStage : public LineStage {
 public:
  bool Process(int64_t, std::string_view* line, LabelsBuilder* lbs, std::string*) const override {
    thread_local std::string prefix;
    thread_local std::string value;
    prefix.clear();
    std::string_view err = Walk(*line, lbs, &prefix, &value);
    if (!err.empty()) {
      lbs->SetErr(kErrJson);
      lbs->SetErrDetails(err);
    }
    return true;
  }

 private:
  static std::string_view Walk(std::string_view obj, LabelsBuilder* lbs, std::string* prefix,
                               std::string* value) {
    return json::ObjectEach(obj, [&](std::string_view key, std::string_view v,
                                     json::Type type) -> std::string_view {
      switch (type) {
        case json::Type::kString:
        case json::Type::kNumber:
        case json::Type::kBoolean: {
          thread_local std::string name;
          name.clear();
          if (prefix->empty()) {
            AppendSanitized(&name, key);  // same as SanitizeLabelKey(key, true) on an empty buffer
          } else {
            name.append(*prefix);
            name.push_back('_');
            AppendSanitized(&name, key);
          }
          if (name.empty()) return {};
          if (lbs->BaseHas(name)) name += kExtractedSuffix;
          if (type == json::Type::kString) {
            json::UnescapeValue(v, value);
            lbs->Set(name, *value);
          } else {
            lbs->Set(name, v);
          }
          return {};
        }
        case json::Type::kObject: {
          size_t len = prefix->size();
          if (!prefix->empty()) prefix->push_back('_');
          AppendSanitized(prefix, key);
          std::string_view err = Walk(v, lbs, prefix, value);
          prefix->resize(len);
          return err;
        }
        default:
          return {};
      }
    });
  }
};

// | json name="expr", ... : each expression's value, "" when absent.
class JsonExprStage : public LineStage {
 public:
  JsonExprStage(std::vector<std::string> ids, std::vector<JsonPath> paths)
      : ids_(std::move(ids)), paths_(std::move(paths)) {}
  bool Process(int64_t, std::string_view* line, LabelsBuilder* lbs, std::string*) const override {
    if (line->empty()) return true;
    char c = (*line)[0];
    if (c != '"' && c != '{' && c != '[') {
      lbs->SetErr(kErrJson);
      return true;
    }
    thread_local std::string value;
    size_t matches = 0;
    for (size_t i = 0; i < ids_.size(); ++i) {
      std::string_view raw;
      json::Type type;
      std::string_view err = LookupJsonPath(*line, paths_[i], &raw, &type);
      if (type == json::Type::kNotExist && err.empty()) continue;
      if (!err.empty()) {
        lbs->SetErr(kErrJson);
        lbs->SetErrDetails(err);
        continue;
      }
      std::string key = lbs->ExtractedName(ids_[i]);
      if (type == json::Type::kNull) {
        lbs->Set(key, "");
      } else {
        json::UnescapeValue(raw, &value);
        lbs->Set(key, value);
      }
      ++matches;
    }
    if (matches < ids_.size()) {
      for (const auto& id : ids_) {
        if (lbs->Get(id) == nullptr) lbs->Set(id, "");
      }
    }
    return true;
  }

 private:
  std::vector<std::string> ids_;
  std::vector<JsonPath> paths_;
};

}  // namespace

Result<LineStagePtr> BuildJsonParser(const JsonParser& p) {
  if (p.params.empty()) return LineStagePtr(std::make_unique<JsonStage>());
  std::vector<std::string> ids;
  std::vector<JsonPath> paths;
  for (const auto& param : p.params) {
    auto path = ParseJsonPath(param.expression);
    if (!path.ok()) {
      return Status::InvalidArgument("cannot parse expression [" + param.expression +
                                     "]: " + path.status().message());
    }
    if (!IsValidLabelName(param.name)) {
      return Status::InvalidArgument("invalid extracted label name '" + param.name + "'");
    }
    ids.push_back(param.name);
    paths.push_back(std::move(*path));
  }
  return LineStagePtr(std::make_unique<JsonExprStage>(std::move(ids), std::move(paths)));
}

}  // namespace fenrir::query
