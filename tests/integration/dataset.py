"""A Fenrir holding the conformance dataset (2026-11-01 00:00-02:00 UTC), shared by the
Grafana / logcli / dashboard client tests."""
import os
import subprocess
import sys

from fenrir import SHARED, Fenrir

START_NS = 1793491200 * 10**9  # 2026-11-01T00:00:00Z
END_NS = START_NS + 2 * 3600 * 10**9
QUERIES = os.path.join(SHARED, "conformance", "queries.txt")


def start_with_dataset(extra_config=None):
    server = Fenrir() if extra_config is None else Fenrir(extra_config=extra_config)
    server.start()
    run_py = os.path.join(SHARED, "conformance", "run.py")
    push = subprocess.run([sys.executable, run_py, "--addr", server.addr, "--push"],
                          capture_output=True, text=True, timeout=900)
    if push.returncode != 0:
        server.close()
        raise RuntimeError("dataset push failed: " + push.stdout + push.stderr)
    return server
