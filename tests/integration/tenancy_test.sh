#!/usr/bin/env bash
# See tenancy.py and docs/reliability.md.
set -euo pipefail
exec python3 "$(dirname "$0")/tenancy.py"
