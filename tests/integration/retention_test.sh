#!/usr/bin/env bash
# Retention, the delete API and the admin API over HTTP against the real binary.
set -euo pipefail
exec python3 "$(dirname "$0")/retention.py"
