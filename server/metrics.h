#pragma once
// The server's Prometheus metrics (prometheus-cpp registry), exposed by GET /metrics through
// prometheus::TextSerializer. Thread-safe.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <string_view>

#include "storage/store.h"

namespace fenrir::server {

class ServerMetrics {
 public:
  ServerMetrics();

  void LinesReceived(const std::string& tenant, double lines, double bytes);
  void Discarded(const std::string& reason, const std::string& tenant, double samples,
                 double bytes);
  void StreamsCreated(const std::string& tenant, double n);
  void ObserveRequest(const std::string& method, const std::string& route, int status_code,
                      double seconds);
  // An exception reached the I/O loop (Server::RunIoContext): a bug, counted so it shows.
  void CountEscapedException();

  // Text exposition, with the store's gauges refreshed from `store` (may be null).
  std::string Serialize(const storage::StoreMetrics* store);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& lines_received_;
  prometheus::Family<prometheus::Counter>& bytes_received_;
  prometheus::Family<prometheus::Counter>& discarded_samples_;
  prometheus::Family<prometheus::Counter>& discarded_bytes_;
  prometheus::Family<prometheus::Counter>& streams_created_;
  prometheus::Family<prometheus::Histogram>& request_duration_;
  prometheus::Counter& escaped_exceptions_;
  prometheus::Gauge& store_streams_;
  prometheus::Gauge& store_head_streams_;
  prometheus::Gauge& store_blocks_;
  prometheus::Gauge& store_disk_bytes_;
  prometheus::Gauge& store_head_bytes_;
};

}  // namespace fenrir::server
