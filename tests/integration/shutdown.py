"""Graceful shutdown: SIGTERM while pushes and queries are in flight. Every request sent before
the signal gets a complete answer (no connection reset), the process exits 0 within a few
seconds, and every acknowledged push is there after a restart. FENRIR_SHUTDOWN_ROUNDS rounds."""
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.parse

from bad_input_raw import http_bytes, read_response
from fenrir import Fenrir, Tally

ROUNDS = int(os.environ.get("FENRIR_SHUTDOWN_ROUNDS", "3"))
BASE_NS = 1_790_000_000 * 10**9
CONNECTIONS = 64
HEAVY = 4
EXIT_WITHIN_S = 10


def push_request(round_no, i, lines=200):
    values = [[str(BASE_NS + (round_no + 1) * 10**12 + i * 10**6 + k), "round=%d req=%d k=%d" % (round_no, i, k)]
              for k in range(lines)]
    body = json.dumps({"streams": [{"stream": {"job": "shutdown", "round": str(round_no)}, "values": values}]}).encode()
    return http_bytes("POST", "/loki/api/v1/push", {"Content-Type": "application/json"}, body), [v[1] for v in values]


def query_request():
    params = urllib.parse.urlencode({"query": 'sum(count_over_time({job="shutdown"} |~ "k=1.*" [1h]))',
                                     "start": str(BASE_NS), "end": str(BASE_NS + 10**13), "step": "3600"})
    return http_bytes("GET", "/loki/api/v1/query_range?" + params)


def one_round(server, round_no, acked, tally):
    socks, kinds = [], []
    # Every request is fully sent before the signal, the last ones right before it (likely
    # still in the listen backlog or not yet read when the signal lands).
    # The first pushes are large: they keep the I/O threads busy, so later connections wait
    # in the listen backlog when the signal lands.
    for i in range(CONNECTIONS):
        s = socket.create_connection(("127.0.0.1", server.port), timeout=30)
        socks.append(s)
        if i < HEAVY:
            req, lines = push_request(round_no, i, 20000)
            s.sendall(req)
            kinds.append(("push", lines))
        elif i % 3 == 2:
            s.sendall(query_request())
            kinds.append(("query", None))
        else:
            req, lines = push_request(round_no, i)
            s.sendall(req)
            kinds.append(("push", lines))
    signalled = time.time()
    server.proc.send_signal(signal.SIGTERM)
    results = [None] * len(socks)

    def reader(i):
        try:
            results[i] = read_response(socks[i], timeout=30)[0]
        except OSError as e:
            results[i] = "error: %s" % e
    threads = [threading.Thread(target=reader, args=(i,)) for i in range(len(socks))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in socks:
        s.close()
    bad = []
    for (kind, lines), status in zip(kinds, results):
        if kind == "push" and status == 204:
            acked.extend(lines)
        elif not (kind == "query" and status == 200):
            bad.append((kind, status))
    tally.check(not bad, "round %d: all %d requests sent before SIGTERM answered (bad: %s)"
                % (round_no, len(socks), bad[:5]))
    try:
        code = server.proc.wait(timeout=EXIT_WITHIN_S + 20)
    except Exception:
        code = None
    took = time.time() - signalled
    tally.check(code == 0 and took < EXIT_WITHIN_S,
                "round %d: exit code %s after %.2fs" % (round_no, code, took))


def main():
    tally = Tally()
    server = Fenrir()
    acked = []
    try:
        server.start()
        # Some data so that queries take a moment.
        for b in range(20):
            values = [[str(BASE_NS + b * 10**9 + k), "seed b=%d k=%d %s" % (b, k, "x" * 50)] for k in range(2000)]
            status, _ = server.push_json([{"stream": {"job": "shutdown", "round": "seed"}, "values": values}])
            if status == 204:
                acked.extend(v[1] for v in values)
        for r in range(ROUNDS):
            one_round(server, r, acked, tally)
            server.start()
            got = set()
            for rr in range(-1, r + 1):  # -1: the seed data; one page per round
                start = BASE_NS + (rr + 1) * 10**12
                result = server.query_range('{job="shutdown"}', start, start + 10**12, limit=100000)
                got.update(v[1] for s in result for v in s["values"])
            missing = [l for l in acked if l not in got]
            tally.check(not missing, "after restart %d: %d acknowledged entries present (%d missing)"
                        % (r, len(acked), len(missing)))
        # Idle keep-alive connections must not hold the shutdown up.
        idle = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(8)]
        started = time.time()
        server.proc.send_signal(signal.SIGTERM)
        code = server.proc.wait(timeout=30)
        tally.check(code == 0 and time.time() - started < EXIT_WITHIN_S,
                    "idle connections: exit %d after %.2fs" % (code, time.time() - started))
        for s in idle:
            s.close()
    finally:
        server.close()
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
