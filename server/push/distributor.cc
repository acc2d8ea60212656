#include "server/push/distributor.h"

#include <algorithm>

#include "server/rfc3339.h"
#include "server/push/label_parser.h"

namespace fenrir::server {

namespace {

constexpr double kBytesInMB = 1024 * 1024;
// Loki's ingester chunk_idle_period default: how long a stream stays active without pushes.
constexpr int64_t kStreamIdleNs = 30LL * 60 * 1'000'000'000;

struct LabelError {
  std::string reason;
  std::string message;
};

// Parses and validates a stream's label text; fills *labels on success.
bool ParseAndValidateLabels(const std::string& raw, const LimitsConfig& limits,
                            storage::Labels* labels, LabelError* error) {
  auto parsed = ParseSeriesLabels(raw);
  if (!parsed.ok()) {
    *error = {"invalid_labels", "Error parsing labels '" + raw +
                                    "' with error: " + parsed.status().message()};
    return false;
  }
  std::vector<storage::Label>& pairs = *parsed;
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const storage::Label& a, const storage::Label& b) { return a.name < b.name; });
  pairs.erase(std::remove_if(pairs.begin(), pairs.end(),
                             [](const storage::Label& l) { return l.value.empty(); }),
              pairs.end());
  if (pairs.empty()) {
    *error = {"missing_labels", "error at least one label pair is required per stream"};
    return false;
  }
  if (static_cast<int>(pairs.size()) > limits.max_label_names_per_series) {
    *error = {"max_label_names_per_series",
              "entry for stream '" + raw + "' has " + std::to_string(pairs.size()) +
                  " label names; limit " + std::to_string(limits.max_label_names_per_series)};
    return false;
  }
  std::string_view last;
  for (const auto& l : pairs) {
    if (static_cast<int>(l.name.size()) > limits.max_label_name_length) {
      *error = {"label_name_too_long",
                "stream '" + raw + "' has label name too long: '" + l.name + "'"};
      return false;
    }
    if (static_cast<int>(l.value.size()) > limits.max_label_value_length) {
      *error = {"label_value_too_long",
                "stream '" + raw + "' has label value too long: '" + l.value + "'"};
      return false;
    }
    if (l.name == last) {
      *error = {"duplicate_label_names",
                "stream '" + raw + "' has duplicate label name: '" + l.name + "'"};
      return false;
    }
    last = l.name;
  }
  *labels = storage::Labels(std::move(pairs));
  return true;
}

storage::Labels MetadataLabels(std::vector<storage::Label> pairs) {
  // Labels requires unique names: the last value of a repeated name wins.
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const storage::Label& a, const storage::Label& b) { return a.name < b.name; });
  std::vector<storage::Label> unique;
  for (auto& p : pairs) {
    if (!unique.empty() && unique.back().name == p.name) {
      unique.back().value = std::move(p.value);
    } else {
      unique.push_back(std::move(p));
    }
  }
  return storage::Labels(std::move(unique));
}

}  // namespace

void GroupedErrors::Add(std::string message) {
  for (auto& [m, n] : items_) {
    if (m == message) {
      ++n;
      return;
    }
  }
  items_.emplace_back(std::move(message), 1);
}

std::string GroupedErrors::Text() const {
  std::string out;
  for (const auto& [m, n] : items_) {
    if (!out.empty()) out += "; ";
    if (items_.size() > 1 || n > 1) out += std::to_string(n) + " errors like: ";
    out += m;
  }
  return out;
}

Distributor::Distributor(storage::Store* store, const LimitsConfig& limits, storage::Clock* clock,
                         ServerMetrics* metrics)
    : limits_(limits),
      store_(store),
      clock_(clock),
      metrics_(metrics),
      rate_limiter_(limits.ingestion_rate_mb * kBytesInMB,
                    limits.ingestion_burst_size_mb * kBytesInMB),
      stream_limiter_(StreamLimiter::EffectiveLimit(limits.max_streams_per_user,
                                                    limits.max_global_streams_per_user),
                      kStreamIdleNs, store) {}

