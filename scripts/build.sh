#!/usr/bin/env bash
# Builds heartbeatd (Release) into build/ with ccache; installs missing packages first.
# Usage: scripts/build.sh [--test] [extra cmake -D options...]
# --test: also what the tests need (Debian packages, the browser tests' npm packages).
set -euo pipefail
cd "$(dirname "$0")/.."

install_args=()
if [[ "${1:-}" == "--test" ]]; then install_args+=(--test); shift; fi
scripts/install-deps.sh "${install_args[@]}"

# The browser tests' npm packages (playwright-core, exactly as package-lock.json pins it), only
# when they are missing or the lock file changed since: npm keeps its own copy of the lock file
# in node_modules/.package-lock.json.
web_tests=tests/e2e/web
if ((${#install_args[@]})) && [[ ! -e $web_tests/node_modules/.package-lock.json ||
  $web_tests/package-lock.json -nt $web_tests/node_modules/.package-lock.json ]]; then
  echo "heartbeatd: installing the browser tests' npm packages (npm ci in $web_tests)"
  (cd "$web_tests" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

BUILD_DIR=${HEARTBEATD_BUILD_DIR:-build}
JOBS=${HEARTBEATD_JOBS:-2} # RESTinio units take ~800 MB of compiler memory each
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Paths relative to the checkout, so that another clone (CI) hits the same cache entries.
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=true

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=${HEARTBEATD_BUILD_TYPE:-Release} \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
