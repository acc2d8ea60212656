#!/usr/bin/env bash
# See head_memory.py: the head memory budget answers 429 before memory grows past it.
set -euo pipefail
exec python3 "$(dirname "$0")/head_memory.py"
