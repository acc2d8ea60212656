"""Limits, each with Loki's answer: per-tenant ingestion rate (429), per-tenant active stream
limit (429), max request body (413), request read timeout (connection cut, others served),
bounded query queue (429 "too many outstanding requests"), per-query time budget
(query_timeout -> 504), per-query result budget (fenrir.max_query_result_bytes -> 400),
per-query memory budget during evaluation (fenrir.max_query_memory_bytes -> 400), the
process-wide query memory (fenrir.max_total_query_memory_bytes -> 429) and Loki's
limits_config.max_query_bytes_read (index stats before running -> 400)."""
import json
import socket
import sys
import threading
import time

from bad_input_raw import configured_server
from fenrir import PERMISSIVE_LIMITS, Tally

BASE_NS = 1_790_000_000 * 10**9

INGEST_LIMITS = """
limits_config:
  reject_old_samples: false
  creation_grace_period: 8760h
  retention_period: 0s
  ingestion_rate_mb: 0.05
  ingestion_burst_size_mb: 0.1
  max_global_streams_per_user: 5
fenrir:
  max_request_body_bytes: 256KB
"""

QUERY_LIMITS = PERMISSIVE_LIMITS + """  query_timeout: 200ms
fenrir:
  query_workers: 1
  max_outstanding_requests_per_tenant: 3
  max_query_result_bytes: 200KB
"""

MEMORY_LIMITS = PERMISSIVE_LIMITS + """  max_query_bytes_read: 6MB
fenrir:
  max_query_memory_bytes: 1MB
"""

POOL_LIMITS = PERMISSIVE_LIMITS + """fenrir:
  max_query_memory_bytes: 0
  max_total_query_memory_bytes: 2MB
"""


def push(server, tenant, streams):
    return server.push_json(streams, headers={"X-Scope-OrgID": tenant})


def one(labels, line="x", ts=0):
    return {"stream": labels, "values": [[str(BASE_NS + ts), line]]}


def text(b):
    return b.decode("utf-8", "replace").strip()


def ingestion(tally):
    server = configured_server("", "  http_server_read_timeout: 1s\n", auth=True, limits=INGEST_LIMITS)
    try:
        server.start()
        # Rate: the burst (~100 KB) takes one 90 KB push, not a second one right after it.
        big = [{"stream": {"job": "rate"}, "values": [[str(BASE_NS + i), "r" * 900] for i in range(100)]}]
        s1, _ = push(server, "rate", big)
        s2, b2 = push(server, "rate", big)
        tally.check(s1 == 204, "rate: first 90KB push within the burst -> %d" % s1)
        tally.check(s2 == 429 and b"Ingestion rate limit exceeded for user rate" in b2,
                    "rate: second push -> %d %s" % (s2, text(b2)[:90]))
        s3, _ = push(server, "other", big)
        tally.check(s3 == 204, "rate is per tenant: another tenant's push -> %d" % s3)
        # Active streams: 5 allowed.
        statuses = [push(server, "streams", [one({"app": "s%d" % i})])[0] for i in range(5)]
        tally.check(statuses == [204] * 5, "streams: five new streams -> %s" % statuses)
        s, b = push(server, "streams", [one({"app": "s5"})])
        tally.check(s == 429 and b"Maximum active stream limit exceeded" in b and b"user: 'streams'" in b,
                    "streams: a sixth stream -> %d %s" % (s, text(b)[:90]))
        s, _ = push(server, "streams", [one({"app": "s0"}, "again", 1)])
        tally.check(s == 204, "streams: an existing stream still accepts entries -> %d" % s)
        s, b = push(server, "streams", [one({"app": "s1"}, "mixed", 2), one({"app": "s6"}, "mixed", 2)])
        tally.check(s == 429, "streams: a batch with one new stream over the limit -> %d" % s)
        st, body = server.get("/loki/api/v1/query_range", {"query": '{app=~"s.*"} |= "mixed"', "start": str(BASE_NS),
                                                          "end": str(BASE_NS + 10**9)}, headers={"X-Scope-OrgID": "streams"})
        got = [(r["stream"]["app"], v[1]) for r in json.loads(body)["data"]["result"] for v in r["values"]] if st == 200 else None
        tally.check(got == [("s1", "mixed")], "streams: the admitted stream of that batch was stored: %s" % got)
        s, _ = push(server, "streams-2", [one({"app": "s%d" % i}) for i in range(5)])
        tally.check(s == 204, "streams: the limit is per tenant -> %d" % s)
        # Body size.
        s, b = server.request("POST", "/loki/api/v1/push", body=b"{" + b" " * (300 << 10) + b"}",
                              headers={"Content-Type": "application/json", "X-Scope-OrgID": "rate"})
        tally.check(s == 413, "body over max_request_body_bytes (256KB) -> %d" % s)
        read_timeout(server, tally)
        tally.check(server.proc.poll() is None, "ingestion server alive")
    finally:
        server.close()


