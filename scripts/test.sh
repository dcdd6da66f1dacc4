#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL and runs every test (CTest):
# unit tests, persistence and actor tests on SQLite and PostgreSQL, the server end to end, and
# the OpenAPI document against the server. Then the same again on a Debug build with
# AddressSanitizer and UndefinedBehaviorSanitizer (HEARTBEATD_SANITIZE=0 skips that stage).
# Extra arguments go to ctest, e.g. scripts/test.sh -R writer
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
scripts/build.sh --test
source scripts/lib/throwaway-pg.sh
# Tests check behaviour, not durability: skip fsync to keep them fast (benchmarks keep it on).
hb_pg_start fsync=off synchronous_commit=off

echo "== tests (Release)"
ctest --test-dir "${HEARTBEATD_BUILD_DIR:-build}" --output-on-failure -j 2 "$@"

if [[ "${HEARTBEATD_SANITIZE:-1}" != 0 ]]; then
  echo "== tests (Debug, address and undefined-behaviour sanitizers)"
  HEARTBEATD_BUILD_DIR=build-asan HEARTBEATD_BUILD_TYPE=Debug \
    scripts/build.sh --test -DHEARTBEATD_SANITIZE=ON
  # Leaks are not checked: CAF and libpq keep process-lifetime allocations.
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j 2 "$@"
fi
echo "scripts/test.sh finished in $(($(date +%s) - started)) s"
