#!/usr/bin/env bash
# Installs dependencies, builds, and starts Fenrir on port 3100 with its built-in default config
# (data in ./fenrir-data). Arguments are passed to fenrir, e.g. -config.file=loki.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh fenrir
exec ./build/fenrir "$@"
