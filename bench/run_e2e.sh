#!/usr/bin/env bash
# End-to-end benchmark of Fenrir with the shared instrument (the same script measured Loki 2.9.9):
# builds the release binary, then runs tools/bench-server.sh (three ingest phases, /flush, disk,
# RSS, CPU, the query and scan suites) and prints the Markdown summary.
#   bench/run_e2e.sh            full scale, medians of 3 runs (about 5 minutes)
#   bench/run_e2e.sh --scale 0.05 --runs 1   one-minute smoke run
# Results land in bench-results/ (gitignored); copy the figures into bench/README.md.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${FENRIR_TOOLS_DIR:-$ROOT/../../shared/tools}
[ -x "$TOOLS/bench-server.sh" ] || TOOLS=/work/shared/tools
cd "$ROOT"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
ninja -C build -j2 fenrir
"$TOOLS/bench-server.sh" --name fenrir --settle 0 --runs 3 "$@" -- ./build/fenrir
