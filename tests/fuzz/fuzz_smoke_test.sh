#!/usr/bin/env bash
# Builds every libFuzzer target (tests/fuzz/*_fuzz.cc) with clang in build-fuzz/ (reused when
# present) and runs each for FENRIR_FUZZ_SECONDS (default 20) on a scratch copy of its seed corpus
# tests/fuzz/corpus/<target>/. Any crash, sanitizer report, leak, timeout or out-of-memory fails
# the target; its input is kept in build-fuzz/artifacts/<target>/. Last line: "N passed, N failed".
# Environment: FENRIR_FUZZ_SECONDS, FENRIR_FUZZ_TARGETS (space-separated subset, default all),
# FENRIR_FUZZ_BUILD_DIR (default <source>/build-fuzz), CXX_FUZZ (default clang++),
# FENRIR_FUZZ_JOBS (build jobs, default nproc), FENRIR_FUZZ_CXXFLAGS (optimisation and debug
# flags, default "-O1 -gline-tables-only -DNDEBUG", as OSS-Fuzz builds).
set -uo pipefail

SRC="${FENRIR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BUILD="${FENRIR_FUZZ_BUILD_DIR:-$SRC/build-fuzz}"
SECONDS_PER_TARGET="${FENRIR_FUZZ_SECONDS:-20}"
CXX_BIN="${CXX_FUZZ:-clang++}"
JOBS="${FENRIR_FUZZ_JOBS:-$(nproc)}"
FLAGS="${FENRIR_FUZZ_CXXFLAGS:--O1 -gline-tables-only -DNDEBUG}"

passed=0
failed=0
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

if ! command -v "$CXX_BIN" >/dev/null 2>&1; then
  echo "FAIL: $CXX_BIN not found (apt-get install clang libclang-rt-14-dev)"
  failed=1
  finish
fi

targets=()
if [ -n "${FENRIR_FUZZ_TARGETS:-}" ]; then
  for t in $FENRIR_FUZZ_TARGETS; do targets+=("${t%_fuzz}_fuzz"); done
else
  for f in "$SRC"/tests/fuzz/*_fuzz.cc; do
    t="$(basename "$f" .cc)"
    targets+=("$t")
  done
fi

mkdir -p "$BUILD"
# (Re)configure every run: cheap when cached, and it picks up new *_fuzz.cc files. Tests and
# benchmarks are off so only the three libraries and the fuzzers are compiled.
if ! cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$CXX_BIN" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$FLAGS" -DFENRIR_FUZZ=ON \
    -DFENRIR_TESTS=OFF -DFENRIR_BENCH=OFF \
    >"$BUILD/configure.log" 2>&1; then
  cat "$BUILD/configure.log"
  echo "FAIL: cmake configure of $BUILD"
  failed=${#targets[@]}
  finish
fi
if ! ninja -C "$BUILD" -j"$JOBS" "${targets[@]}"; then
  echo "FAIL: building fuzz targets"
  failed=${#targets[@]}
  finish
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

for t in "${targets[@]}"; do
  name="${t%_fuzz}"
  seeds="$SRC/tests/fuzz/corpus/$name"
  work="$BUILD/corpus/$name"
  artifacts="$BUILD/artifacts/$name"
  mkdir -p "$work" "$artifacts"
  # New inputs go to the scratch corpus, never into the source tree.
  args=("$work")
  [ -d "$seeds" ] && args+=("$seeds")
  log="$BUILD/$name.log"
  start=$(date +%s)
  "$BUILD/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
    -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/" "${args[@]}" >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  if [ "$rc" -eq 0 ]; then
    echo "PASS: $t (${took}s, ${runs:-?} runs)"
    passed=$((passed + 1))
  else
    echo "FAIL: $t (exit $rc after ${took}s); inputs in $artifacts/; log $log:"
    grep -E -A40 'ERROR: |runtime error|property failed' "$log" | head -60
    failed=$((failed + 1))
  fi
done

finish
