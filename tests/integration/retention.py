"""Retention, deletion and the admin API against the real fenrir binary (docs/retention.md).

Two tenants with ten days of data each; team-a has a 48h runtime override, team-b the 120h
default. Checks read-time retention, a forced pass shrinking disk usage, a delete request with
a line filter (received -> processed), a cancelled request, a runtime overrides reload, the
admin API's access control and odd paths, and that processed deletes survive a restart."""
import json
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fenrir import Fenrir, Tally  # noqa: E402

TOKEN = "t0ken-for-tests"
HOUR = 3600 * 10**9
DAY = 24 * HOUR

CONFIG = """
limits_config:
  reject_old_samples: false
  creation_grace_period: 8760h
  retention_period: 120h
  ingestion_rate_mb: 1024
  ingestion_burst_size_mb: 1024
  max_entries_limit_per_query: 100000
runtime_config:
  file: %(overrides)s
  period: 1s
compactor:
  retention_enabled: true
  compaction_interval: 1h
  delete_request_cancel_period: 0s
fenrir:
  admin_token: %(token)s
"""


def main():
    t = Tally()
    f = Fenrir(auth=True, extra_config="")
    overrides = os.path.join(f.tmp, "overrides.yaml")
    with open(overrides, "w") as o:
        o.write('overrides:\n  "team-a":\n    retention_period: 48h\n')
    with open(f.config, "a") as c:
        c.write(CONFIG % {"overrides": overrides, "token": TOKEN})
    f.start()
    try:
        run(f, t, overrides)
    finally:
        f.close()
    return t.finish()


def org(tenant):
    return {"X-Scope-OrgID": tenant}


def admin(f, method, path, token=TOKEN):
    headers = {"Authorization": "Bearer " + token} if token else {}
    status, body = f.request(method, path, headers=headers)
    return status, (json.loads(body) if body and body[:1] in (b"{", b"[") else body)


def lines(f, tenant, query, start, end):
    result = f.query_range(query, start, end, limit=100000, headers=org(tenant))
    return sorted((int(ts), line) for s in result for ts, line in s["values"])


