#!/usr/bin/env bash
# An alert storm: N applications (default 10,000), each with a webhook alert, go down at the
# same moment, on PostgreSQL (throwaway cluster, fsync on). A local receiver (nginx answering
# 200 and logging each request's X-Heartbeatd-Notification-Id) counts arrivals.
# Prints the time from the deadline until every notification was delivered (target <= 30 s),
# duplicates (target 0), and heartbeat throughput of 1,000 other applications over the storm's
# first seconds against the same measurement just before and just after it (target >= 0.8),
# each counted from the heartbeats heartbeatd stored. Figures go to docs/benchmarks.md.
#
# All storm applications go down together because heartbeatd gives every application that was
# up a full window from its own start-up: they were stored `up` with the same interval.
# --no-alerts: the same storm without alert configs (what the status changes alone cost).
# --young: as on a young installation, status_changes holds a few rows and has been analysed
#   (autovacuum does that after 50 changes), so PostgreSQL plans for a small table.
# --check-status-change: puts back the foreign key that migration 6 dropped (notifications to
#   status_changes), to compare the two.
# Usage: scripts/bench-alerts.sh [--applications N] [--seconds S] [--connections C] [--no-alerts]
#        [--young] [--check-status-change]
set -euo pipefail
cd "$(dirname "$0")/.."

APPS=10000
SECONDS_PER_RUN=8
CONNECTIONS=32
ALERTS=1
YOUNG=0
CHECK_STATUS_CHANGE=0
INTERVAL=20 # seconds from start-up to the storm: room for start-up and the baseline run
while (($#)); do
  case "$1" in
    --applications) APPS=$2; shift 2 ;;
    --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --no-alerts) ALERTS=0; shift ;;
    --young) YOUNG=1; shift ;;
    --check-status-change) CHECK_STATUS_CHANGE=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

source scripts/lib/throwaway-pg.sh
source scripts/lib/bench.sh
hb_bench_tools
scripts/build.sh >/dev/null

hb_pg_start fsync=on synchronous_commit=on max_wal_size=4GB >/dev/null
hb_pg_recycled_wal 512 # a new cluster's first segments stall the writer (scripts/lib/bench.sh)
wal_before=$(hb_pg_wal_files)
work=$(mktemp -d /tmp/hb-bench-alerts-XXXXXX)
server_pid=""
HB_NGINX_PID=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [[ -n "$HB_NGINX_PID" ]] && kill "$HB_NGINX_PID" 2>/dev/null
  hb_pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
db=hb_storm
psql_db() { psql "$HEARTBEATD_TEST_PG dbname=$db" -qAt "$@"; }

# nginx, not a script: a receiver on this machine takes CPU from the server it measures, and a
# real one (Slack, a pager) runs elsewhere. nginx is the cheapest real HTTP receiver at hand.
receiver=$(cat <<CONF
  log_format arrivals '\$msec \$http_x_heartbeatd_notification_id';
  access_log $work/nginx/arrivals.log arrivals;
  server {
    listen 127.0.0.1:\$HB_NGINX_PORT;
    location / { return 200; }
  }
CONF
)
hb_nginx_start "$work/nginx" "$receiver"
receiver_port=$HB_NGINX_PORT
: >"$work/nginx/arrivals.log"

psql "$HEARTBEATD_TEST_PG" -qc "CREATE DATABASE $db"
build/heartbeatd rotate-admin-token --database "$HEARTBEATD_TEST_PG dbname=$db" >/dev/null 2>&1
psql_db -c "INSERT INTO applications (uuid, name, expected_interval, grace_period, status,
                                      last_heartbeat)
  SELECT gen_random_uuid(), 'storm-' || g, $INTERVAL, 0, 'up', now() - INTERVAL '1 second'
  FROM generate_series(1, $APPS) g"
if ((ALERTS)); then
  psql_db -c "INSERT INTO alert_configs (application_id, channel, target)
    SELECT id, 'webhook', 'http://127.0.0.1:$receiver_port/hook/' || id FROM applications"
fi
psql_db -c "INSERT INTO applications (uuid, name, expected_interval, grace_period, status,
                                      last_heartbeat)
  SELECT gen_random_uuid(), 'steady-' || g, 3600, 0, 'up', now() FROM generate_series(1, 1000) g"
psql_db -c "SELECT uuid FROM applications WHERE name LIKE 'steady-%'" >"$work/steady.uuids"
variant=""
if ((YOUNG)); then
  variant+=", young database"
  psql_db -c "INSERT INTO status_changes (application_id, from_status, to_status, changed_at)
    SELECT id, 'new', 'up', now() - INTERVAL '1 day' FROM applications
    WHERE name LIKE 'steady-%' ORDER BY id LIMIT 60" -c "ANALYZE status_changes"
