#pragma once
// Parses the Prometheus series text of a pushed stream, `{a="b", c='d', e=`f`}` (Prometheus
// ParseMetric as Loki's distributor uses it): optional metric name prefix (-> __name__), `=` only,
// Go-escaped "..." / '...' strings and raw `...` strings, optional trailing comma.

#include <string_view>
#include <vector>

#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::server {

// Returns the pairs in input order (not sorted, duplicates and empty values kept: the
// validator reports and normalizes them). Errors: InvalidArgument with a parser message such as
// `1:5: parse error: unexpected "}" in label matching, expected string`.
Result<std::vector<storage::Label>> ParseSeriesLabels(std::string_view text);

}  // namespace fenrir::server
