#!/usr/bin/env bash
# Configures and builds Fenrir into build/ (release with debug info). Extra args go to ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CMAKE_ARGS:-} >/dev/null
ninja -C build -j "$(nproc)" "$@"
