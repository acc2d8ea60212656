"""The admin API on a listen address of its own: /admin/ answers there (with the bearer token)
and is 404 on the public port; the public API is 404 on the admin port."""
import json
import sys
import urllib.request

from fenrir import PERMISSIVE_LIMITS, Fenrir, Tally, free_port

TOKEN = "s3cret-token"


def get(port, path, token=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path))
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def main():
    tally = Tally()
    admin_port = free_port()
    config = PERMISSIVE_LIMITS + ("fenrir:\n  admin_token: %s\n  admin_listen_address: 127.0.0.1\n"
                                  "  admin_listen_port: %d\n" % (TOKEN, admin_port))
    with Fenrir(extra_config=config) as server:
        status, _ = server.push_json([{"stream": {"job": "a"}, "values": [["1790000000000000000", "x"]]}])
        tally.check(status == 204, "push on the public port: %d" % status)
        status, body = get(admin_port, "/admin/tenants", TOKEN)
        tenants = json.loads(body) if status == 200 else None
        tally.check(status == 200 and "fake" in json.dumps(tenants), "admin port lists tenants: %d %s" % (status, body[:200]))
        status, _ = get(admin_port, "/admin/tenants")
        tally.check(status == 401, "admin port without the token: 401 (got %d)" % status)
        status, _ = get(server.port, "/admin/tenants", TOKEN)
        tally.check(status == 404, "public port hides /admin/: 404 (got %d)" % status)
        status, _ = get(admin_port, "/loki/api/v1/labels")
        tally.check(status == 404, "admin port serves only /admin/: 404 for labels (got %d)" % status)
        status, body = server.get("/loki/api/v1/labels", {"start": "1789990000000000000", "end": "1790010000000000000"})
        tally.check(status == 200 and b"job" in body, "public port still serves the API")
    return tally.finish()


if __name__ == "__main__":
    sys.exit(main())
