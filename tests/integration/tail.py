"""Live tail over a real WebSocket: backfill, live entries within a second of a push, pipeline
filtering, pings, categorize-labels, 1011 closes (bad query, too many tails), slow clients
(dropped_entries, bounded memory). Python standard library only."""
import json
import os
import sys
import threading
import time
import urllib.parse

from fenrir import PERMISSIVE_LIMITS, Fenrir, Tally
from wsclient import Closed, WebSocket

CONFIG = PERMISSIVE_LIMITS + "  max_concurrent_tail_requests: 4\n"


def now_ns():
    return time.time_ns()


def tail_url(server, params):
    return "ws://127.0.0.1:%d/loki/api/v1/tail?%s" % (server.port, urllib.parse.urlencode(params))


def entries_of(msg):
    out = []
    for s in msg.get("streams", []):
        for v in s["values"]:
            out.append((s["stream"], v))
    return out


def recv_json(ws, deadline=None):
    return json.loads(ws.recv(deadline))


def collect(ws, seconds):
    """Messages received within `seconds` (socket timeouts end the wait)."""
    msgs, deadline = [], time.time() + seconds
    while time.time() < deadline:
        try:
            msgs.append(recv_json(ws, deadline))
        except OSError:
            break
    return msgs


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    t = Tally()
    with Fenrir(extra_config=CONFIG) as server:
        base = now_ns() - 60 * 10**9
        history = [[str(base + i * 10**9), "history line %d" % i] for i in range(5)]
        st, _ = server.push_json([{"stream": {"app": "tail", "env": "a"}, "values": history}])
        t.check(st == 204, "push history")

        # Backfill: the newest `limit` entries, oldest first; Origin is not checked.
        ws = WebSocket(tail_url(server, {"query": '{app="tail"}', "limit": "3"}),
                       headers={"Origin": "http://elsewhere.example"})
        msg = recv_json(ws)
        got = [v[1] for _, v in entries_of(msg)]
        t.check(got == ["history line 2", "history line 3", "history line 4"],
                "backfill sends the newest 3 entries oldest first: %s" % got)
        t.check(all(len(v) == 2 and isinstance(v[0], str) for _, v in entries_of(msg)),
                "backfill entries are [\"<ns>\", \"<line>\"]")
        t.check("dropped_entries" not in msg, "no dropped_entries key when nothing dropped")

        # Live entries within one second of the push.
        delays = []
        for i in range(3):
            line = "live line %d" % i
            pushed = time.time()
            server.push_json([{"stream": {"app": "tail", "env": "a"},
                               "values": [[str(now_ns()), line]]}])
            seen = None
            while seen is None and time.time() - pushed < 3:
                m = recv_json(ws, pushed + 3)
                for stream, v in entries_of(m):
                    if v[1] == line:
                        seen = time.time() - pushed
                        t.check(stream == {"app": "tail", "env": "a"}, "live entry labels")
            delays.append(seen)
        t.check(all(d is not None and d < 1.0 for d in delays),
                "live entries arrive within 1 s of the push: %s" % delays)

        # Pings every second (the client answers them).
        pings_before = ws.pings
        collect(ws, 2.6)
        t.check(ws.pings - pings_before >= 2, "server pings every second (%d in 2.6 s)" %
                (ws.pings - pings_before))
        ws.close()

        # Pipeline: filters and parsers run on live entries; other streams are not sent.
        ws = WebSocket(tail_url(server, {"query": '{app="tail"} |= "keep" | logfmt',
                                         "start": str(now_ns())}))
        time.sleep(0.3)
        server.push_json([
            {"stream": {"app": "tail", "env": "b"},
             "values": [[str(now_ns()), "level=warn msg=keep"], [str(now_ns() + 1), "level=info msg=drop"]]},
            {"stream": {"app": "other"}, "values": [[str(now_ns()), "level=warn msg=keep other"]]}])
        got = []
        for m in collect(ws, 1.5):
            got += entries_of(m)
        t.check([v[1] for _, v in got] == ["level=warn msg=keep"],
                "line filter applied to live entries, other streams excluded: %s" % got)
        t.check(got and got[0][0] == {"app": "tail", "env": "b", "level": "warn", "msg": "keep"},
                "parsed labels fold into the stream (2.9 shape): %s" % (got[0][0] if got else None))
        ws.close()

        # categorize-labels: 3-element entries and a top-level encodingFlags.
        ws = WebSocket(tail_url(server, {"query": '{app="tail"} | logfmt', "start": str(now_ns())}),
                       headers={"X-Loki-Response-Encoding-Flags": "categorize-labels"})
        time.sleep(0.3)
        server.push_json([{"stream": {"app": "tail", "env": "c"},
                           "values": [[str(now_ns()), "level=error msg=cat"]]}])
        msgs = collect(ws, 1.5)
        ok = bool(msgs) and msgs[0].get("encodingFlags") == ["categorize-labels"] and \
            entries_of(msgs[0])[0][0] == {"app": "tail", "env": "c"} and \
            entries_of(msgs[0])[0][1][2] == {"parsed": {"level": "error", "msg": "cat"}}
        t.check(ok, "categorize-labels tail message: %s" % (msgs[:1],))
        ws.close()

        # A bad query closes with 1011 and Loki's parse error.
        ws = WebSocket(tail_url(server, {"query": '{app="tail"'}))
        try:
            recv_json(ws)
            t.check(False, "bad query closes the socket")
        except Closed as c:
            t.check(c.code == 1011 and c.reason.startswith("parse error"),
                    "bad query: close 1011 %r" % c.reason)
        ws.sock.close()

        # Parameter errors are plain 400s before the upgrade.
        try:
            WebSocket(tail_url(server, {"query": '{app="tail"}', "delay_for": "6"}))
            t.check(False, "delay_for > 5 rejected")
        except ConnectionError as e:
            t.check("400" in str(e), "delay_for > 5 rejected before the upgrade: %s" % e)

        # Too many tails: the 5th with max_concurrent_tail_requests 4.
        open_tails = [WebSocket(tail_url(server, {"query": '{app="tail"}', "start": str(now_ns())}))
                      for _ in range(4)]
        time.sleep(0.3)
        extra = WebSocket(tail_url(server, {"query": '{app="tail"}'}))
        try:
            recv_json(extra)
            t.check(False, "5th tail refused")
        except Closed as c:
            t.check(c.code == 1011 and c.reason ==
                    "max concurrent tail requests limit exceeded, count > limit (5 > 4)",
                    "5th tail: close 1011 %r" % c.reason)
        extra.sock.close()

        # Many open tails do not slow ingestion much.
        def push_timing(n):
            began = time.time()
            for i in range(n):
                server.push_json([{"stream": {"app": "tail", "env": "speed"},
                                   "values": [[str(now_ns()), "speed %d" % i]]}])
            return time.time() - began
        with_tails = push_timing(200)
        for w in open_tails:
            w.close()
        time.sleep(0.5)
        without = push_timing(200)
        t.check(with_tails < max(3 * without, 1.0),
                "200 pushes with 4 tails open %.2fs vs none %.2fs" % (with_tails, without))

        # A freed slot can be used again.
        ws = WebSocket(tail_url(server, {"query": '{app="tail"}', "limit": "1"}))
        t.check(len(entries_of(recv_json(ws))) == 1, "tail slots are released on close")
        ws.close()

        # Slow client: it stops reading while much more than its buffers is pushed.
        slow = WebSocket(tail_url(server, {"query": '{app="slow"}', "start": str(now_ns())}),
                         rcvbuf=4096)
        time.sleep(0.3)
        rss0 = rss_kb(server.proc.pid)
        payload = "x" * 2000
        pushed = 0
        for batch in range(40):
            vals = [[str(now_ns() + i), "%d-%d %s" % (batch, i, payload)] for i in range(500)]
            st, _ = server.push_json([{"stream": {"app": "slow"}, "values": vals}])
            pushed += len(vals)
        rss1 = rss_kb(server.proc.pid)
        received = dropped = 0
        closed = False
        try:
            deadline = time.time() + 20
            while time.time() < deadline and received + dropped < pushed:
                m = recv_json(slow, min(deadline, time.time() + 5))
                received += len(entries_of(m))
                dropped += len(m.get("dropped_entries", []))
        except Closed:
            closed = True
        except OSError:
            pass
        t.check(dropped > 0 or closed,
                "slow client: %d of %d delivered, %d reported dropped, closed=%s" %
                (received, pushed, dropped, closed))
        t.check(received < pushed, "slow client did not get everything buffered")
        growth_mb = (rss1 - rss0) / 1024.0
        pushed_mb = pushed * 2000 / 1e6
        t.check(growth_mb < pushed_mb + 200,
                "server memory bounded while a client stalls: +%.0f MB for %.0f MB pushed" %
                (growth_mb, pushed_mb))
        slow.sock.close()
        # The server still tails fine afterwards.
        ws = WebSocket(tail_url(server, {"query": '{app="tail"}', "limit": "2"}))
        t.check(len(entries_of(recv_json(ws))) == 2, "server healthy after the slow client")
        ws.close()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
