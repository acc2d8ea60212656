#!/usr/bin/env bash
# Pushes the fixed conformance dataset into a fresh Fenrir and compares answers with Loki's.
set -euo pipefail
exec python3 "$(dirname "$0")/conformance.py"