fi
if ((CHECK_STATUS_CHANGE)); then
  variant+=", outbox rows check their status change"
  psql_db -c "ALTER TABLE notifications ADD CONSTRAINT notifications_status_change_id_fkey
    FOREIGN KEY (status_change_id) REFERENCES status_changes (id) ON DELETE CASCADE"
fi

port=$(hb_free_port)
base=http://127.0.0.1:$port
HEARTBEATD_LISTEN=127.0.0.1:$port HEARTBEATD_DATABASE="$HEARTBEATD_TEST_PG dbname=$db" \
  HEARTBEATD_ACCESS_LOG=off HEARTBEATD_LOG_LEVEL=warn build/heartbeatd \
  >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
until curl -sf "$base/healthz" >/dev/null; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.05
done
ready=$(date +%s.%N)
# The storm comes INTERVAL (+ the timer's 100 ms slack) after the actors started, a little
# before /healthz answered: `ready` + INTERVAL is a late estimate of it.
deadline=$(awk -v r="$ready" -v i="$INTERVAL" 'BEGIN { printf "%.3f", r + i }')

run_wrk() { hb_wrk "$base" "$work/steady.uuids" "$CONNECTIONS" "${1:-$SECONDS_PER_RUN}"; }
# wrk, with the disk's stalls meanwhile in $work/stalls.label.
watched_wrk() { hb_disk_watched "$work/stalls.$2" "$1" run_wrk "$1"; } # seconds label
stalls_of() { hb_disk_stalls_brief "$work/stalls.$1"; }
# Over the receiver's log: received distinct duplicates first last
stats() {
  awk '$2 != "-" { n++; if (!seen[$2]++) d++; if (!first || $1 < first) first = $1;
                   if ($1 > last) last = $1 }
       END { printf "%d %d %d %.3f %.3f\n", n, d, n - d, first, last }' "$work/nginx/arrivals.log"
}
# Heartbeats of the steady applications received in [$1, $1 + $2) seconds since the epoch, as
# stored by heartbeatd (each is stored once answered): the FROM and WHERE of a query, and their
# count.
steady_between() {
  echo "FROM heartbeat_events h JOIN applications a ON a.id = h.application_id
        WHERE a.name LIKE 'steady-%' AND h.received_at >= to_timestamp($1)
          AND h.received_at < to_timestamp($1 + $2)"
}
stored_between() { psql_db -c "SELECT COUNT(*) $(steady_between "$1" "$2")"; }

echo "== bench-alerts: $(nproc) cores, $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)," \
  "$APPS applications with a webhook each, wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s$variant"
# Each load is measured the same way: heartbeats stored over SECONDS_PER_RUN seconds inside a
# longer wrk run (from its second second; during the storm, from the first application down).
rate_from() { # start-epoch-seconds
  local n
  n=$(stored_between "$1" "$SECONDS_PER_RUN") # a failed query stops the script here
  awk -v n="$n" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.0f", n / s }'
}
sleep 1
before_from=$(date +%s.%N)
mark=$(hb_cpu_mark)
before=$(watched_wrk $((SECONDS_PER_RUN + 2)) before)
steal_before=$(hb_steal_since "$mark")
# The storm's load is measured over its first SECONDS_PER_RUN seconds, counted from the first
# application recorded down: wrk starts a second ahead and runs on past the window, so that it
# is sending throughout (it takes a few hundred milliseconds to start).
early=$(awk -v d="$deadline" -v n="$(date +%s.%N)" 'BEGIN { print d - 1 - n }')
if awk -v w="$early" 'BEGIN { exit !(w <= 0) }'; then
  echo "ERROR: the baseline run overran the storm; raise INTERVAL" >&2
  exit 1
fi
sleep "$early"
during_from=$(date +%s.%N)
mark=$(hb_cpu_mark)
during=$(watched_wrk $((SECONDS_PER_RUN + 3)) during)
during_to=$(date +%s.%N)
steal_during=$(hb_steal_since "$mark")
limit=$(( $(date +%s) + 120 ))
while ((ALERTS)) && (( $(stats | cut -d' ' -f2) < APPS )) && (( $(date +%s) < limit )); do sleep 0.2; done
sleep 2 # anything sent twice would arrive now
read -r received distinct duplicates first last < <(stats)
queued=$(psql_db -c "SELECT COUNT(*) FROM notifications WHERE kind = 'down'")
delivered=$(psql_db -c "SELECT COUNT(*) FROM notifications WHERE delivered_at IS NOT NULL")

