#include "server/tail/tail.h"

#include <algorithm>

#include "server/rfc3339.h"
#include "server/http/json_writer.h"
#include "server/http/params.h"
#include "server/handlers/query_handler.h"
#include "server/handlers/result_encoder.h"
#include "server/tenant.h"

namespace fenrir::server {

Result<TailRequest> ParseTailRequest(const ServerContext& ctx, const HttpRequest& request,
                                     bool legacy) {
  TailRequest t;
  auto tenant = ResolveTenant(request, ctx.config->auth_enabled);
  if (!tenant.ok()) return tenant.status();
  t.tenant = std::move(*tenant);
  auto form = Form::Parse(request);
  if (!form.ok()) return form.status();
  t.query = form->Get("query");
  std::string regexp = form->Get("regexp");
  if (!regexp.empty()) t.query += " |~ " + storage::GoQuote(regexp);
  auto limit = ParseLimit(*form);
  if (!limit.ok()) return limit.status();
  t.limit = *limit;
  auto bounds = ParseBounds(*form, ctx.clock->NowNanos());
  if (!bounds.ok()) return bounds.status();
  t.start_ns = bounds->start_ns;
  auto delay = ParseInt(form->Get("delay_for"), 0);
  if (!delay.ok()) return delay.status();
  if (*delay > 5) return Status::InvalidArgument("delay_for can't be greater than 5");
  if (*delay < 0) return Status::InvalidArgument("delay_for can't be negative");
  t.delay_ns = *delay * 1'000'000'000;
  t.categorize = WantsCategorizedLabels(request);
  t.legacy = legacy;
  return t;
}

std::string EncodeTailMessage(const std::vector<query::OutStream>& streams, bool categorize,
                              bool legacy) {
  return EncodeTailMessage(streams, {}, categorize, legacy);
}

std::string EncodeTailMessage(const std::vector<query::OutStream>& streams,
                              const std::vector<DroppedEntry>& dropped, bool categorize,
                              bool legacy) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  if (!streams.empty()) {
  w.Key("streams");
  w.BeginArray();
  for (const auto& s : streams) {
    w.BeginObject();
    if (legacy) {
      w.Key("labels");
      w.String(s.labels.ToString());
      w.Key("entries");
      w.BeginArray();
      for (const auto& e : s.entries) {
        w.BeginObject();
        w.Key("ts");
        w.String(FormatRfc3339Nano(e.timestamp_ns));
        w.Key("line");
        w.HtmlSafeString(e.line);
        w.EndObject();
      }
      w.EndArray();
    } else {
      w.Key("stream");
      WriteLabels(w, s.labels);
      WriteEntries(w, s, categorize);
    }
    w.EndObject();
  }
  w.EndArray();
  }
  if (!dropped.empty()) {
    w.Key("dropped_entries");
    w.BeginArray();
    for (const DroppedEntry& d : dropped) {
      w.BeginObject();
      w.Key("labels");
      if (legacy) {
        w.String(d.labels.ToString());
      } else {
        WriteLabels(w, d.labels);
      }
      w.Key("timestamp");
      w.String(legacy ? FormatRfc3339Nano(d.timestamp_ns) : std::to_string(d.timestamp_ns));
      w.EndObject();
    }
    w.EndArray();
  }
  if (categorize && !legacy) {
    w.Key("encodingFlags");
    w.BeginArray();
    w.String("categorize-labels");
    w.EndArray();
  }
  w.EndObject();
  return out;
}

std::vector<std::vector<query::OutStream>> TailCursor::Take(std::vector<query::OutStream> streams,
                                                            size_t batch) {
  struct Item {
    int64_t ts;
    size_t stream;
    query::OutEntry* entry;
  };
  std::vector<Item> items;
  for (size_t i = 0; i < streams.size(); ++i) {
    for (auto& e : streams[i].entries) {
      if (e.timestamp_ns < cursor_ns_) continue;
      if (e.timestamp_ns == cursor_ns_ &&
          sent_at_cursor_.count(streams[i].labels.ToString() + '\n' + e.line)) {
        continue;
      }
      items.push_back({e.timestamp_ns, i, &e});
    }
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.ts < b.ts; });
  std::vector<std::vector<query::OutStream>> messages;
  for (size_t start = 0; start < items.size(); start += batch) {
    size_t end = std::min(items.size(), start + batch);
    std::vector<query::OutStream> msg;
    std::vector<size_t> index(streams.size(), SIZE_MAX);
    for (size_t k = start; k < end; ++k) {
      const Item& it = items[k];
      if (index[it.stream] == SIZE_MAX) {
        index[it.stream] = msg.size();
        msg.push_back({streams[it.stream].labels, {}});
      }
      msg[index[it.stream]].entries.push_back(std::move(*it.entry));
      const query::OutEntry& sent = msg[index[it.stream]].entries.back();
      if (it.ts > cursor_ns_) {
        cursor_ns_ = it.ts;
        sent_at_cursor_.clear();
      }
      sent_at_cursor_.insert(streams[it.stream].labels.ToString() + '\n' + sent.line);
    }
    messages.push_back(std::move(msg));
  }
  return messages;
}

}  // namespace fenrir::server
