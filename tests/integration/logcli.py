"""Requests as logcli 2.9 sends them: paging through a large result backward (next
end = oldest timestamp + 1ns) and forward (next start = newest timestamp), skipping the
boundary entries already printed, must lose and duplicate nothing; `labels`, `labels <name>`,
`series` and instant queries with logcli's parameter forms (uppercase FORWARD/BACKWARD, ns or
float-seconds times, match=)."""
import json
import sys

from dataset import END_NS, START_NS, start_with_dataset
from fenrir import Tally

QUERY = '{namespace=~"production|staging"}'


def key(stream, v):
    return (tuple(sorted(stream.items())), v[0], v[1])


def query_range(server, q, limit, start, end, direction):
    st, body = server.get("/loki/api/v1/query_range",
                          {"query": q, "limit": str(limit), "start": str(start), "end": str(end),
                           "direction": direction})
    if st != 200:
        raise AssertionError("HTTP %d %s" % (st, body[:200]))
    return json.loads(body)["data"]["result"]


def page(server, q, batch, forward):
    """logcli's batch loop; returns the entries in print order."""
    start, end = START_NS, END_NS
    printed, last = [], set()
    requests = 0
    while True:
        requests += 1
        result = query_range(server, q, batch + len(last), start, end,
                             "FORWARD" if forward else "BACKWARD")
        entries = sorted(((int(v[0]), key(s["stream"], v)) for s in result for v in s["values"]),
                         reverse=not forward)
        new = [(ts, k) for ts, k in entries if k not in last]
        if not new:
            break
        printed += [k for _, k in new]
        boundary = new[-1][0]
        last = {k for ts, k in entries if ts == boundary}
        if forward:
            start = boundary
        else:
            end = boundary + 1
        if requests > 10000:
            raise AssertionError("paging does not terminate")
    return printed, requests


def main():
    t = Tally()
    server = start_with_dataset()
    try:
        everything = query_range(server, QUERY, 100000, START_NS, END_NS, "forward")
        all_keys = [key(s["stream"], v) for s in everything for v in s["values"]]
        total = len(all_keys)
        t.check(total > 5000, "reference result holds %d entries" % total)
        for forward in (False, True):
            for batch in (1000, 333):
                got, requests = page(server, QUERY, batch, forward)
                what = "%s paging, batch %d (%d requests)" % (
                    "forward" if forward else "backward", batch, requests)
                t.check(len(got) == len(set(got)), what + ": no duplicates")
                t.check(set(got) == set(all_keys),
                        what + ": no entry lost (%d of %d)" % (len(set(got)), total))
                ts = [int(k[1]) for k in got]
                t.check(ts == sorted(ts, reverse=not forward), what + ": printed in order")

        # labels / labels <name> / series with logcli's forms.
        for start, end, form in ((START_NS, END_NS, "ns"),
                                 ("%d.000" % (START_NS // 10**9), "%d.5" % (END_NS // 10**9), "float s")):
            st, body = server.get("/loki/api/v1/labels", {"start": str(start), "end": str(end)})
            labels = json.loads(body).get("data", [])
            t.check(st == 200 and "namespace" in labels, "labels (%s): %s" % (form, labels))
            st, body = server.get("/loki/api/v1/label/namespace/values",
                                  {"start": str(start), "end": str(end)})
            t.check(st == 200 and "staging" in json.loads(body).get("data", []),
                    "labels namespace (%s)" % form)
            st, body = server.get("/loki/api/v1/series",
                                  {"match": QUERY, "start": str(start), "end": str(end)})
            series = json.loads(body).get("data", [])
            want = {tuple(sorted(s["stream"].items())) for s in everything}
            got = {tuple(sorted(s.items())) for s in series}
            t.check(st == 200 and got == want, "series match= (%s): %d streams" % (form, len(got)))
        st, body = server.get("/loki/api/v1/series",
                              {"match": ['{namespace="production"}', '{namespace="staging"}'],
                               "start": str(START_NS), "end": str(END_NS)})
        t.check(st == 200 and len(json.loads(body)["data"]) == len(want),
                "series with repeated match= is the union")
        # Instant metric query as `logcli instant-query` sends it.
        st, body = server.get("/loki/api/v1/query",
                              {"query": "sum(count_over_time(%s[2h]))" % QUERY, "limit": "30",
                               "time": str(END_NS), "direction": "BACKWARD"})
        res = json.loads(body)["data"]["result"] if st == 200 else []
        # The instant range (time-2h, time] excludes entries exactly at START_NS.
        want_count = sum(1 for k in all_keys if int(k[1]) > START_NS)
        t.check(st == 200 and res and float(res[0]["value"][1]) == want_count,
                "instant-query count equals the paged total: %s" % (res[:1],))
        # --stats style: stats present; --quiet irrelevant. Unknown direction is a 400.
        st, body = server.get("/loki/api/v1/query_range",
                              {"query": QUERY, "limit": "10", "start": str(START_NS),
                               "end": str(END_NS), "direction": "SIDEWAYS"})
        t.check(st == 400 and b"invalid direction" in body, "bad direction: 400")
    finally:
        server.close()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
