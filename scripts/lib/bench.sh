# Sourced by the load benchmarks (scripts/bench-*.sh): load tools, a local nginx, and wrk runs
# of heartbeats with their figures. Expects to run from the repository root.

# Test dependencies, then wrk and nginx (Debian packages) if either is missing.
hb_bench_tools() {
  scripts/install-deps.sh --test
  if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk nginx-light \
      >/dev/null
  fi
}

# Starts nginx with one worker in directory $1, with $2 as the inside of its http block (where
# $HB_NGINX_PORT is the port to listen on: the caller writes it before the port is known, so it
# is substituted here). Sets HB_NGINX_PID and HB_NGINX_PORT; returns once nginx answers.
hb_nginx_start() { # dir http-block
  local dir=$1
  HB_NGINX_PORT=$(hb_free_port)
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
${2//\$HB_NGINX_PORT/$HB_NGINX_PORT}
}
CONF
  nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
  HB_NGINX_PID=$!
  until curl -s -o /dev/null "http://127.0.0.1:$HB_NGINX_PORT/ready"; do sleep 0.05; done
}

# A database on the throwaway cluster ($HEARTBEATD_TEST_PG) with `count` applications inserted
# with SQL: what is measured is the heartbeat path (and start-up). They are `up` (a running
# installation, restarted), except where `new` is asked for: a first heartbeat is a status
# change, which the steady state does not have. Their UUIDs go to `uuids-file`, one a line.
hb_bench_database() { # name count interval-sql status uuids-file [heartbeatd-binary]
  local last="now()" url="$HEARTBEATD_TEST_PG dbname=$1"
  [[ $4 == new ]] && last=NULL
  psql "$HEARTBEATD_TEST_PG" -qc "CREATE DATABASE $1"
  # rotate-admin-token migrates the fresh database (the token itself is not needed here)
  "${6:-build/heartbeatd}" rotate-admin-token --database "$url" >/dev/null 2>&1
  psql "$url" -qc "INSERT INTO applications (uuid, name, expected_interval, grace_period,
                                             status, last_heartbeat)
    SELECT gen_random_uuid(), 'bench-' || g, $3, 0, '$4', $last
    FROM generate_series(1, $2) g"
  psql "$url" -qAtc "SELECT uuid FROM applications ORDER BY id" >"$5"
}

# wrk spreading POST /heartbeat/{uuid} over the UUIDs in a file, with latency percentiles.
hb_wrk() { # base-url uuids-file connections seconds
  HB_UUIDS=$2 wrk -t2 -c"$3" -d"$4s" --latency -s scripts/bench/heartbeat.lua "$1" 2>&1
}

# Figures from hb_wrk's output.
hb_wrk_rate() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$1"; }
hb_wrk_pct() { sed -n "s/^ *$2% *\([0-9.]*[mun]*s\).*/\1/p" <<<"$1"; } # output percent
hb_wrk_non2xx() { sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<<"$1"; }
hb_wrk_total() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$1"; }

# A running installation writes WAL into recycled segment files; a new cluster has none and
# creates and zero-fills a 16 MB segment each time one fills, a stall of tens to hundreds of
# milliseconds on these machines that production does not have. Writing about $1 MB of WAL with
# a scratch table and a checkpoint leaves segments to recycle. Not measured; needs a running
# throwaway cluster ($HEARTBEATD_TEST_PG).
hb_pg_recycled_wal() { # megabytes
  psql "$HEARTBEATD_TEST_PG" -qc "CREATE DATABASE hb_warm"
  psql "$HEARTBEATD_TEST_PG dbname=hb_warm" -qc \
    "CREATE TABLE w AS SELECT g, repeat('x', 100) AS x FROM generate_series(1, $(($1 * 7000))) g"
  psql "$HEARTBEATD_TEST_PG" -qc "DROP DATABASE hb_warm" -c "CHECKPOINT"
}

# How many WAL segment files the throwaway cluster has: the same before and after a measurement
# means that none was created while measuring.
hb_pg_wal_files() { psql "$HEARTBEATD_TEST_PG" -qAtc "SELECT COUNT(*) FROM pg_ls_waldir()"; }
hb_pg_wal_report() { # files-before
  echo "WAL segment files: $1 before, $(hb_pg_wal_files) after (more: some were created" \
    "while measuring, which a running installation does not do)"
}

# CPU time the hypervisor gave to other guests ("steal" in /proc/stat). On these virtual
# machines it is what disturbs a measurement most: a run with a few percent of it is not
# comparable with one without. Usage: m=$(hb_cpu_mark); ...run...; hb_steal_since "$m"
hb_cpu_mark() { awk '/^cpu / { t = 0; for (i = 2; i <= 9; i++) t += $i; print $9, t; exit }' /proc/stat; }
hb_steal_since() { # mark -> "N.N%" of both cores' time stolen since the mark
  hb_cpu_mark | awk -v m="$1" 'BEGIN { split(m, a, " ") }
    { printf "%.1f%%", ($2 > a[2]) ? 100 * ($1 - a[1]) / ($2 - a[2]) : 0 }'
}
# Prints a warning when any of the given hb_steal_since figures is over 5%.
hb_steal_warning() { # figures...
  local f
  for f in "$@"; do
    if awk -v f="${f%\%}" 'BEGIN { exit !(f > 5) }'; then
      echo "WARNING: the host took over 5% of the CPU during a measured run ($*):" \
        "its figures are not comparable with other runs; run again"
      return
    fi
  done
}

# Runs a command while scripts/bench/disk_stalls.py watches for the periods in which the machine
# only waited on the disk, for `seconds`; its line goes to `file`.
hb_disk_watched() { # file seconds command...
  local file=$1 seconds=$2 watcher status=0
  shift 2
  python3 scripts/bench/disk_stalls.py "$seconds" >"$file" &
  watcher=$!
  "$@" || status=$?
  wait "$watcher"
  return "$status"
}
# "N (longest M ms)" from the line hb_disk_watched wrote.
hb_disk_stalls_brief() { sed 's/.*: \([0-9]*\) periods.*(longest \([0-9]*\) ms)/\1 (longest \2 ms)/' "$1"; }
