// The unpack stage: promtail's packed JSON. `_entry` replaces the line and the other string
// fields become labels; lines without `_entry` are left as they are, with no labels added.
#include "query/log/stage.h"
#include "query/log/stage_json_scan.h"

namespace fenrir::query {

namespace {

constexpr std::string_view kPackedEntryKey = "_entry";

class UnpackStage : public LineStage {
 public:
  bool Process(int64_t, std::string_view* line, LabelsBuilder* lbs,
               std::string* scratch) const override {
    if (line->empty()) return true;
    if ((*line)[0] != '{') {
      lbs->SetErr(kErrJson);
      lbs->SetErrDetails("expecting json object(6), but it is not");
      return true;
    }
    thread_local std::vector<std::pair<std::string, std::string>> pending;
    pending.clear();
    bool packed = false;
    std::string entry;
    std::string_view err = json::ObjectEach(*line, [&](std::string_view key, std::string_view v,
                                                        json::Type type) -> std::string_view {
      if (type != json::Type::kString) return {};
      if (key == kPackedEntryKey) {
        if (!json::Unescape(v, &entry)) return json::kMalformedStringEscape;
        packed = true;
        return {};
      }
      std::string name(key);
      if (lbs->BaseHas(name)) name += kExtractedSuffix;
      std::string value;
      json::UnescapeValue(v, &value);
      pending.emplace_back(SanitizeLabelKey(name, true), std::move(value));
      return {};
    });
    if (!err.empty()) {
      lbs->SetErr(kErrJson);
      lbs->SetErrDetails(err);
      return true;
    }
    if (packed) {
      for (const auto& [k, v] : pending) {
        if (!k.empty()) lbs->Set(k, v);
      }
      *scratch = std::move(entry);
      *line = *scratch;
    }
    return true;
  }
};

}  // namespace

LineStagePtr BuildUnpackParser() { return std::make_unique<UnpackStage>(); }

}  // namespace fenrir::query
