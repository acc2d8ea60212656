"""Disk full: the data directory is a 32 MB tmpfs. Push until pushes fail; they must fail cleanly
(5xx, never 2xx for lost data, no crash); everything acknowledged before stays readable; after
the tmpfs grows (remount, size=128m) pushes succeed again without a restart. Needs root (mount);
when mounting is impossible the test fails and says why."""
import json
import os
import random
import string
import subprocess
import sys
import time

from fenrir import Fenrir, Tally

BASE_NS = 1_790_000_000 * 10**9
BATCH_LINES = 1000
LINE_BYTES = 1000
MAX_BATCHES = 400  # 400 MB offered to a 32 MB disk: bounded, and far more than fits


def mount(args):
    r = subprocess.run(["mount"] + args, capture_output=True, text=True)
    return r.returncode == 0, (r.stderr or r.stdout).strip()


def batch(n):
    # Incompressible text so the disk really fills (zstd cannot shrink it much).
    rnd = random.Random(n)
    alphabet = string.ascii_letters + string.digits
    values = [[str(BASE_NS + n * 10**9 + k), "batch=%d k=%d %s" % (n, k, "".join(rnd.choice(alphabet) for _ in range(LINE_BYTES)))]
              for k in range(BATCH_LINES)]
    return [{"stream": {"job": "fill", "part": str(n % 4)}, "values": values}]


def stored_count(server):
    status, body = server.get("/loki/api/v1/query", {"query": 'sum(count_over_time({job="fill"}[30d]))',
                                                      "time": str(BASE_NS + 10**15)})
    if status != 200:
        return None
    result = json.loads(body)["data"]["result"]
    return int(float(result[0]["value"][1])) if result else 0


def main():
    tally = Tally()
    server = Fenrir()
    os.makedirs(server.data, exist_ok=True)
    ok, why = mount(["-t", "tmpfs", "-o", "size=32m", "tmpfs", server.data])
    if not tally.check(ok, "mount a 32 MB tmpfs as the data dir (%s)" % (why or "ok")):
        server.close()
        return tally.finish()
    try:
        server.start()
        acked_batches, statuses = [], []
        failed_status = None
        for n in range(MAX_BATCHES):
            try:
                status, body = server.push_json(batch(n))
            except OSError as e:
                status, body = None, str(e).encode()
            statuses.append(status)
            if status == 204:
                acked_batches.append(n)
                continue
            failed_status = (status, body[:200].decode("utf-8", "replace").strip())
            break
        print("pushed %d batches (%d MB offered) before the first failure: %s"
              % (len(acked_batches), len(acked_batches) * BATCH_LINES * LINE_BYTES >> 20, failed_status))
        tally.check(failed_status is not None, "pushes fail once the disk is full")
        tally.check(failed_status is not None and failed_status[0] is not None and 500 <= failed_status[0] < 600,
                    "the failure is a clean 5xx: %s" % (failed_status,))
        # A few more pushes on the full disk: still clean failures, never a crash.
        more = []
        for n in range(len(statuses), len(statuses) + 5):
            try:
                more.append(server.push_json(batch(n))[0])
            except OSError:
                more.append(None)
        tally.check(all(s is not None and s >= 500 for s in more), "repeated pushes on a full disk -> %s" % more)
        tally.check(server.proc.poll() is None, "server alive on a full disk")
        status, _ = server.get("/ready")
        tally.check(status == 200, "/ready on a full disk -> %s" % status)
        want = len(acked_batches) * BATCH_LINES
        got = stored_count(server)
        tally.check(got is not None and got >= want,
                    "all %d acknowledged entries readable on the full disk (count %s)" % (want, got))
        if acked_batches:
            first = acked_batches[0]
            res = server.query_range('{job="fill", part="%d"} |= "batch=%d "' % (first % 4, first),
                                     BASE_NS, BASE_NS + 10**13, limit=5000)
            tally.check(sum(len(s["values"]) for s in res) == BATCH_LINES, "first batch readable line by line")

        ok, why = mount(["-o", "remount,size=128m", server.data])
        tally.check(ok, "grow the tmpfs to 128 MB (%s)" % (why or "ok"))
        recovered = None
        deadline = time.time() + 30
        n = len(statuses) + 10
        while time.time() < deadline:
            status, _ = server.push_json(batch(n))
            if status == 204:
                recovered = n
                acked_batches.append(n)
                break
            time.sleep(0.5)
        tally.check(recovered is not None, "pushes succeed again after space is freed, without a restart")
        if recovered is not None:
            for k in range(1, 4):
                status, _ = server.push_json(batch(n + k))
                if status == 204:
                    acked_batches.append(n + k)
            got = stored_count(server)
            want = len(acked_batches) * BATCH_LINES
            tally.check(got is not None and got >= want, "after recovery: %d acknowledged entries readable (count %s)" % (want, got))
        # And all of it survives a restart.
        server.stop()
        server.start()
        got = stored_count(server)
        want = len(acked_batches) * BATCH_LINES
        tally.check(got is not None and got >= want, "after restart: %d acknowledged entries readable (count %s)" % (want, got))
    finally:
        server.stop()
        mount_ok = subprocess.run(["umount", server.data], capture_output=True).returncode == 0
        if not mount_ok:
            subprocess.run(["umount", "-l", server.data], capture_output=True)
        server.close()
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
