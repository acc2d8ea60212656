#pragma once
// The per-entry label state a pipeline works on: the stream's labels (the base), structured
// metadata and parsed labels added on top, deletions, and the __error__ / __error_details__ pair.
// Mirrors Loki 2.9's log.LabelsBuilder:
//  - Get looks at added labels first, then deletions, then the base.
//  - Names extracted by parsers (and structured metadata) that clash with a stream label get the
//    `_extracted` suffix (callers use ExtractedName); they never clash with each other: a later
//    Set of the same name overwrites the value (parsed beats metadata, as in Loki 3's categories).
//  - The error pair is kept apart from the labels and appended when the set is materialised.
// Not thread-safe: one per stream pipeline. Reset() between entries keeps allocated buffers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/labels.h"

namespace fenrir::query {

inline constexpr std::string_view kErrorLabel = "__error__";
inline constexpr std::string_view kErrorDetailsLabel = "__error_details__";
inline constexpr std::string_view kPreserveErrorLabel = "__preserve_error__";
inline constexpr std::string_view kExtractedSuffix = "_extracted";

// Loki's pipeline error values.
inline constexpr std::string_view kErrJson = "JSONParserErr";
inline constexpr std::string_view kErrLogfmt = "LogfmtParserErr";
inline constexpr std::string_view kErrSampleExtraction = "SampleExtractionErr";
inline constexpr std::string_view kErrLabelFilter = "LabelFilterErr";
inline constexpr std::string_view kErrTemplateFormat = "TemplateFormatErr";

enum class LabelCategory { kStream, kMetadata, kParsed };

class LabelsBuilder {
 public:
  // REQUIRES: `stream` outlives the builder.
  explicit LabelsBuilder(const storage::Labels* stream);

  // Forgets everything added, deleted or set as error since the last Reset.
  void Reset();
  // Adds structured metadata, renaming names that clash with stream labels (Loki's Add).
  void AddMetadata(const storage::Labels& metadata);

  bool BaseHas(std::string_view name) const { return base_->Has(name); }
  // `name`, or `name` + "_extracted" when a stream label already has that name.
  std::string ExtractedName(std::string_view name) const;
  // The current value, or nullptr when absent. The error pair is not visible here (Loki's Get).
  // The pointer stays valid until the next mutation.
  const std::string* Get(std::string_view name) const;
  void Set(std::string_view name, std::string_view value,
           LabelCategory category = LabelCategory::kParsed);
  void Del(std::string_view name);

  void SetErr(std::string_view err) { err_.assign(err); }
  void SetErrDetails(std::string_view details) { err_details_.assign(details); }
  void ResetErr() { err_.clear(); }
  void ResetErrDetails() { err_details_.clear(); }
  const std::string& err() const { return err_; }
  const std::string& err_details() const { return err_details_; }
  bool HasErr() const { return !err_.empty(); }

  // True when nothing was added, deleted or flagged: the set equals the stream labels.
  bool Unchanged() const { return n_add_ == 0 && n_del_ == 0 && err_.empty() && err_details_.empty(); }

  // Every label (base minus deleted/overridden, then added, then the error pair), unsorted.
  void AppendAll(std::vector<storage::Label>* out) const;
  // Calls fn(name, value) for every label as AppendAll would list it, without copying.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const auto& l : *base_) {
      if (!BaseVisible(l.name)) continue;
      fn(std::string_view(l.name), std::string_view(l.value));
    }
    for (size_t i = 0; i < n_add_; ++i) fn(std::string_view(add_[i].name), std::string_view(add_[i].value));
    if (!err_.empty()) fn(kErrorLabel, std::string_view(err_));
    if (!err_details_.empty()) fn(kErrorDetailsLabel, std::string_view(err_details_));
  }

  // The sorted full set.
  storage::Labels Materialize() const;
  // The sorted set split by category: surviving stream labels, metadata, parsed labels (the error
  // pair counts as parsed).
  void MaterializeCategories(storage::Labels* stream, storage::Labels* metadata,
                             storage::Labels* parsed) const;
  // Loki's GroupedLabels for sample extraction: with an error set, the full set; `no_labels`
  // gives {}; otherwise `groups` kept (by) or removed (without). REQUIRES: groups sorted.
  storage::Labels Grouped(const std::vector<std::string>& groups, bool without,
                          bool no_labels) const;

  const storage::Labels& stream() const { return *base_; }

 private:
  struct Entry {
    std::string name;
    std::string value;
    LabelCategory category = LabelCategory::kParsed;
  };
  // A base label is visible when neither deleted nor overridden by an added label.
  bool BaseVisible(std::string_view name) const;
  int FindAdd(std::string_view name) const;

  const storage::Labels* base_;
  std::vector<Entry> add_;  // the first n_add_ are live; the rest keep their capacity
  size_t n_add_ = 0;
  std::vector<std::string> del_;
  size_t n_del_ = 0;
  std::string err_;
  std::string err_details_;
};

}  // namespace fenrir::query
