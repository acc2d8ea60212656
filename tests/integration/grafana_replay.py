"""Replays the HTTP requests Grafana 10.2 (and the 11+ additions) sends to Loki against a
Fenrir holding the conformance dataset, and checks every answer against what Grafana's
parsers need: key order, timestamp and sample types, 2-element entries, [] for empty results,
the health check's single "2" sample. Python standard library only."""
import json
import sys
import time
import urllib.parse

from dataset import END_NS, START_NS, start_with_dataset
from fenrir import Tally
from wsclient import Closed, WebSocket

SEL = '{namespace="production"}'


def ordered(body):
    return json.loads(body, object_pairs_hook=lambda pairs: pairs)


def keys(pairs):
    return [k for k, _ in pairs]


def obj(pairs):
    return dict(pairs)


def get(server, path, params, headers=None):
    # Grafana's backend builds the URL itself; urlencode like Go's url.Values.Encode (sorted).
    url = path + "?" + urllib.parse.urlencode(sorted(params.items()))
    return server.request("GET", url, headers=headers)


def check_envelope(t, what, status, body, result_type, categorize=False):
    if not t.check(status == 200, "%s: HTTP 200 (got %d %s)" % (what, status, body[:200])):
        return None
    top = ordered(body)
    t.check(keys(top)[:2] == ["status", "data"] and obj(top)["status"] == "success",
            "%s: status -> data" % what)
    data = obj(top)["data"]
    want = ["resultType", "encodingFlags", "result", "stats"] if categorize else \
        ["resultType", "result", "stats"]
    t.check(keys(data) == want, "%s: data keys in order %s (got %s)" % (what, want, keys(data)))
    t.check(obj(data)["resultType"] == result_type,
            "%s: resultType %s" % (what, obj(data)["resultType"]))
    return json.loads(body)["data"]


def check_streams(t, what, data, direction="backward", entry_len=2):
    ok_shape = isinstance(data["result"], list)
    ok_entries = True
    ok_order = True
    for s in data["result"]:
        ok_shape &= isinstance(s.get("stream"), dict) and isinstance(s.get("values"), list)
        ts = []
        for v in s["values"]:
            ok_entries &= (len(v) == entry_len and isinstance(v[0], str) and v[0].isdigit() and
                           len(v[0]) == 19 and isinstance(v[1], str))
            ts.append(int(v[0]))
        ok_order &= ts == sorted(ts, reverse=(direction == "backward"))
    t.check(ok_shape, "%s: streams shape" % what)
    t.check(ok_entries, "%s: every entry is %d elements, 19-digit ns string + line" %
            (what, entry_len))
    t.check(ok_order, "%s: entries in %s order" % (what, direction))


def check_samples(t, what, data, matrix=True):
    ok = isinstance(data["result"], list)
    for s in data["result"]:
        pts = s["values"] if matrix else [s["value"]]
        for p in pts:
            ok &= len(p) == 2 and isinstance(p[0], (int, float)) and isinstance(p[1], str)
            try:
                float(p[1])
            except ValueError:
                ok = False
    t.check(ok, "%s: samples are [number, \"string\"]" % what)


