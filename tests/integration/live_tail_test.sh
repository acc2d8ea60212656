#!/usr/bin/env bash
# Live tail over a real WebSocket (backfill, live pushes, pings, 1011 closes, slow clients).
set -euo pipefail
exec python3 "$(dirname "$0")/tail.py"
