#!/usr/bin/env bash
# Installs everything Fenrir needs to build, run and test on Debian 12 (run as root or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
  # build
  g++ cmake ninja-build pkg-config
  # libraries
  librocksdb-dev libzstd-dev libboost-dev libboost-system-dev libre2-dev nlohmann-json3-dev
  prometheus-cpp-dev libsnappy-dev libprotobuf-dev protobuf-compiler libyaml-cpp-dev zlib1g-dev
  libxxhash-dev
  # tests and benchmarks
  catch2 libbenchmark-dev python3 python3-yaml curl ca-certificates
  # fuzzing (tests/fuzz, docs/fuzzing.md): clang and its libFuzzer/sanitizer runtimes
  clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node.js drives the real push clients in the tests (winston-loki, pino-loki).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

# kubectl (with its built-in kustomize v5) renders k8s/ in the manifest test. The machine image
# ships it; Debian 12's own kubernetes-client is too old for kustomize v5 syntax.
if ! command -v kubectl >/dev/null 2>&1; then
  $SUDO apt-get install -y -qq kubectl 2>/dev/null || echo "warning: kubectl not installable; tests/env/manifests_test.sh will fail" >&2
fi
