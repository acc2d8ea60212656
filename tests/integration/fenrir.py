"""Starts the real fenrir binary for integration tests: a free port, a temporary data directory,
a config written for the test. Python standard library only."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

SOURCE_DIR = os.environ.get("FENRIR_SOURCE_DIR",
                            os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BINARY = os.environ.get("FENRIR_BINARY", os.path.join(SOURCE_DIR, "build", "fenrir"))
SHARED = os.environ.get("FENRIR_SHARED_DIR", os.path.join(os.path.dirname(SOURCE_DIR), "shared"))
if not os.path.isdir(SHARED) and os.path.isdir("/work/shared"):
    SHARED = "/work/shared"  # worktrees live one level deeper than the main checkout

# Settings under which the fixed conformance dataset (2026-11-01) is accepted and kept.
PERMISSIVE_LIMITS = """
limits_config:
  reject_old_samples: false
  creation_grace_period: 8760h
  retention_period: 0s
  ingestion_rate_mb: 4096
  ingestion_burst_size_mb: 8192
  max_entries_limit_per_query: 100000
  max_query_series: 100000
  allow_structured_metadata: true
  volume_enabled: true
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Fenrir:
    """One fenrir process on a temporary data directory, restartable on the same data."""

    def __init__(self, extra_config=PERMISSIVE_LIMITS, auth=False):
        self.tmp = tempfile.mkdtemp(prefix="fenrir-test-")
        self.data = os.path.join(self.tmp, "data")
        self.port = free_port()
        self.addr = "http://127.0.0.1:%d" % self.port
        self.config = os.path.join(self.tmp, "loki.yaml")
        with open(self.config, "w") as f:
            f.write("auth_enabled: %s\nserver:\n  http_listen_address: 127.0.0.1\n"
                    "  http_listen_port: %d\ncommon:\n  path_prefix: %s\n%s"
                    % ("true" if auth else "false", self.port, self.data, extra_config))
        self.proc = None
        self.log = open(os.path.join(self.tmp, "fenrir.log"), "ab")

    def start(self, timeout=30):
        self.proc = subprocess.Popen([BINARY, "-config.file=" + self.config],
                                     stdout=self.log, stderr=self.log)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("fenrir exited with %d; log:\n%s" % (self.proc.returncode, self.tail_log()))
            try:
                status, _ = self.get("/ready", timeout=1)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("fenrir not ready after %ds; log:\n%s" % (timeout, self.tail_log()))

    def kill(self):
        """SIGKILL: no flush, no shutdown hook."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def close(self):
        self.stop()
        self.log.close()
        if os.environ.get("FENRIR_KEEP_TMP"):
            print("kept", self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def tail_log(self, n=4000):
        self.log.flush()
        with open(os.path.join(self.tmp, "fenrir.log"), "rb") as f:
            return f.read()[-n:].decode("utf-8", "replace")

    def request(self, method, path, params=None, body=None, headers=None, timeout=60):
        url = self.addr + path
        if params:
            url += "?" + urllib.parse.urlencode(params, doseq=True)
        req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def get(self, path, params=None, **kw):
        return self.request("GET", path, params, **kw)

    def push_json(self, streams, headers=None):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", "/loki/api/v1/push", body=json.dumps({"streams": streams}).encode(), headers=h)

    def query_range(self, query, start, end, limit=1000, direction="forward", headers=None):
        status, body = self.get("/loki/api/v1/query_range",
                                {"query": query, "start": str(start), "end": str(end),
                                 "limit": str(limit), "direction": direction}, headers=headers)
        if status != 200:
            raise AssertionError("query_range %s: HTTP %d %s" % (query, status, body[:300]))
        return json.loads(body)["data"]["result"]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()


class Tally:
    """Counts checks and prints the closing line CI reads."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
            print("ok    " + what)
        else:
            self.failed += 1
            print("FAIL  " + what)
        return ok

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 1 if self.failed or not self.passed else 0
