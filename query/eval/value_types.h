#pragma once
// The values metric evaluation passes between steps: instant vectors of labelled samples.

#include <vector>

#include "storage/labels.h"

namespace fenrir::query {

struct Sample {
  storage::Labels metric;
  double value = 0;
};

// The samples of one step; at most one per label set.
using Vector = std::vector<Sample>;

}  // namespace fenrir::query
