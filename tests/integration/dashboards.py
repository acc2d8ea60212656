"""Every Loki query of the grafana/ dashboards (macros and variables substituted with values
from the dataset) answers 200 without error against a Fenrir holding the conformance dataset;
the dashboards' query variables resolve to non-empty lists; the metric names the Prometheus
panels use appear in Fenrir's /metrics."""
import json
import re
import sys
import urllib.parse

from dataset import END_NS, START_NS, start_with_dataset
from fenrir import Tally
from logql_exprs import LABEL_VALUES, dashboard_variables, dashboards, substitute

PROM_BUILTIN = {"up"}  # written by Prometheus itself, not the target


def main():
    t = Tally()
    server = start_with_dataset()
    try:
        s, e = str(START_NS), str(END_NS)
        panels = dashboards()
        for dash, title, expr, qtype, ds in panels:
            if ds != "loki":
                continue
            for interval in ("1m", "15s"):
                q = substitute(expr, interval=interval, rng="2h")
                step = {"1m": "60000ms", "15s": "15000ms"}[interval]
                if qtype == "instant":
                    st, body = server.get("/loki/api/v1/query",
                                          {"query": q, "time": e, "direction": "backward"})
                else:
                    st, body = server.get("/loki/api/v1/query_range",
                                          {"query": q, "start": s, "end": e, "step": step,
                                           "direction": "backward", "limit": "1000"})
                ok = st == 200 and json.loads(body).get("status") == "success"
                n = len(json.loads(body)["data"]["result"]) if ok else 0
                t.check(ok, "%s / %s (%s, %s): HTTP %d, %d results%s" %
                        (dash, title, qtype, interval, st, n, "" if ok else " " + body[:200].decode()))
        for dash, name, query, ds in dashboard_variables():
            if ds != "loki":
                continue
            m = LABEL_VALUES.match(substitute(query))
            if not t.check(m is not None, "%s: variable %s is label_values(): %s" % (dash, name, query)):
                continue
            sel, label = m.group(1), m.group(2)
            if sel:
                st, body = server.get("/loki/api/v1/series", {"match[]": sel, "start": s, "end": e})
                values = sorted({x[label] for x in json.loads(body).get("data", []) if label in x})
            else:
                st, body = server.get("/loki/api/v1/label/%s/values" % label, {"start": s, "end": e})
                values = json.loads(body).get("data", [])
            t.check(st == 200 and values, "%s: variable %s -> %s" % (dash, name, values))
        # Prometheus panels: the metric names they read exist in /metrics (after some traffic).
        server.get("/loki/api/v1/labels")
        st, body = server.get("/metrics")
        exposed = set()
        for line in body.decode().splitlines():
            if line and not line.startswith("#"):
                exposed.add(re.split(r"[{ ]", line, 1)[0])
        for dash, title, expr, qtype, ds in panels:
            if ds != "prometheus":
                continue
            for name in re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{", expr):
                if name in PROM_BUILTIN:
                    continue
                t.check(name in exposed, "%s / %s: metric %s in /metrics" % (dash, title, name))
    finally:
        server.close()
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
