#!/usr/bin/env bash
# See shutdown.py and docs/reliability.md.
set -euo pipefail
exec python3 "$(dirname "$0")/shutdown.py"
