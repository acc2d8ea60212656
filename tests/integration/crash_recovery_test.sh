#!/usr/bin/env bash
# SIGKILL during pushes, restart, and check every acknowledged entry survived exactly once.
set -euo pipefail
exec python3 "$(dirname "$0")/crash_recovery.py"