def main():
    t = Tally()
    server = start_with_dataset()
    try:
        s, e = str(START_NS), str(END_NS)
        # Save & test (10.2 backend health check).
        st, body = server.request(
            "GET", "/loki/api/v1/query?direction=backward&query=vector(1)%2Bvector(1)&time=4000000000")
        data = check_envelope(t, "health check", st, body, "vector")
        if data:
            res = data["result"]
            t.check(len(res) == 1 and res[0]["metric"] == {} and res[0]["value"] == [4000000000, "2"],
                    "health check: exactly one sample \"2\" at 4000000000: %s" % res)
        # <= 10.1 health check: labels over the last 10 minutes of the dataset must be non-empty.
        st, body = get(server, "/loki/api/v1/labels",
                       {"start": str(END_NS - 600 * 10**9), "end": e})
        t.check(st == 200 and json.loads(body).get("data"), "old health check: labels non-empty")

        # Explore: a log query (query splitting: a sub-range; ms precision in ns).
        p = {"direction": "backward", "limit": "1000", "query": SEL + ' |= "request"',
             "start": s, "end": e, "step": "28800ms"}
        st, body = get(server, "/loki/api/v1/query_range", p)
        data = check_envelope(t, "explore logs", st, body, "streams")
        if data:
            check_streams(t, "explore logs", data)
            n = sum(len(x["values"]) for x in data["result"])
            t.check(n == 1000, "explore logs: limit 1000 over all streams (%d)" % n)
            t.check(isinstance(data["stats"].get("summary", {}).get("totalLinesProcessed"), int),
                    "explore logs: stats.summary.totalLinesProcessed is an integer")
        # The same request as a POST form.
        st2, body2 = server.request("POST", "/loki/api/v1/query_range",
                                    body=urllib.parse.urlencode(p).encode(),
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        t.check(st2 == 200 and json.loads(body2)["data"]["result"] == json.loads(body)["data"]["result"],
                "explore logs: POST form gives the same result")

        # Forward direction (log context "after", scan).
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "forward", "limit": "50", "query": SEL, "start": s, "end": e,
                        "step": "28800ms"})
        data = check_envelope(t, "forward logs", st, body, "streams")
        if data:
            check_streams(t, "forward logs", data, "forward")

        # Explore: a metric query.
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "backward", "limit": "1000", "step": "60000ms", "start": s,
                        "end": e, "query": 'sum by (level) (count_over_time(%s | json | __error__="" [1m]))' % SEL})
        data = check_envelope(t, "explore metric", st, body, "matrix")
        if data:
            check_samples(t, "explore metric", data)
            t.check(len(data["result"]) >= 2, "explore metric: one series per level")

        # Logs volume histogram (supplementary query with X-Query-Tags).
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "backward", "step": "30000ms", "start": s, "end": e,
                        "query": "sum by (level) (count_over_time(%s |= \"request\"[30s]))" % SEL},
                       headers={"X-Query-Tags": "Source=logvolhist"})
        data = check_envelope(t, "logs volume", st, body, "matrix")
        if data:
            check_samples(t, "logs volume", data)
        # Logs sample for a metric query (limit 100, tag logsample).
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "backward", "limit": "100", "query": SEL, "start": s,
                        "end": e, "step": "28800ms"}, headers={"X-Query-Tags": "Source=logsample"})
        data = check_envelope(t, "logs sample", st, body, "streams")
        if data:
            t.check(sum(len(x["values"]) for x in data["result"]) == 100, "logs sample: 100 lines")

        # Dashboard instant metric query.
        st, body = get(server, "/loki/api/v1/query",
                       {"direction": "backward", "query": "sum(count_over_time(%s[2h]))" % SEL,
                        "time": e})
        data = check_envelope(t, "instant metric", st, body, "vector")
        if data:
            check_samples(t, "instant metric", data, matrix=False)

        # Empty results are [] (never null).
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "backward", "limit": "1000", "query": '{namespace="nope"}',
                        "start": s, "end": e, "step": "28800ms"})
        t.check(st == 200 and b'"result":[]' in body, "empty log result is []")
        st, body = get(server, "/loki/api/v1/query_range",
                       {"query": 'count_over_time({namespace="nope"}[1m])', "start": s, "end": e,
                        "step": "60000ms"})
        t.check(st == 200 and b'"result":[]' in body, "empty matrix result is []")

        # Label browser, variables, ad-hoc filters.
        st, body = get(server, "/loki/api/v1/labels", {"start": s, "end": e})
        labels = json.loads(body).get("data", [])
        t.check(st == 200 and "namespace" in labels and labels == sorted(labels),
                "labels?start&end: sorted list with namespace")
        st, body = get(server, "/loki/api/v1/label/namespace/values", {"start": s, "end": e})
        values = json.loads(body).get("data", [])
        t.check(st == 200 and "production" in values and values == sorted(values),
                "label/namespace/values: %s" % values)
        st, body = get(server, "/loki/api/v1/series", {"match[]": SEL, "start": s, "end": e})
        series = json.loads(body).get("data")
        t.check(st == 200 and series and all(x.get("namespace") == "production" for x in series),
                "series?match[]: label maps of matching streams")
        apps = sorted({x["app"] for x in series if "app" in x})
        t.check(bool(apps), "variable label_values({namespace=\"production\"}, app) -> %s" % apps)
        # 10.x double-encodes the selector of label values.
        st, body = server.request("GET", "/loki/api/v1/label/app/values?start=%s&end=%s&query=%s" %
                                  (s, e, urllib.parse.quote(urllib.parse.quote(SEL))))
        t.check(st == 200 and sorted(json.loads(body).get("data", [])) == apps,
                "label values with a double-encoded query")
        st, body = get(server, "/loki/api/v1/index/stats", {"query": SEL, "start": s, "end": e})
        stats = json.loads(body) if st == 200 else {}
        t.check(list(stats) == ["streams", "chunks", "bytes", "entries"] and
                all(isinstance(v, int) for v in stats.values()) and stats["entries"] > 0,
                "index/stats: four integers %s" % stats)

        # Log context for a row in the middle of the range.
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "backward", "limit": "1", "query": SEL,
                        "start": s, "end": str(START_NS + 3600 * 10**9), "step": "1000ms"})
        row = json.loads(body)["data"]["result"][0]
        row_ts = int(row["values"][0][0])
        ctx_sel = "{" + ", ".join('%s="%s"' % kv for kv in sorted(row["stream"].items())) + "}"
        row_ms = row_ts // 10**6
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "backward", "limit": "10", "query": ctx_sel,
                        "start": str((row_ms - 7200000) * 10**6), "end": str(row_ms * 10**6),
                        "step": "1000ms"})
        data = check_envelope(t, "context before", st, body, "streams")
        if data:
            check_streams(t, "context before", data)
            t.check(all(int(v[0]) < row_ms * 10**6 for x in data["result"] for v in x["values"]),
                    "context before: end is exclusive")
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "forward", "limit": "10", "query": ctx_sel,
                        "start": str(row_ms * 10**6), "end": str((row_ms + 7200000) * 10**6),
                        "step": "1000ms"})
        data = check_envelope(t, "context after", st, body, "streams")
        if data:
            check_streams(t, "context after", data, "forward")
            first = data["result"][0]["values"][0] if data["result"] else None
            t.check(first is not None and int(first[0]) >= row_ms * 10**6,
                    "context after: starts at the row (start inclusive)")

        # Grafana 11+: categorize-labels.
        st, body = get(server, "/loki/api/v1/query_range",
                       {"direction": "backward", "limit": "20", "query": SEL + " | json",
                        "start": s, "end": e, "step": "28800ms"},
                       headers={"X-Loki-Response-Encoding-Flags": "categorize-labels"})
        data = check_envelope(t, "categorize-labels", st, body, "streams", categorize=True)
        if data:
            check_streams(t, "categorize-labels", data, entry_len=3)
            t.check(all("parsed" in v[2] and "level" not in x["stream"]
                        for x in data["result"] for v in x["values"]),
                    "categorize-labels: parsed labels in the 3rd element, not the stream")
        st, body = get(server, "/loki/api/v1/query_range",
                       {"query": "count_over_time(%s[5m])" % SEL, "start": s, "end": e,
                        "step": "300000ms"},
                       headers={"X-Loki-Response-Encoding-Flags": "categorize-labels"})
        data = check_envelope(t, "categorize-labels metric", st, body, "matrix")

        # Grafana 11+ discovery.
        st, body = get(server, "/loki/api/v1/detected_labels", {"query": SEL, "start": s, "end": e})
        dl = json.loads(body) if st == 200 else {}
        t.check(st == 200 and all(set(x) == {"label", "cardinality"}
                                  for x in dl.get("detectedLabels", [])) and
                any(x["label"] == "app" for x in dl.get("detectedLabels", [])),
                "detected_labels shape")
        st, body = get(server, "/loki/api/v1/detected_fields", {"query": SEL, "start": s, "end": e})
        df = json.loads(body) if st == 200 else {}
        fields = {f["label"]: f for f in df.get("fields", [])}
        t.check(st == 200 and df.get("limit") == 1000 and
                fields.get("status", {}).get("type") == "int" and
                "json" in (fields.get("status", {}).get("parsers") or []) and
                fields.get("duration_ms", {}).get("type") == "float" and
                fields.get("user_id", {}).get("jsonPath") == ["user", "id"],
                "detected_fields: types, parsers, jsonPath (%s)" %
                {k: (v["type"], v["parsers"]) for k, v in list(fields.items())[:6]})
        st, body = get(server, "/loki/api/v1/detected_field/method/values",
                       {"query": SEL, "start": s, "end": e})
        dv = json.loads(body) if st == 200 else {}
        t.check(st == 200 and "GET" in dv.get("values", []) and dv.get("limit") == 1000,
                "detected_field/method/values: %s" % dv.get("values"))
        st, body = get(server, "/loki/api/v1/patterns",
                       {"query": '{system="hdfs"}', "start": s, "end": e, "step": "600s"})
        pt = json.loads(body) if st == 200 else {}
        pats = pt.get("data", [])
        t.check(st == 200 and pt.get("status") == "success" and pats and
                all("<_>" in x["pattern"] and x["samples"] and
                    all(isinstance(a, int) and isinstance(b, int) for a, b in x["samples"])
                    for x in pats),
                "patterns: %d patterns, e.g. %s" % (len(pats), pats[0]["pattern"] if pats else None))
        t.check(len(pats) < 40, "patterns collapse variable tokens (%d patterns)" % len(pats))

        # Errors: plain text 400 for bad LogQL; 404 for unknown paths (v2alpha tail probe).
        st, body = get(server, "/loki/api/v1/query_range",
                       {"query": '{namespace="production"', "start": s, "end": e})
        t.check(st == 400 and body.startswith(b"parse error"), "bad LogQL: 400 plain text")
        st, body = server.request("GET", "/loki/api/v2alpha/tail?query=%7Ba%3D%22b%22%7D")
        t.check(st == 404, "v2alpha tail probe answers 404 (got %d)" % st)
        st, _ = server.request("GET", "/loki/api/v1/labels/")
        t.check(st == 404, "trailing slash: 404")

        # Live tail the way the browser opens it: only `query`.
        server.push_json([{"stream": {"namespace": "live", "app": "x"},
                           "values": [[str(time.time_ns()), "before tail"]]}])
        ws = WebSocket("ws://127.0.0.1:%d/loki/api/v1/tail?query=%s" %
                       (server.port, urllib.parse.quote('{namespace="live"}')),
                       headers={"Origin": "http://grafana.example:3000"})
        first = json.loads(ws.recv(time.time() + 5))
        t.check([v[1] for x in first["streams"] for v in x["values"]] == ["before tail"],
                "tail: backfill with server defaults")
        server.push_json([{"stream": {"namespace": "live", "app": "x"},
                           "values": [[str(time.time_ns()), "during tail"]]}])
        second = json.loads(ws.recv(time.time() + 2))
        t.check([v[1] for x in second["streams"] for v in x["values"]] == ["during tail"] and
                all(len(v) == 2 for x in second["streams"] for v in x["values"]),
                "tail: live entry, 2-element values")
        ws.close()
    finally:
        server.close()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