printf 'storm: %d notifications queued, %d delivered (rows), receiver got %d (%d distinct, %d duplicates)\n' \
  "$queued" "$delivered" "$received" "$distinct" "$duplicates"
# How long the writer took to record the storm's changes and their outbox rows: from the first
# to the last transaction holding some (their rows' created_at is the transaction's start).
if ((ALERTS)); then
  printf 'storm: status changes and outbox rows recorded over %.2f s (first to last transaction)\n' \
    "$(psql_db -c "SELECT EXTRACT(EPOCH FROM MAX(created_at) - MIN(created_at))
                   FROM notifications WHERE kind = 'down'")"
fi
# The storm starts when the first application was recorded down (its deadline plus the timer's
# 100 ms slack), as stored by heartbeatd itself.
read -r down_first down_last < <(psql_db -F ' ' -c "
  SELECT EXTRACT(EPOCH FROM MIN(changed_at)), EXTRACT(EPOCH FROM MAX(changed_at))
  FROM status_changes WHERE to_status = 'down'")
printf 'storm: all down within %.2f s; first down -> first arrival %.2f s, first down -> last arrival %.2f s (target <= 30 s)\n' \
  "$(awk -v a="$down_last" -v b="$down_first" 'BEGIN { print a - b }')" \
  "$(awk -v a="$first" -v d="$down_first" 'BEGIN { print a - d }')" \
  "$(awk -v a="$last" -v d="$down_first" 'BEGIN { print a - d }')"
# wrk must have been sending already when the storm began (heartbeats stored in the 200 ms
# before it), and until its window ended.
lead=$(stored_between "$(awk -v d="$down_first" 'BEGIN { printf "%.3f", d - 0.2 }')" 0.2)
if ((lead == 0)) || awk -v t="$during_to" -v d="$down_first" -v s="$SECONDS_PER_RUN" \
  'BEGIN { exit !(t - d < s + 0.5) }'; then
  echo "ERROR: wrk did not run over the whole storm window (started $(awk -v f="$during_from" \
    -v d="$down_first" 'BEGIN { print d - f }') s before it; $lead heartbeats in the 200 ms" \
    "before it)" >&2
  exit 1
fi
after_from=$(date +%s.%N)
mark=$(hb_cpu_mark)
after=$(watched_wrk $((SECONDS_PER_RUN + 2)) after) # the machine's drift: compared with before and after
steal_after=$(hb_steal_since "$mark")
r_before=$(rate_from "$(awk -v t="$before_from" 'BEGIN { printf "%.3f", t + 1 }')")
r_during=$(rate_from "$down_first")
r_after=$(rate_from "$(awk -v t="$after_from" 'BEGIN { printf "%.3f", t + 1 }')")
if ((r_before + r_after == 0)); then
  echo "ERROR: no heartbeat was stored before or after the storm" >&2
  exit 1
fi
printf 'heartbeats of 1,000 other applications, stored per second over %d s: before %d (wrk p99 %s), during the storm from the first down %d (wrk p99 %s), after %d (wrk p99 %s); during / mean(before, after) %.2f (target >= 0.80)\n' \
  "$SECONDS_PER_RUN" "$r_before" "$(hb_wrk_pct "$before" 99)" "$r_during" \
  "$(hb_wrk_pct "$during" 99)" "$r_after" "$(hb_wrk_pct "$after" 99)" \
  "$(awk -v a="$r_during" -v b="$r_before" -v c="$r_after" 'BEGIN { print 2 * a / (b + c) }')"
echo "CPU stolen by the host during the three wrk runs: before $steal_before, storm $steal_during," \
  "after $steal_after"
hb_steal_warning "$steal_before" "$steal_during" "$steal_after"
echo "machine waiting only on the disk for 50 ms or more, during the three wrk runs:" \
  "before $(stalls_of before), storm $(stalls_of during), after $(stalls_of after)"
hb_pg_wal_report "$wal_before"
# Where in the window the storm costs: heartbeats stored per half second from the first down.
psql_db -F ' ' -c "
  SELECT floor((EXTRACT(EPOCH FROM h.received_at) - $down_first) * 2)::int AS half, COUNT(*)
  $(steady_between "$down_first" "$SECONDS_PER_RUN")
  GROUP BY 1 ORDER BY 1" |
  awk '{ line = line sprintf(" %.1fs:%d", $1 / 2, $2 * 2) }
       END { print "heartbeats/s by half second from the first down:" line }'
if ((ALERTS && (distinct < APPS || duplicates > 0))); then
  echo "ERROR: not every notification arrived exactly once" >&2
  exit 1
fi
