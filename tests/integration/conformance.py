"""Runs ../shared/conformance/run.py against a Fenrir this test starts, prints the full tally, and
fails when a case of the categories Fenrir claims (REQUIRED) fails."""
import fnmatch
import os
import subprocess
import sys

from fenrir import SHARED, Fenrir

# Categories that must match Loki's answers exactly; never shrinks. Every case of the corpus
# passes since issues 2 (selectors, filters, metadata), 3 (log pipeline) and 4 (metrics) landed.
REQUIRED = ["*"]


def main():
    run_py = os.path.join(SHARED, "conformance", "run.py")
    if not os.path.exists(run_py):
        print("conformance corpus not found at %s" % run_py)
        return 1
    with Fenrir() as server:
        push = subprocess.run([sys.executable, run_py, "--addr", server.addr, "--push"],
                              capture_output=True, text=True, timeout=900)
        print(push.stdout + push.stderr)
        if push.returncode != 0:
            print("push failed; server log:\n" + server.tail_log())
            return 1
        run = subprocess.run([sys.executable, run_py, "--addr", server.addr],
                             capture_output=True, text=True, timeout=1200)
    results = {}
    for line in run.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("ok", "FAIL"):
            results[parts[1]] = parts[0] == "ok"
    print(run.stdout)
    required = sorted(c for c in results if any(fnmatch.fnmatch(c, p) for p in REQUIRED))
    broken = [c for c in required if not results[c]]
    total_ok = sum(results.values())
    print("conformance: %d of %d cases match Loki; required: %d of %d" %
          (total_ok, len(results), len(required) - len(broken), len(required)))
    if not required:
        print("no required case ran")
        return 1
    if broken:
        print("required cases failing: " + ", ".join(broken))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
