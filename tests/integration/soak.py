"""Soak: mixed pushes and queries for FENRIR_SOAK_SECONDS (CI 30; long mode 600) with no errors
and bounded memory (VmRSS / VmHWM from /proc). Prints duration, requests and peak RSS.
FENRIR_SOAK_MAX_RSS_MB bounds the peak (default 1024)."""
import json
import os
import random
import sys
import threading
import time
import urllib.parse

from fenrir import Fenrir, Tally

SECONDS = float(os.environ.get("FENRIR_SOAK_SECONDS", "30"))
MAX_RSS_MB = float(os.environ.get("FENRIR_SOAK_MAX_RSS_MB", "1024"))
BASE_NS = 1_790_000_000 * 10**9
PUSHERS, QUERIERS = 3, 2
STREAMS_PER_PUSHER = 20
BATCH = 200
MAX_REQUESTS = 10_000_000  # bound on every loop
WINDOW_ENTRIES = 50_000


def proc_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024.0  # MB
    return out


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = []
        self.error_count = 0
        self.acked = {}
        self.latest_seq = 0  # pusher 0's progress: queries read a sliding recent window

    def add(self, ok, what):
        with self.lock:
            self.requests += 1
            if not ok:
                self.error_count += 1
                if len(self.errors) < 20:
                    self.errors.append(what)


def pusher(server, n, stats, stop):
    seq = 0
    acked = 0
    for _ in range(MAX_REQUESTS):
        if stop.is_set():
            break
        s = random.randrange(STREAMS_PER_PUSHER)
        values = []
        for _ in range(BATCH):
            values.append([str(BASE_NS + seq * 1000 + n), "pusher=%d seq=%d level=%s msg=%s"
                           % (n, seq, random.choice(["info", "warn", "error"]), "y" * random.randint(10, 200))])
            seq += 1
        try:
            status, body = server.push_json([{"stream": {"job": "soak", "pusher": str(n), "s": str(s)}, "values": values}])
        except OSError as e:
            status, body = None, str(e).encode()
        stats.add(status == 204, "push %s %s" % (status, body[:100]))
        if status == 204:
            acked += BATCH
            if n == 0:
                stats.latest_seq = seq
    with stats.lock:
        stats.acked[n] = (acked, seq)


def querier(server, n, stats, stop):
    # Entries are 1 us apart, so the window below spans 50 ms: the range vectors match it
    # ([1m] would reach back over everything stored and make the cost grow with the run).
    queries = ['{job="soak"} |= "error"', 'sum by (level) (count_over_time({job="soak"} | logfmt [50ms]))',
               'rate({job="soak", pusher="0"}[50ms])', 'topk(3, sum by (s) (bytes_over_time({job="soak"}[50ms])))']
    for i in range(MAX_REQUESTS):
        if stop.is_set():
            break
        # The window trails the pushers (~50k entries per pusher), so a query costs the same at
        # minute 1 and minute 10 instead of growing with everything stored.
        end = BASE_NS + (stats.latest_seq + 1000) * 1000
        start = max(BASE_NS, end - WINDOW_ENTRIES * 1000)
        kind = i % 6
        try:
            if kind < 4:
                status, body = server.get("/loki/api/v1/query_range", {"query": queries[kind], "start": str(start),
                                                                      "end": str(end), "limit": "500", "step": "60"})
            elif kind == 4:
                status, body = server.get("/loki/api/v1/series", {"match[]": '{job="soak"}', "start": str(start), "end": str(end)})
            else:
                status, body = server.get("/loki/api/v1/label/s/values", {"start": str(start), "end": str(end)})
        except OSError as e:
            status, body = None, str(e).encode()
        stats.add(status == 200, "query %d %s %s" % (kind, status, body[:100]))


def main():
    tally = Tally()
    server = Fenrir()
    stats = Stats()
    samples = []
    try:
        server.start()
        stop = threading.Event()
        threads = [threading.Thread(target=pusher, args=(server, n, stats, stop)) for n in range(PUSHERS)]
        threads += [threading.Thread(target=querier, args=(server, n, stats, stop)) for n in range(QUERIERS)]
        started = time.time()
        for t in threads:
            t.start()
        while time.time() - started < SECONDS:
            time.sleep(1)
            samples.append((time.time() - started, proc_status(server.proc.pid)))
            if server.proc.poll() is not None:
                break
        stop.set()
        for t in threads:
            t.join()
        duration = time.time() - started
        final = proc_status(server.proc.pid)
        peak = final["VmHWM"]
        print("soak: duration %.1fs, requests %d (%.0f/s), peak RSS (VmHWM) %.1f MB, final RSS %.1f MB"
              % (duration, stats.requests, stats.requests / duration, peak, final["VmRSS"]))
        tally.check(server.proc.poll() is None, "server alive after %.0fs" % duration)
        tally.check(not stats.errors, "no request errors out of %d (%d errors; first: %s)"
                    % (stats.requests, stats.error_count, stats.errors[:3]))
        tally.check(peak < MAX_RSS_MB, "peak RSS %.1f MB below %.0f MB" % (peak, MAX_RSS_MB))
        # Bounded: the second half does not keep growing like the first.
        half = [s["VmRSS"] for t, s in samples if t >= duration / 2]
        if len(half) >= 4:
            mid, last = half[0], max(half)
            tally.check(last <= mid * 1.5 + 128, "RSS in the second half %.1f -> %.1f MB (bounded growth)" % (mid, last))
        # Every acknowledged entry is there.
        for n in range(PUSHERS):
            acked, _ = stats.acked.get(n, (0, 0))
            status, body = server.get("/loki/api/v1/query", {
                "query": 'sum(count_over_time({job="soak", pusher="%d"}[30d]))' % n, "time": str(BASE_NS + 10**15)})
            got = 0
            if status == 200:
                result = json.loads(body)["data"]["result"]
                got = int(float(result[0]["value"][1])) if result else 0
            tally.check(got == acked, "pusher %d: %d entries stored, %d acknowledged" % (n, got, acked))
    finally:
        server.close()
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
