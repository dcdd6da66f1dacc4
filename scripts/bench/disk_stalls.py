#!/usr/bin/env python3
"""Watches /proc/stat every 10 ms for SECONDS and prints the periods of at least 50 ms in which
the whole machine did nothing but wait: no CPU time in user, system or interrupts, and some
in iowait. On these machines such a period is a disk flush that every commit waits for; it is
what decides a run's p99 (docs/benchmarks.md). Usage: disk_stalls.py SECONDS
"""
import sys
import time

TICK = 0.010
MIN_STALL = 0.050


def sample():
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    return user + nice + system + irq + softirq + steal, iowait


def main():
    seconds = float(sys.argv[1])
    stalls, start, began = [], None, time.monotonic()
    busy0, wait0 = sample()
    waited = False
    while time.monotonic() - began < seconds:
        time.sleep(TICK)
        busy1, wait1 = sample()
        now = time.monotonic()
        if busy1 == busy0:  # nothing ran: a stall goes on while some of it is iowait
            if start is None:
                start, waited = now - TICK, False
            waited = waited or wait1 > wait0
        elif start is not None:
            if waited and now - start >= MIN_STALL:
                stalls.append(now - start)
            start = None
        busy0, wait0 = busy1, wait1
    if start is not None and waited and time.monotonic() - start >= MIN_STALL:
        stalls.append(time.monotonic() - start)  # still going at the end
    longest = max(stalls, default=0.0)
    print(f"machine waiting only on the disk: {len(stalls)} periods of >= {MIN_STALL * 1000:.0f} ms"
          f" (longest {longest * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
