#!/usr/bin/env bash
# Compares two heartbeatd builds, or one build under two settings, on the heartbeat path: short
# wrk runs of A and B alternate on one throwaway PostgreSQL (fsync on) with 1,000 applications,
# so that the machine's drift (up to 2x within minutes here) falls on both alike. Prints each
# run's req/s, p50/p99, the server's CPU time and voluntary context switches per request (from
# /proc), the host's steal and the disk stalls of each run (scripts/bench/disk_stalls.py), then
# the geometric mean of B/A over the pairs. Meant for changes of a few percent,
# which single runs of scripts/bench-heartbeats.sh cannot show.
# Usage: scripts/bench-compare.sh [--rounds N] [--seconds S] [--a BINARY] [--b BINARY]
#                                 [--a-env "VAR=value ..."] [--b-env "VAR=value ..."]
# Example: git stash; scripts/build.sh; cp build/heartbeatd /tmp/hb-before; git stash pop
#          scripts/build.sh; scripts/bench-compare.sh --a /tmp/hb-before --b build/heartbeatd
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=6
SECONDS_PER_RUN=5
BIN_A=build/heartbeatd
BIN_B=build/heartbeatd
ENV_A=""
ENV_B=""
while (($#)); do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --a) BIN_A=$2; shift 2 ;;
    --b) BIN_B=$2; shift 2 ;;
    --a-env) ENV_A=$2; shift 2 ;;
    --b-env) ENV_B=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for bin in "$BIN_A" "$BIN_B"; do
  [[ -x $bin ]] || { echo "not an executable: $bin (build first: scripts/build.sh)" >&2; exit 2; }
done

source scripts/lib/throwaway-pg.sh
source scripts/lib/bench.sh
hb_bench_tools

hb_pg_start fsync=on synchronous_commit=on max_wal_size=4GB >/dev/null
work=$(mktemp -d /tmp/hb-compare-XXXXXX)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  hb_pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
# Segments to recycle, as a running installation has (scripts/lib/bench.sh): each second of a
# run writes about 6 MB of WAL, and once the recycled ones ran out, the last rounds measured the
# stalls of new zero-filled segments instead of the builds.
hb_pg_recycled_wal $((100 + ROUNDS * 2 * (SECONDS_PER_RUN + 1) * 8))
hb_bench_database hb_compare 1000 3600 up "$work/uuids" "$BIN_A"
db="$HEARTBEATD_TEST_PG dbname=hb_compare"

# Sum over the server's threads of voluntary context switches, and its CPU ticks (user + system).
switches() { cat /proc/"$1"/task/*/status | awk '/^voluntary_ctxt/ { s += $2 } END { print s }'; }
ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; }

run() { # label binary env -> prints a line, sets last_rate
  local port out cs0 cs1 t0 t1
  port=$(hb_free_port)
  # shellcheck disable=SC2086 # the env settings are words on purpose
  env $3 HEARTBEATD_LISTEN=127.0.0.1:$port HEARTBEATD_DATABASE="$db" HEARTBEATD_ACCESS_LOG=off \
    "$2" >/dev/null 2>"$work/server.log" &
  server_pid=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.05
  done
  hb_wrk "http://127.0.0.1:$port" "$work/uuids" 64 1 >/dev/null # warm up
  cs0=$(switches "$server_pid"); t0=$(ticks "$server_pid"); mark=$(hb_cpu_mark)
  out=$(hb_disk_watched "$work/stalls" "$SECONDS_PER_RUN" \
    hb_wrk "http://127.0.0.1:$port" "$work/uuids" 64 "$SECONDS_PER_RUN")
  cs1=$(switches "$server_pid"); t1=$(ticks "$server_pid"); steal=$(hb_steal_since "$mark")
  steals+=("$steal")
  kill "$server_pid"; wait "$server_pid" || true; server_pid=""
  last_rate=$(hb_wrk_rate "$out")
  awk -v l="$1" -v r="$last_rate" -v p50="$(hb_wrk_pct "$out" 50)" -v p99="$(hb_wrk_pct "$out" 99)" \
    -v cs=$((cs1 - cs0)) -v t=$((t1 - t0)) -v s="$SECONDS_PER_RUN" -v hz="$(getconf CLK_TCK)" \
    -v st="$steal" -v ds="$(hb_disk_stalls_brief "$work/stalls")" \
    'BEGIN { printf "%s %8.0f req/s  p50 %-8s p99 %-8s  CPU %5.1f us/req  switches %.2f/req  steal %s  disk stalls %s\n",
             l, r, p50, p99, t / hz * 1e6 / (r * s), cs / (r * s), st, ds }'
}

echo "== bench-compare: $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)," \
  "$ROUNDS rounds of ${SECONDS_PER_RUN}s, 1,000 applications, wrk -t2 -c64"
echo "   A: $BIN_A ${ENV_A:-(defaults)}"
echo "   B: $BIN_B ${ENV_B:-(defaults)}"
log_sum=0
steals=()
for ((i = 1; i <= ROUNDS; i++)); do
  run A "$BIN_A" "$ENV_A"; a=$last_rate
  run B "$BIN_B" "$ENV_B"; b=$last_rate
  log_sum=$(awk -v s="$log_sum" -v a="$a" -v b="$b" 'BEGIN { print s + log(b / a) }')
done
hb_steal_warning "${steals[@]}"
awk -v s="$log_sum" -v n="$ROUNDS" \
  'BEGIN { printf "B / A req/s, geometric mean over %d pairs: %.3f\n", n, exp(s / n) }'
