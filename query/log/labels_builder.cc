#include "query/log/labels_builder.h"

#include <algorithm>

namespace fenrir::query {

using storage::Label;
using storage::Labels;

LabelsBuilder::LabelsBuilder(const Labels* stream) : base_(stream) {}

void LabelsBuilder::Reset() {
  n_add_ = 0;
  n_del_ = 0;
  err_.clear();
  err_details_.clear();
}

void LabelsBuilder::AddMetadata(const Labels& metadata) {
  for (const auto& l : metadata) {
    if (BaseHas(l.name)) {
      Set(ExtractedName(l.name), l.value, LabelCategory::kMetadata);
    } else {
      Set(l.name, l.value, LabelCategory::kMetadata);
    }
  }
}

std::string LabelsBuilder::ExtractedName(std::string_view name) const {
  std::string out(name);
  if (BaseHas(name)) out += kExtractedSuffix;
  return out;
}

int LabelsBuilder::FindAdd(std::string_view name) const {
  for (size_t i = 0; i < n_add_; ++i) {
    if (add_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

bool LabelsBuilder::BaseVisible(std::string_view name) const {
  for (size_t i = 0; i < n_del_; ++i) {
    if (del_[i] == name) return false;
  }
  return FindAdd(name) < 0;
}

const std::string* LabelsBuilder::Get(std::string_view name) const {
  int i = FindAdd(name);
  if (i >= 0) return &add_[i].value;
  for (size_t d = 0; d < n_del_; ++d) {
    if (del_[d] == name) return nullptr;
  }
  return base_->Get(name);
}

void LabelsBuilder::Set(std::string_view name, std::string_view value, LabelCategory category) {
  int i = FindAdd(name);
  if (i >= 0) {
    add_[i].value.assign(value);
    // Parsed beats metadata beats stream (Loki's category preference).
    if (static_cast<int>(category) > static_cast<int>(add_[i].category)) add_[i].category = category;
    return;
  }
  if (n_add_ == add_.size()) add_.emplace_back();
  Entry& e = add_[n_add_++];
  e.name.assign(name);
  e.value.assign(value);
  e.category = category;
}

void LabelsBuilder::Del(std::string_view name) {
  int i = FindAdd(name);
  if (i >= 0) {
    std::swap(add_[i], add_[n_add_ - 1]);
    --n_add_;
  }
  if (n_del_ == del_.size()) del_.emplace_back();
  del_[n_del_++].assign(name);
}

void LabelsBuilder::AppendAll(std::vector<Label>* out) const {
  ForEach([&](std::string_view n, std::string_view v) {
    out->push_back(Label{std::string(n), std::string(v)});
  });
}

namespace {
// Labels with unique names from a list that may repeat the error pair; last one wins.
Labels SortedUnique(std::vector<Label> v) {
  std::stable_sort(v.begin(), v.end(), [](const Label& a, const Label& b) { return a.name < b.name; });
  std::vector<Label> out;
  out.reserve(v.size());
  for (auto& l : v) {
    if (!out.empty() && out.back().name == l.name) {
      out.back().value = std::move(l.value);
    } else {
      out.push_back(std::move(l));
    }
  }
  return Labels(std::move(out));
}
}  // namespace

Labels LabelsBuilder::Materialize() const {
  if (Unchanged()) return *base_;
  std::vector<Label> v;
  v.reserve(base_->size() + n_add_ + 2);
  AppendAll(&v);
  return SortedUnique(std::move(v));
}

void LabelsBuilder::MaterializeCategories(Labels* stream, Labels* metadata, Labels* parsed) const {
  std::vector<Label> s, m, p;
  for (const auto& l : *base_) {
    if (BaseVisible(l.name)) s.push_back(l);
  }
  for (size_t i = 0; i < n_add_; ++i) {
    const Entry& e = add_[i];
    (e.category == LabelCategory::kMetadata ? m : e.category == LabelCategory::kStream ? s : p)
        .push_back(Label{e.name, e.value});
  }
  if (!err_.empty()) p.push_back(Label{std::string(kErrorLabel), err_});
  if (!err_details_.empty()) p.push_back(Label{std::string(kErrorDetailsLabel), err_details_});
  *stream = SortedUnique(std::move(s));
  *metadata = SortedUnique(std::move(m));
  *parsed = SortedUnique(std::move(p));
}

Labels LabelsBuilder::Grouped(const std::vector<std::string>& groups, bool without,
                              bool no_labels) const {
  if (!err_.empty()) return Materialize();
  if (no_labels) return Labels();
  if (groups.empty()) return Materialize();
  auto in_groups = [&](std::string_view n) {
    return std::binary_search(groups.begin(), groups.end(), n,
                              [](std::string_view a, std::string_view b) { return a < b; });
  };
  std::vector<Label> v;
  if (without) {
    for (const auto& l : *base_) {
      if (BaseVisible(l.name) && !in_groups(l.name)) v.push_back(l);
    }
    for (size_t i = 0; i < n_add_; ++i) {
      if (!in_groups(add_[i].name)) v.push_back(Label{add_[i].name, add_[i].value});
    }
  } else {
    for (const auto& g : groups) {
      const std::string* val = Get(g);
      if (val != nullptr) v.push_back(Label{g, *val});
    }
  }
  return SortedUnique(std::move(v));
}

}  // namespace fenrir::query
