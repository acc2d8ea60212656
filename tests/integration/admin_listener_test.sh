#!/usr/bin/env bash
# The admin API bound to a separate listen address.
set -euo pipefail
exec python3 "$(dirname "$0")/admin_listener.py"
