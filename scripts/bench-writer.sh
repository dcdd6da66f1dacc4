#!/usr/bin/env bash
# Writer throughput and commit latency, PostgreSQL (throwaway cluster, fsync on,
# synchronous_commit on) and SQLite (WAL, synchronous=FULL), measured in one run on fresh
# databases. Figures go to docs/benchmarks.md.
# Usage: scripts/bench-writer.sh [--seconds S] [--senders N] [--inflight K] [--apps A]
#                                [--connections C] [--max-batch B] [--max-delay-us D]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh --test >/dev/null
source scripts/lib/throwaway-pg.sh
hb_pg_start fsync=on synchronous_commit=on >/dev/null
psql "$HEARTBEATD_TEST_PG" -qc "CREATE DATABASE hb_bench"
sqlite_dir=$(mktemp -d /tmp/hb-bench-XXXXXX)
trap 'hb_pg_stop; rm -rf "$sqlite_dir"' EXIT

echo "== bench-writer: $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"
report() { # name target_rate target_p99_ms output
  local rate p99
  rate=$(sed -n 's/.*durable events\/s: *\([0-9]*\).*/\1/p' <<<"$4")
  p99=$(sed -n 's/.*p99 \([0-9.]*\) ms,.*/\1/p' <<<"$4" | head -1)
  echo "$4"
  awk -v n="$1" -v r="$rate" -v t="$2" -v p="$p99" -v tp="$3" 'BEGIN {
    printf "  target %s: >= %d events/s and p99 <= %d ms -> %s\n", n, t, tp,
      (r >= t && p <= tp) ? "MET" : "NOT MET" }'
}
report postgresql 150000 20 "$(build/bench_writer --database "$HEARTBEATD_TEST_PG dbname=hb_bench" "$@")"
build/bench_writer --database "sqlite3://$sqlite_dir/bench.db" "$@"
