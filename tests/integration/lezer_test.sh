#!/usr/bin/env bash
# LogQL of the corpus and the dashboards parses with @grafana/lezer-logql and with Fenrir.
set -euo pipefail
exec python3 "$(dirname "$0")/lezer.py"
