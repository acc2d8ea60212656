#!/usr/bin/env bash
# Replays Grafana 10.2's (and 11+'s) Loki requests against Fenrir and checks the answers.
set -euo pipefail
exec python3 "$(dirname "$0")/grafana_replay.py"
