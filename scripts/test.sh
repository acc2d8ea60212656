#!/usr/bin/env bash
# Installs dependencies, builds everything and runs every test (unit, integration, conformance,
# real clients, crash recovery, manifests) through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
( cd tests/clients && npm ci --no-audit --no-fund --loglevel=error )
./scripts/build.sh
cd build
ctest --output-on-failure --timeout 1200 -j 2 "$@"
