#!/usr/bin/env bash
# See limits.py and docs/reliability.md.
set -euo pipefail
exec python3 "$(dirname "$0")/limits.py"
