#!/usr/bin/env bash
# Installs what is missing, builds, starts a throwaway PostgreSQL and runs every test (CTest):
# unit tests, persistence and actor tests on SQLite and PostgreSQL, and the server end to end.
# Extra arguments go to ctest, e.g. scripts/test.sh -R writer
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
scripts/build.sh --test
source scripts/lib/throwaway-pg.sh
# Tests check behaviour, not durability: skip fsync to keep them fast (benchmarks keep it on).
hb_pg_start fsync=off synchronous_commit=off

ctest --test-dir "${HEARTBEATD_BUILD_DIR:-build}" --output-on-failure -j 2 "$@"
echo "scripts/test.sh finished in $(($(date +%s) - started)) s"
