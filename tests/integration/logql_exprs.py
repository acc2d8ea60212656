"""LogQL expressions used by the client tests: the conformance corpus (except err-* cases) and
the Loki panels / variables of the dashboards in grafana/, with Grafana's macros and template
variables replaced by real values from the conformance dataset."""
import glob
import json
import os
import re

from dataset import QUERIES
from fenrir import SOURCE_DIR

# Values present in the conformance dataset.
VARIABLES = {"namespace": "production", "app": "video-meta-app", "search": "request",
             "instance": "fenrir:3100"}


def corpus():
    """(id, endpoint, params, query) of every non-error case with a query."""
    out = []
    with open(QUERIES, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cid, endpoint, params, query = line.split("\t")
            if cid.startswith("err-") or not query.strip():
                continue
            out.append((cid, endpoint, params, query))
    return out


def substitute(expr, interval="1m", rng="2h"):
    expr = expr.replace("$__rate_interval", interval).replace("$__interval", interval)
    expr = expr.replace("$__auto", interval).replace("$__range", rng)
    for name, value in VARIABLES.items():
        expr = expr.replace("${%s}" % name, value).replace("$" + name, value)
    return expr


def dashboards():
    """(dashboard, panel title, expr, queryType, datasource type) of every target."""
    out = []
    for path in sorted(glob.glob(os.path.join(SOURCE_DIR, "grafana", "dashboards", "*.json"))):
        d = json.load(open(path, encoding="utf-8"))

        def walk(panels):
            for p in panels:
                ds = p.get("datasource")
                ds_type = ds.get("type") if isinstance(ds, dict) else None
                for t in p.get("targets", []):
                    tds = t.get("datasource")
                    tt = tds.get("type") if isinstance(tds, dict) else ds_type
                    if t.get("expr"):
                        out.append((os.path.basename(path), p.get("title", ""), t["expr"],
                                    t.get("queryType", "range"), tt or ds_type))
                walk(p.get("panels", []))
        walk(d.get("panels", []))
    return out


def dashboard_variables():
    """(dashboard, name, query, datasource type) of query variables."""
    out = []
    for path in sorted(glob.glob(os.path.join(SOURCE_DIR, "grafana", "dashboards", "*.json"))):
        d = json.load(open(path, encoding="utf-8"))
        for v in d.get("templating", {}).get("list", []):
            if v.get("type") != "query":
                continue
            q = v.get("query")
            if isinstance(q, dict):
                q = q.get("query") or q.get("expr") or ""
            ds = v.get("datasource")
            out.append((os.path.basename(path), v.get("name"), q,
                        ds.get("type") if isinstance(ds, dict) else None))
    return out


LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(?:(\{.*\})\s*,\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*\)\s*$")
