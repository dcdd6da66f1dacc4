#!/usr/bin/env bash
# Durable heartbeats per second over HTTP on PostgreSQL (throwaway cluster, fsync on), with an
# nginx `return 200` measured in the same run as the ceiling; 1,000 and 100,000 applications;
# detection latency for 10,000 applications; with --scale N, start-up time and memory for N
# applications. Figures go to docs/benchmarks.md.
# Usage: scripts/bench-heartbeats.sh [--seconds S] [--connections C] [--scale N]
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_RUN=10
CONNECTIONS=64
SCALE=0
while (($#)); do
  case "$1" in
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source scripts/lib/throwaway-pg.sh
source scripts/lib/bench.sh
hb_bench_tools
scripts/build.sh >/dev/null

hb_pg_start fsync=on synchronous_commit=on max_wal_size=4GB >/dev/null
# Segments to recycle, as a running installation has (scripts/lib/bench.sh): the two measured
# runs write about 40 MB of WAL each, and a new cluster's zero-filled segments stalled them for
# tens of milliseconds (a p99 of 94 ms in one such run).
hb_pg_recycled_wal 400
wal_before=$(hb_pg_wal_files)
work=$(mktemp -d /tmp/hb-bench-XXXXXX)
server_pid=""
HB_NGINX_PID=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n "$HB_NGINX_PID" ]] && kill "$HB_NGINX_PID" 2>/dev/null
  hb_pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
psql_db() { psql "$HEARTBEATD_TEST_PG dbname=$1" -qAt "${@:2}"; }

make_database() { # name count interval_sql [status]
  hb_bench_database "$1" "$2" "$3" "${4:-up}" "$work/$1.uuids"
}

start_server() { # database
  local port
  port=$(hb_free_port)
  HEARTBEATD_LISTEN=127.0.0.1:$port HEARTBEATD_DATABASE="$HEARTBEATD_TEST_PG dbname=$1" \
    HEARTBEATD_ACCESS_LOG=off build/heartbeatd >"$work/server.out" 2>"$work/server.log" &
  server_pid=$!
  base=http://127.0.0.1:$port
  local started
  started=$(date +%s%N)
  until curl -sf "$base/healthz" >/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.05
  done
  startup_s=$(awk -v a="$started" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
}

stop_server() {
  kill "$server_pid"; wait "$server_pid" || true; server_pid=""
}

# The ceiling: nginx answering every request at once, measured with the same wrk in the same run.
start_nginx() {
  local block
  block=$(cat <<'CONF'
  access_log off;
  server {
    listen 127.0.0.1:$HB_NGINX_PORT;
    location / { default_type application/json; return 200 '{"status":"ok"}'; }
  }
CONF
)
  hb_nginx_start "$work/nginx" "$block"
  nginx_base=http://127.0.0.1:$HB_NGINX_PORT
}

run_wrk() { hb_wrk "$1" "$2" "$CONNECTIONS" "$SECONDS_PER_RUN"; }

echo "== bench-heartbeats: $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)," \
  "wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s"
start_nginx
declare -A rates
for apps in 1000 100000; do
  db=hb_$apps
  make_database "$db" "$apps" 3600
  start_server "$db"
  mark=$(hb_cpu_mark)
  out=$(hb_disk_watched "$work/stalls" "$SECONDS_PER_RUN" run_wrk "$base" "$work/$db.uuids")
  steal=$(hb_steal_since "$mark")
  stop_server
  mark=$(hb_cpu_mark)
  ng=$(run_wrk "$nginx_base" "$work/$db.uuids")
  ng_steal=$(hb_steal_since "$mark")
  stored=$(psql_db "$db" -c "SELECT COUNT(*) FROM heartbeat_events")
  failed=$(hb_wrk_non2xx "$out")
  ok=$(( $(hb_wrk_total "$out") - ${failed:-0} ))
  rates[$apps]=$(hb_wrk_rate "$out")
  printf '%7d applications: heartbeatd %8.0f req/s (p50 %s, p99 %s) | nginx %8.0f req/s | ratio %.2f\n' \
    "$apps" "${rates[$apps]}" "$(hb_wrk_pct "$out" 50)" "$(hb_wrk_pct "$out" 99)" \
    "$(hb_wrk_rate "$ng")" \
    "$(awk -v a="${rates[$apps]}" -v b="$(hb_wrk_rate "$ng")" 'BEGIN { print a / b }')"
  echo "                     answered 200: $ok, heartbeats stored: $stored (every 200 must be stored)"
  echo "                     CPU stolen by the host during the runs: $steal (heartbeatd), $ng_steal (nginx)"
  echo "                     during heartbeatd's run, $(cat "$work/stalls")"
  hb_steal_warning "$steal" "$ng_steal"
  if ((stored < ok)); then echo "ERROR: acknowledged heartbeats are missing" >&2; exit 1; fi
done
printf 'throughput with 100,000 applications / with 1,000: %.2f\n' \
  "$(awk -v a="${rates[100000]}" -v b="${rates[1000]}" 'BEGIN { print a / b }')"
hb_pg_wal_report "$wal_before"

# Detection latency: 10,000 applications with intervals of 1 to 10 s, one heartbeat each.
make_database hb_detect 10000 "1 + (g % 10)" new
start_server hb_detect
answered=$(python3 scripts/bench/send_once.py "$base" "$work/hb_detect.uuids")
sleep 13
stop_server
psql_db hb_detect -F ' ' -c "
  WITH lag AS (
    SELECT EXTRACT(EPOCH FROM s.changed_at - (h.received_at
             + (a.expected_interval + a.grace_period) * INTERVAL '1 second')) AS seconds
    FROM status_changes s JOIN applications a ON a.id = s.application_id
    JOIN heartbeat_events h ON h.application_id = a.id
    WHERE s.to_status = 'down')
  SELECT COUNT(*), round(percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)::numeric, 3),
         round(percentile_cont(0.99) WITHIN GROUP (ORDER BY seconds)::numeric, 3),
         round(MAX(seconds)::numeric, 3) FROM lag" | {
  read -r n p50 p99 max
  echo "detection: $answered heartbeats answered, $n applications marked down; (down - deadline)" \
    "p50 ${p50} s, p99 ${p99} s, max ${max} s"
}

if ((SCALE > 0)); then
  make_database hb_scale "$SCALE" 3600
  start_server hb_scale
  rss_mb=$(( $(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status") / 1024 ))
  loaded=$(grep -o '[0-9]* applications monitored (loaded in [0-9.]* s)' "$work/server.log")
  stop_server
  echo "scale: $loaded; ready (healthz answering) $startup_s s after exec; RSS $rss_mb MB"
fi