Status Distributor::Push(const std::string& tenant, RawPush push) {
  const int64_t now = clock_->NowNanos();
  const int64_t oldest = now - limits_.reject_old_samples_max_age_ns;
  const int64_t newest = now + limits_.creation_grace_period_ns;
  GroupedErrors errors;
  std::vector<storage::PushStream> streams;
  streams.reserve(push.streams.size());
  size_t validated_lines = 0, validated_bytes = 0;
  auto discard = [&](const std::string& reason, double samples, double bytes) {
    if (metrics_) metrics_->Discarded(reason, tenant, samples, bytes);
  };

  for (RawStream& raw : push.streams) {
    if (raw.entries.empty()) continue;
    if (limits_.max_line_size_truncate && limits_.max_line_size > 0) {
      for (RawEntry& e : raw.entries) {
        if (e.line.size() > limits_.max_line_size) e.line.resize(limits_.max_line_size);
      }
    }
    storage::PushStream stream;
    LabelError label_error;
    if (!ParseAndValidateLabels(raw.labels, limits_, &stream.labels, &label_error)) {
      size_t bytes = 0;
      for (const RawEntry& e : raw.entries) bytes += e.line.size();
      discard(label_error.reason, static_cast<double>(raw.entries.size()),
              static_cast<double>(bytes));
      errors.Add(std::move(label_error.message));
      continue;
    }
    // The canonical label text only appears in error messages: build it on the first one.
    std::string canonical_text;
    auto canonical = [&]() -> const std::string& {
      if (canonical_text.empty()) canonical_text = stream.labels.ToString();
      return canonical_text;
    };
    stream.entries.reserve(raw.entries.size());
    for (RawEntry& e : raw.entries) {
      const double len = static_cast<double>(e.line.size());
      if (limits_.reject_old_samples && e.timestamp_ns < oldest) {
        discard("greater_than_max_sample_age", 1, len);
        errors.Add("entry for stream '" + canonical() + "' has timestamp too old: " +
                   FormatRfc3339(e.timestamp_ns) +
                   ", oldest acceptable timestamp is: " + FormatRfc3339(oldest));
        continue;
      }
      if (e.timestamp_ns > newest) {
        discard("too_far_in_future", 1, len);
        errors.Add("entry for stream '" + canonical() +
                   "' has timestamp too new: " + FormatRfc3339(e.timestamp_ns));
        continue;
      }
      if (limits_.max_line_size != 0 && e.line.size() > limits_.max_line_size) {
        discard("line_too_long", 1, len);
        errors.Add("Max entry size '" + std::to_string(limits_.max_line_size) +
                   "' bytes exceeded for stream '" + canonical() +
                   "' while adding an entry with length '" + std::to_string(e.line.size()) +
                   "' bytes");
        continue;
      }
      if (!limits_.allow_structured_metadata && !e.metadata.empty()) {
        discard("disallowed_structured_metadata", 1, len);
        errors.Add("stream '" + canonical() +
                   "' includes structured metadata, but this feature is disallowed. Please see "
                   "`limits_config.structured_metadata` or contact your Loki administrator to "
                   "enable it.");
        continue;
      }
      validated_lines++;
      validated_bytes += e.line.size();
      storage::PushEntry entry;
      entry.timestamp_ns = e.timestamp_ns;
      entry.line = std::move(e.line);
      if (!e.metadata.empty()) entry.metadata = MetadataLabels(std::move(e.metadata));
      stream.entries.push_back(std::move(entry));
    }
    if (!stream.entries.empty()) streams.push_back(std::move(stream));
  }

  Status validation_status =
      errors.empty() ? Status::OK() : Status::InvalidArgument(errors.Text());
  if (streams.empty()) return validation_status;

  if (!rate_limiter_.AllowN(tenant, now, static_cast<double>(validated_bytes))) {
    discard("rate_limited", static_cast<double>(validated_lines),
            static_cast<double>(validated_bytes));
    return Status::ResourceExhausted(
        "Ingestion rate limit exceeded for user " + tenant + " (limit: " +
        std::to_string(static_cast<int64_t>(rate_limiter_.rate())) +
        " bytes/sec) while attempting to ingest '" + std::to_string(validated_lines) +
        "' lines totaling '" + std::to_string(validated_bytes) +
        "' bytes, reduce log volume or contact your Loki administrator to see if the limit can "
        "be increased");
  }

  std::vector<storage::PushStream> over_limit;
  stream_limiter_.Admit(tenant, now, &streams, &over_limit);
  if (!over_limit.empty()) {
    size_t lines = 0, bytes = 0;
    for (const auto& s : over_limit) {
      lines += s.entries.size();
      for (const auto& e : s.entries) bytes += e.line.size();
    }
    validated_lines -= lines;
    validated_bytes -= bytes;
    discard("stream_limit", static_cast<double>(lines), static_cast<double>(bytes));
    validation_status = Status::ResourceExhausted(StreamLimitMessage(tenant));
    if (streams.empty()) return validation_status;
  }

  storage::PushResult result;
  Status st = store_->Push(tenant, streams, &result);
  if (!st.ok()) return st;
  if (tail_hub_) tail_hub_->Publish(tenant, streams);
  if (metrics_) {
    metrics_->LinesReceived(tenant, static_cast<double>(validated_lines),
                            static_cast<double>(validated_bytes));
    if (result.streams_created) {
      metrics_->StreamsCreated(tenant, static_cast<double>(result.streams_created));
    }
  }
  return validation_status;
}

}  // namespace fenrir::server
