#!/usr/bin/env bash
# See bad_input.py and docs/reliability.md.
set -euo pipefail
exec python3 "$(dirname "$0")/bad_input.py"
