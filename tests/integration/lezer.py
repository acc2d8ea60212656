"""Every LogQL expression of the conformance corpus (except err-*) and of the grafana/
dashboards parses with Grafana's own grammar (@grafana/lezer-logql, no error nodes) and with
Fenrir (POST /loki/api/v1/format_query answers 200)."""
import json
import os
import subprocess
import sys
import urllib.parse

from fenrir import SOURCE_DIR, Fenrir, Tally
from logql_exprs import corpus, dashboards, substitute

CLIENTS = os.path.join(SOURCE_DIR, "tests", "clients")


def main():
    t = Tally()
    if not os.path.isdir(os.path.join(CLIENTS, "node_modules", "@grafana", "lezer-logql")):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=CLIENTS, check=True,
                       capture_output=True, timeout=600)
    exprs = [(cid, q) for cid, _, _, q in corpus()]
    exprs += [("%s/%s" % (d, title), substitute(e)) for d, title, e, _, ds in dashboards()
              if ds == "loki"]
    node = subprocess.run(["node", os.path.join(CLIENTS, "lezer_check.js")],
                          input=json.dumps([q for _, q in exprs]), capture_output=True,
                          text=True, cwd=CLIENTS, timeout=300)
    if not t.check(node.returncode == 0, "lezer-logql ran: %s" % node.stderr[-500:]):
        return t.finish()
    results = json.loads(node.stdout)
    with Fenrir() as server:
        for (cid, q), r in zip(exprs, results):
            t.check(r["ok"], "lezer-logql parses %s: %s%s" %
                    (cid, q[:100], "" if r["ok"] else "  -> " + r["error"]))
            st, body = server.request(
                "POST", "/loki/api/v1/format_query",
                body=urllib.parse.urlencode({"query": q}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"})
            t.check(st == 200, "fenrir format_query accepts %s%s" %
                    (cid, "" if st == 200 else ": %d %s" % (st, body[:200])))
    return t.finish()


if __name__ == "__main__":
    sys.exit(main())
