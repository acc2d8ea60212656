"""The head memory budget (fenrir.head_max_bytes): a push that would take the head past it is
answered 429 with a clear message and stores nothing, and under a sustained push load the
server's memory stays bounded by the budget rather than by what was pushed."""
import sys
import threading
import time

from fenrir import PERMISSIVE_LIMITS, Fenrir, Tally

BASE_NS = 1_790_000_000 * 10**9
BUDGET = 16 << 20
CONFIG = PERMISSIVE_LIMITS + """fenrir:
  head_max_bytes: 16MB
ingester:
  max_chunk_age: 1h
"""


def body(stream, first_ts, n, width):
    pad = "x" * width
    values = ",".join('["%d","%d %s line %d"]' % (first_ts + i, first_ts + i, pad, i) for i in range(n))
    return ('{"streams":[{"stream":{"job":"budget","s":"%d"},"values":[%s]}]}' % (stream, values)).encode()


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    t = Tally()
    server = Fenrir(CONFIG).start()
    try:
        h = {"Content-Type": "application/json"}
        # One push larger than the whole budget: 429, nothing stored.
        status, text = server.request("POST", "/loki/api/v1/push",
                                      body=body(999, BASE_NS, 30000, 600), headers=h)
        t.check(status == 429, "a 20 MB push into a 16 MiB head is answered 429 (got %d)" % status)
        t.check(b"head_max_bytes" in text, "the 429 names the budget: %r" % text[:160])
        status, text = server.get("/loki/api/v1/query_range", {
            "query": 'count_over_time({job="budget", s="999"}[1h])',
            "start": str(BASE_NS - 10**9), "end": str(BASE_NS + 3600 * 10**9), "step": "3600"})
        t.check(status == 200 and b'"result":[]' in text.replace(b" ", b""),
                "the rejected push stored nothing")

        # Sustained load: 4 workers push ~160 MB of lines through the 16 MiB head.
        baseline = rss_kb(server.proc.pid)
        codes, bad_messages, peak = {}, [], [baseline]
        lock = threading.Lock()
        done = threading.Event()

        def sampler():
            while not done.is_set():
                peak[0] = max(peak[0], rss_kb(server.proc.pid))
                time.sleep(0.02)

        def worker(w):
            for i in range(80):
                st, txt = server.request("POST", "/loki/api/v1/push",
                                         body=body(w * 10 + i % 10, BASE_NS + (w * 80 + i) * 10**6,
                                                   2000, 250), headers=h)
                with lock:
                    codes[st] = codes.get(st, 0) + 1
                    if st == 429 and b"head_max_bytes" not in txt:
                        bad_messages.append(txt[:200])

        s = threading.Thread(target=sampler)
        s.start()
        workers = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        done.set()
        s.join()
        print("status codes:", codes, "baseline RSS %d KiB, peak %d KiB" % (baseline, peak[0]))
        t.check(set(codes) <= {204, 429}, "every push is stored (204) or refused (429): %s" % codes)
        t.check(codes.get(204, 0) > 0, "most pushes are stored")
        t.check(not bad_messages, "every 429 names the budget")
        # 160 MB went in; the head may hold 16 MiB (plus RocksDB's memtables, 64 MiB at most,
        # its block cache and request buffers).
        growth_mib = (peak[0] - baseline) / 1024
        t.check(growth_mib < 140, "RSS grew by %.0f MiB while 160 MB were pushed" % growth_mib)
        status, _ = server.get("/metrics")
        t.check(status == 200, "the server still answers")
    finally:
        server.close()
    sys.exit(t.finish())


if __name__ == "__main__":
    main()
