#!/usr/bin/env bash
# Builds the tests that exercise threads with ThreadSanitizer (-DFENRIR_TSAN=ON) in build-tsan/
# (reused when present) and runs them through CTest. Only those tests and the `fenrir` binary the
# integration tests start are built. Reports from every process (the test and the servers it
# starts) go to build-tsan/tsan-reports/; any report fails the run. RocksDB is not instrumented,
# so races inside it are suppressed (tests/sanitize/tsan.supp). Last line: "N passed, N failed".
# Built with -O1 -g1 (line tables for the reports, a cheaper compile than -O2 -g).
# Environment: FENRIR_TSAN_BUILD_DIR (default <source>/build-tsan), FENRIR_TSAN_JOBS (default
# nproc), FENRIR_TSAN_TESTS (space-separated test names, default the list below),
# FENRIR_TSAN_CXXFLAGS (optimisation and debug flags, default "-O1 -g1 -DNDEBUG").
set -uo pipefail

SRC="${FENRIR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BUILD="${FENRIR_TSAN_BUILD_DIR:-$SRC/build-tsan}"
JOBS="${FENRIR_TSAN_JOBS:-$(nproc)}"
FLAGS="${FENRIR_TSAN_CXXFLAGS:--O1 -g1 -DNDEBUG}"
# Every test that runs threads: the store under concurrent push/query/flush, retention racing
# pushes and reads, the tail hub and stream limiter under concurrent callers, and the server
# tests (live tail over WebSocket, HTTP integration) whose fenrir process is built with TSan too.
default_tests="store_concurrency_test retention_store_test tail_hub_test stream_limiter_test"
default_tests+=" tail_test server_integration_test"
read -r -a tests <<<"${FENRIR_TSAN_TESTS:-$default_tests}"

fail_all() {
  echo "FAIL: $1"
  echo "0 passed, ${#tests[@]} failed"
  exit 1
}

mkdir -p "$BUILD"
# Always (re)configure: cheap when cached. Benchmarks off; only the listed tests are built.
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$FLAGS" -DFENRIR_TSAN=ON -DFENRIR_TESTS=ON \
  -DFENRIR_BENCH=OFF >"$BUILD/configure.log" 2>&1 ||
  { cat "$BUILD/configure.log"; fail_all "cmake configure of $BUILD"; }
ninja -C "$BUILD" -j"$JOBS" fenrir "${tests[@]}" || fail_all "building tests with TSan"

reports="$BUILD/tsan-reports"
rm -rf "$reports"
mkdir -p "$reports"
# halt_on_error=0: a report does not kill a server mid-test; reports are collected from files.
export TSAN_OPTIONS="suppressions=$SRC/tests/sanitize/tsan.supp:log_path=$reports/tsan:halt_on_error=0:second_deadlock_stack=1:history_size=4"

passed=0
failed=0
for t in "${tests[@]}"; do
  log="$BUILD/$t.tsan.log"
  start=$(date +%s)
  before=$(ls "$reports" | wc -l)
  (cd "$BUILD" && timeout 1500 "./$t") >"$log" 2>&1
  rc=$?
  took=$(( $(date +%s) - start ))
  after=$(ls "$reports" | wc -l)
  if [ "$rc" -eq 0 ] && [ "$after" -eq "$before" ]; then
    echo "PASS: $t (${took}s)"
    passed=$((passed + 1))
  else
    echo "FAIL: $t (exit $rc after ${took}s, $((after - before)) new TSan report files); log $log"
    tail -30 "$log"
    failed=$((failed + 1))
  fi
done
if [ -n "$(ls "$reports")" ]; then
  echo "--- ThreadSanitizer reports ($reports):"
  for f in "$reports"/*; do
    echo "== $f"
    head -60 "$f"
  done
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
