#!/usr/bin/env bash
# See disk_full.py and docs/reliability.md.
set -euo pipefail
exec python3 "$(dirname "$0")/disk_full.py"
