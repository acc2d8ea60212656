#pragma once
// Label sets, stream selectors' matchers and stream fingerprints.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/go_quote.h"
#include "base/status.h"

namespace re2 {
class RE2;
}

namespace fenrir::storage {

struct Label {
  std::string name;
  std::string value;
  bool operator==(const Label&) const = default;
  auto operator<=>(const Label&) const = default;
};

// A label set kept sorted by name, names unique. Immutable once built; thread-compatible.
class Labels {
 public:
  Labels() = default;
  // Sorts by name. REQUIRES: names unique (validate before, see Validate in server).
  explicit Labels(std::vector<Label> labels);

  const std::vector<Label>& items() const { return items_; }
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

  // Value of `name`, or nullptr.
  const std::string* Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name) != nullptr; }

  // Loki's canonical text: {a="1", b="2"} with Go-quoted values.
  std::string ToString() const;
  // Stable 64-bit hash of the sorted pairs (xxh3); the stream's fingerprint.
  uint64_t Hash() const;

  bool operator==(const Labels& o) const { return items_ == o.items_; }
  bool operator<(const Labels& o) const { return items_ < o.items_; }

 private:
  std::vector<Label> items_;
};

// Label values print as Go's strconv.Quote writes them (base/go_quote.h); the name is here too
// so that callers quoting label text can keep writing storage::GoQuote.
using ::fenrir::GoQuote;

enum class MatchType { kEqual, kNotEqual, kRegex, kNotRegex };

// One label matcher of a stream selector, e.g. app=~"api|web". Regexes are anchored
// (full match) as in Prometheus. Copyable (the compiled regex is shared); thread-safe.
class Matcher {
 public:
  // Fails with InvalidArgument on a bad regex.
  static Result<Matcher> Make(MatchType type, std::string name, std::string value);

  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }
  bool Matches(std::string_view v) const;
  // True when the matcher accepts the empty string (so it also selects series without the label).
  bool MatchesEmpty() const { return Matches(""); }
  // e.g. app=~"api|web"
  std::string ToString() const;

 private:
  MatchType type_ = MatchType::kEqual;
  std::string name_;
  std::string value_;
  std::shared_ptr<const re2::RE2> re_;
};

// True when every matcher accepts the label set (a missing label reads as "").
bool MatchesAll(const std::vector<Matcher>& matchers, const Labels& labels);

}  // namespace fenrir::storage
