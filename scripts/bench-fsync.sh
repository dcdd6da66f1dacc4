#!/usr/bin/env bash
# The disk's flush latency, as every commit of heartbeatd's writer waits for one: 8 KiB writes,
# each followed by fdatasync, for a while (default 20 s), in the directory where the benchmarks'
# throwaway PostgreSQL keeps its data (/tmp). Prints p50/p99/p99.9/max and each flush over 20 ms.
# A commit cannot be faster than its flush: the p99 targets of scripts/bench-writer.sh and
# scripts/bench-heartbeats.sh assume flushes well under them (docs/benchmarks.md).
# --writes MB_PER_S: meanwhile another process writes that much a second without flushing, as
#   PostgreSQL's data pages reach the disk between checkpoints (12-15 MB/s at 150,000
#   heartbeats/s); --early-writeback makes it start each 256 KiB's writeback at once, as
#   PostgreSQL's *_flush_after settings do.
# Usage: scripts/bench-fsync.sh [--seconds S] [--dir DIRECTORY] [--writes MB_PER_S [--early-writeback]]
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN=20
DIR=/tmp
WRITES=0
EARLY=""
while (($#)); do
  case "$1" in
    --seconds) SECONDS_TO_RUN=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --writes) WRITES=$2; shift 2 ;;
    --early-writeback) EARLY=early; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
source scripts/lib/bench.sh
echo "== bench-fsync: $(nproc) cores, $(date -u +%FT%TZ), $DIR on $(df --output=source "$DIR" | tail -1)"
mark=$(hb_cpu_mark)
python3 scripts/bench/fsync_latency.py "$DIR" "$SECONDS_TO_RUN" "$WRITES" $EARLY
steal=$(hb_steal_since "$mark")
echo "CPU stolen by the host during the run: $steal"
hb_steal_warning "$steal"
