// Push decoding throughput: JSON v1 and protobuf+snappy bodies (lines/s), and the
// distributor's validation on top (with a store that drops everything).

#include <benchmark/benchmark.h>
#include <snappy.h>

#include <nlohmann/json.hpp>

#include "push.pb.h"
#include "server/push/distributor.h"
#include "server/push/push_request.h"

using namespace fenrir::server;

namespace {

constexpr int kStreams = 10;
constexpr int kEntriesPerStream = 1000;
const int64_t kBase = 1'700'000'000LL * 1'000'000'000;

std::string Line(int s, int i) {
  return "level=info ts=2023-11-14T22:13:20Z caller=server.go:" + std::to_string(i % 500) +
         " msg=\"request served\" stream=" + std::to_string(s) + " path=/api/v1/items/" +
         std::to_string(i * 7919 % 100000) + " status=200 duration=12.5ms";
}

const std::string& JsonBody() {
  static const std::string body = [] {
    nlohmann::json streams = nlohmann::json::array();
    for (int s = 0; s < kStreams; ++s) {
      nlohmann::json values = nlohmann::json::array();
      for (int i = 0; i < kEntriesPerStream; ++i) {
        values.push_back(nlohmann::json::array({std::to_string(kBase + i), Line(s, i)}));
      }
      nlohmann::json stream;
      stream["stream"] = {{"app", "bench"}, {"pod", "pod-" + std::to_string(s)}};
      stream["values"] = std::move(values);
      streams.push_back(std::move(stream));
    }
    nlohmann::json body;
    body["streams"] = std::move(streams);
    return body.dump();
  }();
  return body;
}

const std::string& ProtoBody() {
  static const std::string body = [] {
    logproto::PushRequest req;
    for (int s = 0; s < kStreams; ++s) {
      auto* stream = req.add_streams();
      stream->set_labels("{app=\"bench\", pod=\"pod-" + std::to_string(s) + "\"}");
      for (int i = 0; i < kEntriesPerStream; ++i) {
        auto* e = stream->add_entries();
        e->mutable_timestamp()->set_seconds((kBase + i) / 1'000'000'000);
        e->mutable_timestamp()->set_nanos(static_cast<int32_t>((kBase + i) % 1'000'000'000));
        e->set_line(Line(s, i));
      }
    }
    std::string raw, out;
    req.SerializeToString(&raw);
    snappy::Compress(raw.data(), raw.size(), &out);
    return out;
  }();
  return body;
}

class NullStore : public fenrir::storage::Store {
 public:
  fenrir::Status Push(std::string_view, const std::vector<fenrir::storage::PushStream>& s,
                      fenrir::storage::PushResult* r) override {
    for (const auto& st : s) r->accepted += st.entries.size();
    return fenrir::Status::OK();
  }
  fenrir::Result<std::vector<fenrir::storage::SeriesRef>> SelectSeries(
      std::string_view, const std::vector<fenrir::storage::Matcher>&, int64_t, int64_t) override {
    return std::vector<fenrir::storage::SeriesRef>{};
  }
  std::unique_ptr<fenrir::storage::EntryIterator> Entries(std::string_view,
                                                          const fenrir::storage::SeriesRef&,
                                                          int64_t, int64_t,
                                                          fenrir::storage::Direction,
                                                          const fenrir::storage::ScanHints&) override {
    return nullptr;
  }
  fenrir::Result<std::vector<std::string>> LabelNames(std::string_view,
                                                      const std::vector<fenrir::storage::Matcher>&,
                                                      int64_t, int64_t) override {
    return std::vector<std::string>{};
  }
  fenrir::Result<std::vector<std::string>> LabelValues(
      std::string_view, std::string_view, const std::vector<fenrir::storage::Matcher>&, int64_t,
      int64_t) override {
    return std::vector<std::string>{};
  }
  fenrir::Result<std::vector<fenrir::storage::SeriesStats>> Stats(
      std::string_view, const std::vector<fenrir::storage::Matcher>&, int64_t, int64_t) override {
    return std::vector<fenrir::storage::SeriesStats>{};
  }
  fenrir::Status Flush() override { return fenrir::Status::OK(); }
  fenrir::storage::StoreMetrics Metrics() override { return {}; }
};

HttpRequest Request(const std::string& content_type, const std::string& body) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/loki/api/v1/push";
  r.SetHeader("Content-Type", content_type);
  r.body = body;
  return r;
}

void Decode(benchmark::State& state, const HttpRequest& req) {
  for (auto _ : state) {
    RawPush push;
    fenrir::Status st = DecodePushRequest(req, false, 1ULL << 30, &push);
    if (!st.ok()) state.SkipWithError(st.message().c_str());
    benchmark::DoNotOptimize(push);
  }
  state.SetItemsProcessed(state.iterations() * kStreams * kEntriesPerStream);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(req.body.size()));
}

void BM_DecodeJson(benchmark::State& state) { Decode(state, Request("application/json", JsonBody())); }
BENCHMARK(BM_DecodeJson)->Unit(benchmark::kMillisecond);

void BM_DecodeProtoSnappy(benchmark::State& state) {
  Decode(state, Request("application/x-protobuf", ProtoBody()));
}
BENCHMARK(BM_DecodeProtoSnappy)->Unit(benchmark::kMillisecond);

// Decode + label parsing + validation (store drops the data).
void BM_DecodeAndValidate(benchmark::State& state) {
  NullStore store;
  LimitsConfig limits;
  limits.reject_old_samples = false;
  limits.ingestion_rate_mb = 1e9;
  limits.ingestion_burst_size_mb = 1e9;
  fenrir::storage::FakeClock clock(kBase);
  Distributor dist(&store, limits, &clock, nullptr);
  HttpRequest req = state.range(0) ? Request("application/x-protobuf", ProtoBody())
                                   : Request("application/json", JsonBody());
  for (auto _ : state) {
    RawPush push;
    fenrir::Status st = DecodePushRequest(req, false, 1ULL << 30, &push);
    if (st.ok()) st = dist.Push("bench", std::move(push));
    if (!st.ok()) state.SkipWithError(st.message().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kStreams * kEntriesPerStream);
}
BENCHMARK(BM_DecodeAndValidate)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
