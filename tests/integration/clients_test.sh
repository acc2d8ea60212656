#!/usr/bin/env bash
# winston-loki (protobuf+snappy) and pino-loki (JSON) push into a real Fenrir and read back.
set -euo pipefail
exec python3 "$(dirname "$0")/clients.py"