def run(f, t, overrides):
    now = time.time_ns()
    pushed = {}
    for tenant in ("team-a", "team-b"):
        values = []
        for d in range(10):
            for i in range(5):
                ts = now - d * DAY - (i + 1) * 60 * 10**9
                values.append([str(ts), "day=%d i=%d %s" % (d, i, "secret=1" if i % 2 == 0 else "ok")])
        status, body = f.push_json([{"stream": {"app": "api"}, "values": values}], headers=org(tenant))
        t.check(status == 204, "push %s: %s" % (tenant, status))
        pushed[tenant] = sorted((int(ts), line) for ts, line in values)
    start, end = now - 30 * DAY, now + 1

    # Read-time retention: team-a keeps 48h (override), team-b 120h (default).
    for tenant, hours in (("team-a", 48), ("team-b", 120)):
        want = [e for e in pushed[tenant] if e[0] >= now - hours * HOUR]
        got = lines(f, tenant, '{app="api"}', start, end)
        # The cutoff moves with the wall clock: allow entries that just crossed it.
        t.check(set(got) <= set(want) and len(got) >= len(want) - 1,
                "%s sees only the last %dh before any pass (%d of %d)" % (tenant, hours, len(got), len(pushed[tenant])))

    # Admin access control and odd paths.
    t.check(admin(f, "GET", "/admin/tenants", token=None)[0] == 401, "admin without token: 401")
    t.check(admin(f, "GET", "/admin/tenants", token="wrong")[0] == 401, "admin with a wrong token: 401")
    status, body = admin(f, "GET", "/admin/tenants")
    t.check(status == 200 and body == {"tenants": ["team-a", "team-b"]}, "admin lists tenants: %s" % (body,))
    for path in ("/admin/tenants/%2e%2e/retention", "/admin/tenants/..%2Fetc/disk_usage",
                 "/admin/tenants/a/b/retention", "/admin/../loki/api/v1/labels", "/admin/nope"):
        status, _ = admin(f, "GET", path)
        t.check(status in (400, 404), "odd admin path %s: %d" % (path, status))

    # A forced pass reclaims expired days.
    t.check(admin(f, "POST", "/admin/flush")[0] == 200, "admin flush")
    _, before = admin(f, "GET", "/admin/tenants/team-b/disk_usage")
    _, all_before = admin(f, "GET", "/admin/disk_usage")
    status, report = admin(f, "POST", "/admin/retention/run")
    t.check(status == 200 and report["partitions_dropped"] >= 8, "retention pass: %s" % (report,))
    _, after = admin(f, "GET", "/admin/tenants/team-b/disk_usage")
    _, after_a = admin(f, "GET", "/admin/tenants/team-a/disk_usage")
    t.check(len(before["days"]) >= 10 and len(after["days"]) <= 6,
            "team-b days on disk %d -> %d" % (len(before["days"]), len(after["days"])))
    t.check(len(after_a["days"]) <= 3, "team-a days on disk after the pass: %d" % len(after_a["days"]))
    t.check(after["compressed_bytes"] < before["compressed_bytes"],
            "team-b block bytes %d -> %d (store disk bytes %d before the pass, %d after)"
            % (before["compressed_bytes"], after["compressed_bytes"], report["disk_bytes_before"],
               report["disk_bytes_after"]))
    status, ret = admin(f, "GET", "/admin/tenants/team-a/retention?selector=" + urllib.parse.quote('{app="api"}'))
    t.check(status == 200 and ret["streams"][0]["retention_period"] == "2d", "retention status of team-a: %s" % (ret,))

    # Delete API: secret lines of the last 30 hours of team-b.
    kept_b = lines(f, "team-b", '{app="api"}', start, end)
    del_start, del_end = (now - 30 * HOUR) // 10**9, now // 10**9
    q = {"query": '{app="api"} |= "secret=1"', "start": str(del_start), "end": str(del_end)}
    status, body = f.request("POST", "/loki/api/v1/delete?" + urllib.parse.urlencode(q), headers=org("team-b"))
    t.check(status == 204, "delete request accepted: %d %s" % (status, body))
    status, body = f.request("POST", "/loki/api/v1/delete?query=%7Bapp%3D%22api%22%7D", headers=org("team-b"))
    t.check(status == 400 and body == b"start time not set\n", "delete without start: %d %r" % (status, body))
    status, body = f.get("/loki/api/v1/delete", headers=org("team-b"))
    reqs = json.loads(body)
    t.check(status == 200 and len(reqs) == 1 and reqs[0]["status"] == "received", "delete request received: %s" % reqs)
    want = [e for e in kept_b if not (del_start * 10**9 <= e[0] <= del_end * 10**9 and "secret=1" in e[1])]
    t.check(lines(f, "team-b", '{app="api"}', start, end) == want, "deleted lines hidden at once (cancel period 0)")
    status, report = admin(f, "POST", "/admin/retention/run")
    t.check(status == 200 and report["delete_requests_processed"] == 1 and report["entries_deleted"] > 0,
            "delete processed by a pass: %s" % (report,))
    reqs = json.loads(f.get("/loki/api/v1/delete", headers=org("team-b"))[1])
    t.check(reqs[0]["status"] == "processed", "delete request processed")
    t.check(lines(f, "team-b", '{app="api"}', start, end) == want, "exactly the matching lines are gone")
    t.check(json.loads(f.get("/loki/api/v1/delete", headers=org("team-a"))[1]) == [], "other tenant sees no requests")

    # A cancelled request deletes nothing.
    q = {"query": '{app="api"}', "start": str((now - 200 * HOUR) // 10**9), "end": str(now // 10**9)}
    status, _ = f.request("PUT", "/loki/api/v1/delete?" + urllib.parse.urlencode(q), headers=org("team-a"))
    reqs = json.loads(f.get("/loki/api/v1/delete", headers=org("team-a"))[1])
    rid = reqs[0]["request_id"]
    status, _ = f.request("DELETE", "/loki/api/v1/delete?request_id=" + rid, headers=org("team-a"))
    t.check(status == 204, "cancel accepted")
    status, body = f.request("DELETE", "/loki/api/v1/delete?request_id=" + rid, headers=org("team-a"))
    t.check(status == 404, "cancel twice: 404 %r" % body)
    a_now = lines(f, "team-a", '{app="api"}', start, end)
    admin(f, "POST", "/admin/retention/run")
    t.check(lines(f, "team-a", '{app="api"}', start, end) == a_now and len(a_now) > 0,
            "cancelled request removed nothing (%d lines)" % len(a_now))

    # Runtime overrides reload: team-b drops to 24h.
    with open(overrides, "w") as o:
        o.write('overrides:\n  "team-a":\n    retention_period: 48h\n  "team-b":\n    retention_period: 24h\n')
    deadline = time.time() + 15
    got = None
    while time.time() < deadline:
        got = lines(f, "team-b", '{app="api"}', start, end)
        if got and min(ts for ts, _ in got) >= time.time_ns() - 24 * HOUR:
            break
        time.sleep(0.3)
    t.check(got and min(ts for ts, _ in got) >= time.time_ns() - 24 * HOUR - 60 * 10**9,
            "overrides file reload applies 24h to team-b (%d lines)" % len(got or []))

    # Restart: processed status persists, deleted lines stay deleted.
    f.stop()
    f.start()
    reqs = json.loads(f.get("/loki/api/v1/delete", headers=org("team-b"))[1])
    t.check(len(reqs) == 1 and reqs[0]["status"] == "processed", "delete request survives a restart")
    t.check(not any("secret=1" in l and ts >= del_start * 10**9
                    for ts, l in lines(f, "team-b", '{app="api"}', start, end)),
            "deleted lines stay deleted after a restart")


if __name__ == "__main__":
    sys.exit(main())
