#!/usr/bin/env bash
# Builds heartbeatd (Release) into build/ with ccache; installs missing packages first.
# Usage: scripts/build.sh [--test] [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."

install_args=()
if [[ "${1:-}" == "--test" ]]; then install_args+=(--test); shift; fi
scripts/install-deps.sh "${install_args[@]}"

BUILD_DIR=${HEARTBEATD_BUILD_DIR:-build}
JOBS=${HEARTBEATD_JOBS:-2} # RESTinio units take ~800 MB of compiler memory each
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Paths relative to the checkout, so that another clone (CI) hits the same cache entries.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=${HEARTBEATD_BUILD_TYPE:-Release} \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
