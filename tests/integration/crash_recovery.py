"""Kill -9 while several clients push; restart on the same data; every acknowledged entry must be
there exactly once. FENRIR_CRASH_ROUNDS sets the rounds (CI: 3; long mode: 50 or more)."""
import collections
import json
import os
import random
import sys
import threading
import time

from fenrir import Fenrir, Tally

ROUNDS = int(os.environ.get("FENRIR_CRASH_ROUNDS", "3"))
CLIENTS = 4
BATCH = 50
MAX_BATCHES = 1000  # per client and round: bounded load, and one query page reads a client back
BASE_NS = 1_790_000_000 * 10**9  # 2026-09-21: fixed and inside the permissive test config


def pusher(server, round_no, client, acked, stop):
    seq = 0
    for _ in range(MAX_BATCHES):
        if stop.is_set():
            return
        values = []
        for _ in range(BATCH):
            # Out of order on purpose: timestamps jump back and forth inside the stream.
            ts = BASE_NS + round_no * 10**12 + seq * 1000 + random.randint(0, 999)
            values.append([str(ts), "round=%d client=%d seq=%d" % (round_no, client, seq)])
            seq += 1
        stream = {"stream": {"job": "crash", "round": str(round_no), "client": str(client)},
                  "values": values}
        try:
            status, _ = server.push_json([stream])
        except OSError:
            return  # server died mid-request: this batch was not acknowledged
        if status == 204:
            acked.extend(v[1] for v in values)
        elif status >= 500:
            return


def read_round(server, round_no):
    start = BASE_NS + round_no * 10**12
    lines = []
    for client in range(CLIENTS):
        result = server.query_range('{job="crash", round="%d", client="%d"}' % (round_no, client),
                                    start, start + 10**12, limit=100000, direction="forward")
        values = [v for s in result for v in s["values"]]
        if len(values) >= 100000:
            raise AssertionError("round %d client %d: too many entries for one page" % (round_no, client))
        lines.extend(v[1] for v in values)
    return lines


def main():
    tally = Tally()
    server = Fenrir()
    acked_by_round = {}
    try:
        server.start()
        for r in range(ROUNDS):
            acked, stop = [], threading.Event()
            threads = [threading.Thread(target=pusher, args=(server, r, c, acked, stop)) for c in range(CLIENTS)]
            for t in threads:
                t.start()
            time.sleep(random.uniform(0.05, 0.4))
            server.kill()  # SIGKILL while pushes are in flight
            stop.set()
            for t in threads:
                t.join()
            acked_by_round[r] = list(acked)
            server.start()
            # Every round so far must still be complete and free of duplicates after this restart.
            for rr, want in acked_by_round.items():
                got = collections.Counter(read_round(server, rr))
                missing = [l for l in want if got[l] == 0]
                dups = [l for l, n in got.items() if n > 1]
                tally.check(not missing, "round %d after restart %d: %d acknowledged entries present (%d missing)"
                            % (rr, r, len(want), len(missing)))
                tally.check(not dups, "round %d after restart %d: no entry twice (%d duplicated)" % (rr, r, len(dups)))
            tally.check(len(acked) > 0, "round %d acknowledged %d entries before the kill" % (r, len(acked)))
    finally:
        server.close()
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
