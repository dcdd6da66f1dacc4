#!/usr/bin/env bash
# The web UI with many applications (default 10,000, filled through the API: up, new, down and
# paused ones): how long the server takes to render the dashboard, and how soon the page is
# usable in headless Chromium. On SQLite (the default) and PostgreSQL (throwaway cluster).
# Targets (issue 5): first page rendered in <= 100 ms, usable in the browser in <= 1 s.
# Usage: scripts/bench-web.sh [--applications N] [--runs R] [--backend sqlite|postgresql|both]
set -euo pipefail
cd "$(dirname "$0")/.."

APPLICATIONS=10000
RUNS=30
BACKENDS=both
while (($#)); do
  case "$1" in
    --applications) APPLICATIONS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --backend) BACKENDS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

scripts/build.sh --test >/dev/null
source scripts/lib/throwaway-pg.sh
work=$(mktemp -d /tmp/hb-bench-web-XXXXXX)
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  hb_pg_stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

TOKEN=bench-admin-token-0123456789
PASSWORD=bench-password
port=$(hb_free_port)

run_backend() { # name database-url
  echo "== $1, $APPLICATIONS applications"
  HEARTBEATD_LISTEN=127.0.0.1:$port HEARTBEATD_DATABASE="$2" HEARTBEATD_ADMIN_TOKEN=$TOKEN \
    HEARTBEATD_ADMIN_PASSWORD=$PASSWORD HEARTBEATD_ACCESS_LOG=off HEARTBEATD_WRITER_MAX_QUEUED=1000000 \
    build/heartbeatd >"$work/$1.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  python3 scripts/bench/web_dashboard.py "http://127.0.0.1:$port" "$TOKEN" "$PASSWORD" \
    "$APPLICATIONS" "$RUNS"
  node scripts/bench/web_browser.mjs "http://127.0.0.1:$port" "$PASSWORD" 10
  stop_server
}

echo "heartbeatd web UI benchmark ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD))"
if [[ $BACKENDS == both || $BACKENDS == sqlite ]]; then
  run_backend sqlite "sqlite3://$work/bench.db"
fi
if [[ $BACKENDS == both || $BACKENDS == postgresql ]]; then
  hb_pg_start fsync=on synchronous_commit=on >/dev/null
  trap cleanup EXIT # hb_pg_start sets its own trap; cleanup stops the cluster too
  psql "$HEARTBEATD_TEST_PG" -qc "CREATE DATABASE bench_web"
  run_backend postgresql "$HEARTBEATD_TEST_PG dbname=bench_web"
fi
