# Sourced by scripts: starts a throwaway PostgreSQL cluster in a fresh temporary directory on a
# free loopback port, and stops and removes it when the script exits (even on failure).
# After hb_pg_start, HEARTBEATD_TEST_PG holds a libpq conninfo for its `postgres` database.
#   hb_pg_start [extra postgres -c settings...]

HB_PG_BIN=${HEARTBEATD_PG_BIN:-/usr/lib/postgresql/15/bin}

hb_pg_as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

hb_pg_stop() {
  if [[ -n "${HB_PG_DIR:-}" && -d "$HB_PG_DIR" ]]; then
    hb_pg_as_postgres "$HB_PG_BIN/pg_ctl" -D "$HB_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$HB_PG_DIR"
  fi
}

hb_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

hb_pg_start() {
  HB_PG_DIR=$(mktemp -d /tmp/hb-pg-XXXXXX)
  # The postgres user must reach the directory; the checkout itself may be where it cannot.
  chmod 755 "$HB_PG_DIR"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$HB_PG_DIR"; fi
  trap hb_pg_stop EXIT
  hb_pg_as_postgres "$HB_PG_BIN/initdb" -D "$HB_PG_DIR/data" -U postgres -A trust -E UTF8 \
    --no-sync >/dev/null
  local port options=""
  port=$(hb_free_port)
  for setting in "$@"; do options+=" -c $setting"; done
  hb_pg_as_postgres "$HB_PG_BIN/pg_ctl" -D "$HB_PG_DIR/data" -w -l "$HB_PG_DIR/server.log" \
    -o "-p $port -k $HB_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=200$options" \
    start >/dev/null
  export HEARTBEATD_TEST_PG="host=127.0.0.1 port=$port user=postgres dbname=postgres"
  echo "throwaway PostgreSQL on 127.0.0.1:$port ($HB_PG_DIR)"
}
