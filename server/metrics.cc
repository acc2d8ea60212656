#include "server/metrics.h"

#include <prometheus/text_serializer.h>

#include <sstream>

namespace fenrir::server {

namespace {
prometheus::Gauge& SingleGauge(prometheus::Registry& r, const std::string& name,
                               const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(r).Add({});
}
}  // namespace

ServerMetrics::ServerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      lines_received_(prometheus::BuildCounter()
                          .Name("loki_distributor_lines_received_total")
                          .Help("The total number of lines received per tenant")
                          .Register(*registry_)),
      bytes_received_(prometheus::BuildCounter()
                          .Name("loki_distributor_bytes_received_total")
                          .Help("The total number of uncompressed bytes received per tenant")
                          .Register(*registry_)),
      discarded_samples_(prometheus::BuildCounter()
                             .Name("loki_discarded_samples_total")
                             .Help("The total number of samples that were discarded.")
                             .Register(*registry_)),
      discarded_bytes_(prometheus::BuildCounter()
                           .Name("loki_discarded_bytes_total")
                           .Help("The total number of bytes that were discarded.")
                           .Register(*registry_)),
      streams_created_(prometheus::BuildCounter()
                           .Name("loki_ingester_streams_created_total")
                           .Help("The total number of streams created per tenant.")
                           .Register(*registry_)),
      request_duration_(prometheus::BuildHistogram()
                            .Name("loki_request_duration_seconds")
                            .Help("Time (in seconds) spent serving HTTP requests.")
                            .Register(*registry_)),
      escaped_exceptions_(prometheus::BuildCounter()
                              .Name("fenrir_escaped_exceptions_total")
                              .Help("Exceptions that reached the I/O loop (a bug; the "
                                    "connection was closed).")
                              .Register(*registry_)
                              .Add({})),
      store_streams_(SingleGauge(*registry_, "fenrir_store_streams",
                                 "Streams in the index.")),
      store_head_streams_(SingleGauge(*registry_, "loki_ingester_memory_streams",
                                      "Streams with an open (in-memory) block.")),
      store_blocks_(SingleGauge(*registry_, "fenrir_store_blocks", "Persisted blocks.")),
      store_disk_bytes_(SingleGauge(*registry_, "fenrir_store_disk_bytes",
                                    "Live SST, WAL and blob bytes on disk.")),
      store_head_bytes_(SingleGauge(*registry_, "fenrir_store_head_bytes",
                                    "Bytes held in open in-memory blocks.")) {}

void ServerMetrics::LinesReceived(const std::string& tenant, double lines, double bytes) {
  lines_received_.Add({{"tenant", tenant}}).Increment(lines);
  bytes_received_.Add({{"tenant", tenant}}).Increment(bytes);
}

void ServerMetrics::Discarded(const std::string& reason, const std::string& tenant,
                              double samples, double bytes) {
  discarded_samples_.Add({{"reason", reason}, {"tenant", tenant}}).Increment(samples);
  discarded_bytes_.Add({{"reason", reason}, {"tenant", tenant}}).Increment(bytes);
}

void ServerMetrics::StreamsCreated(const std::string& tenant, double n) {
  streams_created_.Add({{"tenant", tenant}}).Increment(n);
}

void ServerMetrics::CountEscapedException() { escaped_exceptions_.Increment(); }

void ServerMetrics::ObserveRequest(const std::string& method, const std::string& route,
                                   int status_code, double seconds) {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100};
  request_duration_
      .Add({{"method", method}, {"route", route}, {"status_code", std::to_string(status_code)}},
           kBuckets)
      .Observe(seconds);
}

std::string ServerMetrics::Serialize(const storage::StoreMetrics* store) {
  if (store) {
    store_streams_.Set(static_cast<double>(store->streams));
    store_head_streams_.Set(static_cast<double>(store->head_streams));
    store_blocks_.Set(static_cast<double>(store->blocks));
    store_disk_bytes_.Set(static_cast<double>(store->disk_bytes));
    store_head_bytes_.Set(static_cast<double>(store->head_bytes));
  }
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, registry_->Collect());
  return out.str();
}

}  // namespace fenrir::server
