#!/usr/bin/env bash
# Every dashboard query in grafana/ answers against a Fenrir holding the conformance dataset.
set -euo pipefail
exec python3 "$(dirname "$0")/dashboards.py"