def read_timeout(server, tally):
    """Half a request, then silence: cut at the read timeout (1 s); others are served."""
    for name, partial in [("headers", b"GET /ready HTTP/1.1\r\nHost: x\r\n"),
                          ("body", b"POST /loki/api/v1/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                   b"X-Scope-OrgID: t\r\nContent-Length: 100\r\n\r\n{\"str")]:
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        s.sendall(partial)
        started = time.time()
        others = [server.get("/ready", timeout=2)[0] for _ in range(3)]
        try:
            data = s.recv(4096)
            while data:
                data = s.recv(4096)
            cut = True
        except ConnectionResetError:
            cut = True
        except socket.timeout:
            cut = False
        took = time.time() - started
        s.close()
        tally.check(cut and took < 5, "read timeout: stalled %s cut after %.1fs" % (name, took))
        tally.check(others == [200] * 3, "others served meanwhile: %s" % others)


def load(server, lines):
    for b in range(lines // 10000):
        values = [[str(BASE_NS + (b * 10000 + k) * 10**6), "level=info b=%d k=%d msg=\"%s\"" % (b, k, "abcdefgh" * 10)]
                  for k in range(10000)]
        status, _ = server.push_json([{"stream": {"job": "load"}, "values": values}])
        if status != 204:
            return False
    return True


def queries(tally):
    server = configured_server(QUERY_LIMITS)
    try:
        server.start()
        tally.check(load(server, 300_000), "loaded 300k entries")
        end = str(BASE_NS + 400 * 10**9)
        slow = {"query": 'sum(count_over_time({job="load"} | logfmt | line_format "{{.msg}}{{.msg}}{{.msg}}{{.msg}}{{.b}}"'
                          ' | regexp "(?P<x>(a.*h)+)" |~ "(a.*h)+z" [1m]))',
                "start": str(BASE_NS), "end": end, "step": "60"}
        # Time budget.
        t = time.time()
        s, b = server.get("/loki/api/v1/query_range", slow)
        took = time.time() - t
        tally.check(s == 504, "query over the 200ms query_timeout -> %d %s after %.2fs" % (s, text(b)[:60], took))
        tally.check(took < 3, "the timed-out query stops promptly (%.2fs)" % took)
        # Memory budget.
        s, b = server.get("/loki/api/v1/query_range", {"query": '{job="load"}', "start": str(BASE_NS), "end": end, "limit": "5000"})
        tally.check(s == 400 and b"max_query_result_bytes" in b, "result over the 200KB budget -> %d %s" % (s, text(b)[:80]))
        s, b = server.get("/loki/api/v1/query_range", {"query": '{job="load"}', "start": str(BASE_NS), "end": end, "limit": "50"})
        tally.check(s == 200, "a small result within the budget -> %d" % s)
        # Bounded queue: 1 worker, 3 outstanding per tenant, 12 concurrent slow queries.
        results = []
        lock = threading.Lock()

        def run():
            st, bd = server.get("/loki/api/v1/query_range", slow)
            with lock:
                results.append((st, bd))
        threads = [threading.Thread(target=run) for _ in range(12)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        statuses = sorted(st for st, _ in results)
        rejected = [bd for st, bd in results if st == 429]
        tally.check(rejected and all(b"too many outstanding requests" in bd for bd in rejected),
                    "queue bound: %d of 12 rejected with 429 too many outstanding requests" % len(rejected))
        tally.check(all(st in (200, 429, 504) for st in statuses) and len(rejected) < 12,
                    "queue bound: the admitted ones ran: %s" % statuses)
        s, _ = server.get("/loki/api/v1/labels", {"start": str(BASE_NS), "end": end})
        tally.check(s == 200, "after the burst the queue is free again -> %d" % s)
        tally.check(server.proc.poll() is None, "query server alive")
    finally:
        server.close()


def memory(tally):
    """Greedy queries stop during evaluation at max_query_memory_bytes (1MB) or before it at
    max_query_bytes_read (6MB of lines); the server stays up and serves the next query."""
    server = configured_server(MEMORY_LIMITS)
    try:
        server.start()
        tally.check(load(server, 100_000), "loaded 100k entries (~11MB of lines over 100s)")
        ten = str(BASE_NS + 10 * 10**9)  # the first 10k entries: ~1.1MB of lines
        greedy = [
            ("log query", {"query": '{job="load"} | logfmt | line_format "{{.msg}}{{.msg}}{{.msg}}{{.msg}}"',
                           "start": str(BASE_NS), "end": ten, "limit": "5000"}),
            ("10k-series range metric query", {"query": 'count_over_time({job="load"} | logfmt [1m])',
                                               "start": str(BASE_NS), "end": ten, "step": "1"}),
            ("binary op over 10k series", {"query": 'count_over_time({job="load"} | logfmt | k=~".*0" [1s])'
                                                    ' / on (k) count_over_time({job="load"} | logfmt [1s])',
                                           "start": str(BASE_NS), "end": ten, "step": "1"}),
        ]
        for name, params in greedy:
            t = time.time()
            s, b = server.get("/loki/api/v1/query_range", params)
            tally.check(s == 400 and b"query would use too much memory" in b and b"max_query_memory_bytes" in b,
                        "memory: greedy %s -> %d %s (%.2fs)" % (name, s, text(b)[:100], time.time() - t))
            s, b = server.get("/loki/api/v1/query_range", {"query": '{job="load"}', "start": str(BASE_NS),
                                                           "end": ten, "limit": "100"})
            n = sum(len(r["values"]) for r in json.loads(b)["data"]["result"]) if s == 200 else None
            tally.check(n == 100, "memory: the next query is served -> %d, %s entries" % (s, n))
        s, b = server.get("/loki/api/v1/query_range", {"query": 'sum(count_over_time({job="load"} | logfmt [1s]))',
                                                       "start": str(BASE_NS), "end": ten, "step": "1"})
        tally.check(s == 200, "memory: a metric query within the budget -> %d %s" % (s, text(b)[:80]))
        # Bytes read, from index stats: the whole 100s (~11MB) is refused, 10s is not.
        s, b = server.get("/loki/api/v1/query_range", {"query": 'sum(rate({job="load"}[10s]))',
                                                       "start": str(BASE_NS), "end": str(BASE_NS + 100 * 10**9),
                                                       "step": "10"})
        tally.check(s == 400 and b"the query would read too many bytes (query: " in b
                    and b"consider adding more specific stream selectors or reduce the time range of the query" in b,
                    "bytes read: 100s of lines over max_query_bytes_read -> %d %s" % (s, text(b)[:110]))
        s, b = server.get("/loki/api/v1/query_range", {"query": 'sum(rate({job="load"}[1s]))', "start": str(BASE_NS),
                                                       "end": ten, "step": "1"})
        tally.check(s == 200, "bytes read: 10s within the limit -> %d %s" % (s, text(b)[:80]))
        tally.check(server.proc.poll() is None, "memory server alive")
    finally:
        server.close()
    # The process-wide pool: no per-query limit, 2MB for all queries together -> 429.
    server = configured_server(POOL_LIMITS)
    try:
        server.start()
        tally.check(load(server, 10_000), "pool: loaded 10k entries")
        s, b = server.get("/loki/api/v1/query_range", {"query": 'count_over_time({job="load"} | logfmt [1m])',
                                                       "start": str(BASE_NS), "end": ten, "step": "1"})
        tally.check(s == 429 and b"too many outstanding requests" in b and b"max_total_query_memory_bytes" in b,
                    "pool: a query over the process-wide query memory -> %d %s" % (s, text(b)[:100]))
        s, b = server.get("/loki/api/v1/query_range", {"query": 'sum(count_over_time({job="load"} | logfmt [1s]))',
                                                       "start": str(BASE_NS), "end": ten, "step": "1"})
        tally.check(s == 200, "pool: the memory is back for the next query -> %d" % s)
        tally.check(server.proc.poll() is None, "pool server alive")
    finally:
        server.close()


def main():
    tally = Tally()
    ingestion(tally)
    queries(tally)
    memory(tally)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
