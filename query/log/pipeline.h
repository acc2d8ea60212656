#pragma once
// The per-line half of LogQL: line filters, parsers, label filters and formatters compiled from
// the syntax tree into stages, run per stream. Per-line failures are data: a failing parser sets
// __error__ / __error_details__ and the line flows on (STYLE.md rule 8).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/syntax/ast.h"
#include "storage/labels.h"
#include "base/status.h"

namespace fenrir::query {

// A pipeline bound to one input stream. Not thread-safe: one per stream per query.
class StreamPipeline {
 public:
  virtual ~StreamPipeline() = default;
  // Runs every stage on one entry. Returns false when a stage filtered it out. On true, Line()
  // and the label accessors describe the entry as it leaves the pipeline; they stay valid until
  // the next Process().
  virtual bool Process(int64_t timestamp_ns, std::string_view line,
                       const storage::Labels& metadata) = 0;
  virtual std::string_view Line() const = 0;
  // The full output label set: stream labels + structured metadata + parsed labels, after
  // drop/keep/label_format, with __error__ / __error_details__ when set. Sorted.
  virtual const storage::Labels& Labels() const = 0;
  // The same set split as Loki's categorize-labels encoding does (stream labels that survived,
  // structured metadata, parsed labels).
  virtual const storage::Labels& StreamLabels() const = 0;
  virtual const storage::Labels& MetadataLabels() const = 0;
  virtual const storage::Labels& ParsedLabels() const = 0;
};

// A compiled pipeline. Immutable; ForStream is thread-safe.
class Pipeline {
 public:
  virtual ~Pipeline() = default;
  // Errors are Loki's (e.g. a bad regexp in a line filter or a template that does not parse).
  static Result<std::unique_ptr<Pipeline>> Build(const std::vector<Stage>& stages);
  virtual std::unique_ptr<StreamPipeline> ForStream(const storage::Labels& stream) const = 0;
  // Byte strings every kept line must contain (from |= filters before any formatter);
  // passed to the store as ScanHints.
  virtual std::vector<std::string> RequiredLiterals() const = 0;
};

// Sample extraction for one range aggregation bound to one input stream. Not thread-safe.
class StreamSampleExtractor {
 public:
  virtual ~StreamSampleExtractor() = default;
  // Runs the pipeline and extracts the sample value: 1 for count_over_time / rate /
  // absent_over_time, the line's byte length for bytes_*, the converted unwrap label otherwise.
  // Returns false when the entry yields no sample. Labels() is the sample's series (grouping
  // of the range aggregation applied; __error__ present when conversion failed).
  virtual bool Process(int64_t timestamp_ns, std::string_view line,
                       const storage::Labels& metadata, double* value) = 0;
  virtual const storage::Labels& Labels() const = 0;
};

// Immutable; ForStream is thread-safe.
class SampleExtractor {
 public:
  virtual ~SampleExtractor() = default;
  static Result<std::unique_ptr<SampleExtractor>> Build(const RangeAggregation& aggregation);
  virtual std::unique_ptr<StreamSampleExtractor> ForStream(
      const storage::Labels& stream) const = 0;
  virtual std::vector<std::string> RequiredLiterals() const = 0;
};

}  // namespace fenrir::query
