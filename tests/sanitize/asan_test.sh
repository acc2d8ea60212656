#!/usr/bin/env bash
# Builds the Catch2 unit-test executables with AddressSanitizer + UBSan (-DFENRIR_SANITIZE=ON) in
# build-asan/ (reused when present) and runs them through CTest. Only tests labelled `unit` run:
# the script tests (this one, the fuzz smoke test, integration) are excluded. Leak detection is
# on and UBSan halts on the first report. Last line: "N passed, N failed".
# Built with -O1 -g1 (line tables for the reports, a cheaper compile than -O2 -g).
# Environment: FENRIR_ASAN_BUILD_DIR (default <source>/build-asan), FENRIR_ASAN_JOBS (default
# nproc), FENRIR_ASAN_TESTS (a ctest -R regex to run a subset), FENRIR_ASAN_CXXFLAGS
# (optimisation and debug flags, default "-O1 -g1 -DNDEBUG").
set -uo pipefail

SRC="${FENRIR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BUILD="${FENRIR_ASAN_BUILD_DIR:-$SRC/build-asan}"
JOBS="${FENRIR_ASAN_JOBS:-$(nproc)}"
FLAGS="${FENRIR_ASAN_CXXFLAGS:--O1 -g1 -DNDEBUG}"

fail_all() {
  echo "FAIL: $1"
  echo "0 passed, 1 failed"
  exit 1
}

mkdir -p "$BUILD"
# Always (re)configure: cheap when cached, and it refreshes the test list when tests were added.
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$FLAGS" -DFENRIR_SANITIZE=ON -DFENRIR_TESTS=ON \
  -DFENRIR_BENCH=OFF >"$BUILD/configure.log" 2>&1 ||
  { cat "$BUILD/configure.log"; fail_all "cmake configure of $BUILD"; }

# The unit-test executables are the tests CTest labels `unit`; build exactly those, plus the
# `fenrir` binary that tail_test and server_integration_test start (also instrumented).
mapfile -t unit_tests < <(cd "$BUILD" && ctest -N -L unit | sed -n 's/^ *Test *#[0-9]*: *//p')
[ "${#unit_tests[@]}" -gt 0 ] || fail_all "no tests labelled unit in $BUILD"
ninja -C "$BUILD" -j"$JOBS" fenrir "${unit_tests[@]}" || fail_all "building unit tests with sanitizers"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="${LSAN_OPTIONS:-}"

filter=()
[ -n "${FENRIR_ASAN_TESTS:-}" ] && filter=(-R "$FENRIR_ASAN_TESTS")
log="$BUILD/asan_ctest.log"
(cd "$BUILD" && ctest -L unit "${filter[@]}" --output-on-failure --timeout 1800 -j"$JOBS") \
  >"$log" 2>&1
rc=$?

# ctest's summary: "NN% tests passed, F tests failed out of T".
summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
if [ -z "$summary" ]; then
  tail -50 "$log"
  fail_all "ctest produced no summary (exit $rc)"
fi
failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
total=$(echo "$summary" | sed -E 's/.* failed out of ([0-9]+).*/\1/')
passed=$((total - failed))
grep -E '^ *[0-9]+/[0-9]+ Test' "$log"
if [ "$failed" -gt 0 ]; then
  echo "--- sanitizer reports and failures (full log: $log)"
  grep -E -B2 -A30 'ERROR: (Address|Leak)Sanitizer|runtime error|FAILED:|failed' "$log" | head -200
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$rc" -eq 0 ]
