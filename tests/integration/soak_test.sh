#!/usr/bin/env bash
# See soak.py and docs/reliability.md.
set -euo pipefail
exec python3 "$(dirname "$0")/soak.py"
