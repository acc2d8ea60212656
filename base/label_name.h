#pragma once
// The Prometheus label name rule, which Loki applies to stream labels, to the names parser stages
// extract into, and to the label named in /label/<name>/values. Pure; thread-safe.

#include <string_view>

namespace fenrir {

// True when `name` matches [a-zA-Z_][a-zA-Z0-9_]* (model.LabelName.IsValid). ASCII only: no
// other rune is a letter here.
bool IsValidLabelName(std::string_view name);

}  // namespace fenrir
