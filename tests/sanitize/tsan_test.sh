#!/usr/bin/env bash
# Builds the tests that exercise threads with ThreadSanitizer (-DFENRIR_TSAN=ON) in build-tsan/
# (reused when present) and runs them through CTest. Only those tests and the `fenrir` binary the
# integration tests start are built. Reports from every process (the test and the servers it
# starts) go to build-tsan/tsan-reports/; any report fails the run. RocksDB is not instrumented,
# so races inside it are suppressed (tests/sanitize/tsan.supp). Last line: "N passed, N failed".
# Environment: FENRIR_TSAN_BUILD_DIR (default <source>/build-tsan), FENRIR_TSAN_JOBS (default 2),
# FENRIR_TSAN_TESTS (space-separated test names, default the list below).
set -uo pipefail

SRC="${FENRIR_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BUILD="${FENRIR_TSAN_BUILD_DIR:-$SRC/build-tsan}"
JOBS="${FENRIR_TSAN_JOBS:-2}"
read -r -a tests <<<"${FENRIR_TSAN_TESTS:-store_concurrency_test tail_test server_integration_test}"

fail_all() {
  echo "FAIL: $1"
  echo "0 passed, ${#tests[@]} failed"
  exit 1
}

mkdir -p "$BUILD"
# Always (re)configure: cheap when cached. Benchmarks off; only the listed tests are built.
cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFENRIR_TSAN=ON \
  -DFENRIR_TESTS=ON -DFENRIR_BENCH=OFF >"$BUILD/configure.log" 2>&1 ||
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
