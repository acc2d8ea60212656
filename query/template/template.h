#pragma once
// A Go text/template implementation with Loki's function set, for line_format and label_format.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace fenrir::query {

// What a template sees when executed: `.name` looks labels up, __line__ and __timestamp__ are
// the entry's line and time.
struct TemplateData {
  // Returns the value of a label, or nullptr when absent (Go's map lookup gives "" then).
  std::function<const std::string*(std::string_view name)> lookup;
  std::string_view line;
  int64_t timestamp_ns = 0;
  // Optional: calls f(name, value) for every label, for templates that print or range over `.`
  // as a whole (Go prints map[a:1 b:2]). When unset, `.` behaves as an empty map there.
  std::function<void(const std::function<void(std::string_view, std::string_view)>& f)> each;
};

// Parsed once, executed per entry. Immutable after Parse; Execute is thread-safe.
class Template {
 public:
  // Errors as Go's text/template reports them (InvalidArgument).
  static Result<Template> Parse(std::string_view text);
  // Same, naming the template as Go error messages do: Loki names line_format's "line" (the
  // default) and label_format's "label".
  static Result<Template> Parse(std::string_view text, std::string_view name);
  // Errors are execution errors (e.g. a function failing); Loki turns them into
  // __error__="TemplateFormatErr".
  Result<std::string> Execute(const TemplateData& data) const;

  struct Node;  // the parsed template tree (template_*.cc)

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace fenrir::query
