"""Real push clients against a real Fenrir: winston-loki (protobuf+snappy) and pino-loki (JSON)
push lines, and the lines come back from query_range exactly."""
import json
import os
import subprocess
import sys
import time

from fenrir import SOURCE_DIR, Fenrir, Tally

COUNT = 250
CLIENTS_DIR = os.path.join(SOURCE_DIR, "tests", "clients")


def read_back(server, app, run, want):
    now = time.time_ns()
    lines = []
    for _ in range(100):  # the clients batch asynchronously: poll up to 10 s
        result = server.query_range('{app="%s", run="%s"}' % (app, run), now - 3600 * 10**9,
                                    now + 60 * 10**9, limit=5000)
        lines = [v[1] for s in result for v in s["values"]]
        if len(lines) >= want:
            break
        time.sleep(0.1)
    return lines


def main():
    tally = Tally()
    if not os.path.isdir(os.path.join(CLIENTS_DIR, "node_modules")):
        print("tests/clients/node_modules missing: run `npm ci` in tests/clients (scripts/test.sh does)")
        return 1
    with Fenrir() as server:
        run = str(os.getpid())
        for client in ("winston", "pino"):
            p = subprocess.run(["node", os.path.join(CLIENTS_DIR, "push_clients.js"), client, server.addr, run,
                                str(COUNT)], cwd=CLIENTS_DIR, capture_output=True, text=True, timeout=120)
            tally.check(p.returncode == 0, "%s pushed without error %s" % (client, (p.stderr or "")[-500:]))
            lines = read_back(server, client + "-test", run, COUNT)
            tally.check(len(lines) == COUNT, "%s: %d of %d lines read back" % (client, len(lines), COUNT))
            if client == "winston":
                want = {"winston line %d <&> \"quoted\" ünïcødé" % i for i in range(COUNT)}
                tally.check(set(lines) == want, "winston: lines read back byte for byte (protobuf+snappy)")
            else:
                msgs = set()
                for l in lines:
                    try:
                        msgs.add(json.loads(l).get("msg"))
                    except ValueError:
                        pass
                tally.check(msgs == {"pino line %d" % i for i in range(COUNT)}, "pino: JSON lines read back")
        status, body = server.get("/loki/api/v1/label/app/values")
        apps = json.loads(body).get("data", []) if status == 200 else []
        tally.check({"winston-test", "pino-test"} <= set(apps), "label values list both client apps: %s" % apps)
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
