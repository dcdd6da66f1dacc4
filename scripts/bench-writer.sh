#!/usr/bin/env bash
# Writer throughput and commit latency on PostgreSQL (throwaway cluster, fsync ON) and SQLite
# (WAL, synchronous=FULL), measured in one run. Figures go to docs/benchmarks.md.
# Usage: scripts/bench-writer.sh [--seconds S] [--senders N] [--inflight K] ...  (bench_writer options)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh --test >/dev/null
source scripts/lib/throwaway-pg.sh
hb_pg_start fsync=on synchronous_commit=on >/dev/null
psql "$HEARTBEATD_TEST_PG" -qc "CREATE DATABASE hb_bench"
sqlite_dir=$(mktemp -d /tmp/hb-bench-XXXXXX)
trap 'hb_pg_stop; rm -rf "$sqlite_dir"' EXIT

echo "== $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"
build/bench_writer --database "$HEARTBEATD_TEST_PG dbname=hb_bench" "$@"
build/bench_writer --database "sqlite3://$sqlite_dir/bench.db" "$@"
