#!/usr/bin/env bash
# Writer throughput and latency on PostgreSQL (throwaway cluster, fsync on, synchronous_commit
# on) and SQLite (WAL, synchronous=FULL), each on a fresh database. Figures go to
# docs/benchmarks.md.
#
# PostgreSQL is measured twice: closed loop (1,024 requests kept outstanding: the most the
# writer sustains) and open loop at the target rate (150,000 events/s on a fixed schedule,
# latency counted from each event's scheduled time, so that a stall delays every event due
# during it, as it would delay real clients).
#
# --versus "OPTIONS" [--rounds N]: instead, compares the defaults (A) with bench_writer OPTIONS
#   (B) on PostgreSQL, alternating A and B N times (default 3) in both loops, since these
#   machines drift by up to 2x within minutes; prints each run and then the pairs.
# Usage: scripts/bench-writer.sh [--seconds S] [--rate R] [--versus "OPTIONS" [--rounds N]]
#        [bench_writer options...]
set -euo pipefail
cd "$(dirname "$0")/.."

MEASURE=10
RATE=150000
VERSUS=""
ROUNDS=3
extra=()
while (($#)); do
  case "$1" in
    --seconds) MEASURE=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --versus) VERSUS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --help | -h) sed -n '2,15p' "$0" | cut -c3-; exit 0 ;;
    *) extra+=("$1"); shift ;;
  esac
done

scripts/build.sh --test >/dev/null
source scripts/lib/throwaway-pg.sh
source scripts/lib/bench.sh
hb_pg_start fsync=on synchronous_commit=on >/dev/null
sqlite_dir=$(mktemp -d /tmp/hb-bench-XXXXXX)
trap 'hb_pg_stop; rm -rf "$sqlite_dir"' EXIT

echo "== bench-writer: $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)"
bench() { # database-name bench_writer-options...
  local db=$1
  shift
  psql "$HEARTBEATD_TEST_PG" -qc "CREATE DATABASE $db"
  local mark steal stalls
  mark=$(hb_cpu_mark)
  stalls=$(mktemp)
  hb_disk_watched "$stalls" $((MEASURE + 3)) \
    build/bench_writer --database "$HEARTBEATD_TEST_PG dbname=$db" --warmup 2 --seconds "$MEASURE" \
    "$@" "${extra[@]}"
  steal=$(hb_steal_since "$mark")
  echo "  CPU stolen by the host during the run (with its warm-up): $steal"
  echo "  with its warm-up, $(cat "$stalls")"
  rm -f "$stalls"
  hb_steal_warning "$steal"
}
figure() { sed -n "s/.*$1 *\([0-9.]*\).*/\1/p" <<<"$2" | head -1; }

# Segments to recycle, as a running installation has (scripts/lib/bench.sh): at this rate a new
# cluster would create and zero-fill one every half second.
echo "preparing recycled WAL segments, as a running installation has (not measured)"
hb_pg_recycled_wal 1000
if [[ -n "$VERSUS" ]]; then
  read -ra versus <<<"$VERSUS"
  summary=()
  for ((round = 1; round <= ROUNDS; round++)); do
    line="round $round:"
    for loop in closed open; do
      loop_options=()
      [[ $loop == open ]] && loop_options=(--rate "$RATE" --senders 8)
      for side in A B; do
        side_options=()
        [[ $side == B ]] && side_options=("${versus[@]}")
        out=$(bench "hb_${loop}_${side,,}_$round" "${loop_options[@]}" "${side_options[@]}")
        echo "== $loop loop, $side (${side_options[*]:-defaults})"
        echo "$out"
        line+=" $loop $side $(figure 'durable events\/s:' "$out")/s p99 $(figure 'reply): p50 [0-9.]* ms, p99' "$out") ms;"
      done
    done
    summary+=("$line")
  done
  echo "== A: defaults, B: $VERSUS"
  printf '%s\n' "${summary[@]}"
  exit 0
fi
wal_before=$(hb_pg_wal_files)
closed=$(bench hb_closed)
echo "$closed"
open=$(bench hb_open --rate "$RATE" --senders 8)
echo "$open"
echo "  WAL segment files: $wal_before before the PostgreSQL runs, $(hb_pg_wal_files) after" \
  "(more after: segments were created while measuring, not only recycled)"
# Issue 2's target: the writer sustains 150,000 events/s with p99 <= 20 ms from send to committed
# answer (closed loop). The open loop is stricter than the target: at a fixed 150,000/s, one slow
# flush of the disk delays every event due meanwhile, and a few decide its p99 on this machine
# (docs/benchmarks.md), so it is reported beside the verdict, not in it.
awk -v max="$(figure 'durable events\/s:' "$closed")" -v p99="$(figure 'reply): p50 [0-9.]* ms, p99' "$closed")" \
  -v got="$(figure 'durable events\/s:' "$open")" -v rate="$RATE" \
  -v open99="$(figure 'reply): p50 [0-9.]* ms, p99' "$open")" 'BEGIN {
  printf "  target postgresql: >= 150000 events/s with ack p99 <= 20 ms (closed loop: %d/s, p99 %.1f ms) -> %s\n", \
    max, p99, (max >= 150000 && p99 <= 20) ? "MET" : "NOT MET"
  printf "  stricter, open loop: at %d/s offered, %s (%d/s), ack p99 %.1f ms from the scheduled send%s\n", \
    rate, (got >= 0.99 * rate) ? "sustained" : "NOT sustained", got, open99, \
    (open99 > 20) ? " (over 20 ms: see the disk stalls above)" : "" }'

build/bench_writer --database "sqlite3://$sqlite_dir/bench.db" --warmup 2 --seconds "$MEASURE" \
  "${extra[@]}"
