#!/usr/bin/env python3
"""fdatasync latency of one 8 KiB write at a time, as a database commit waits for it.

pg_test_fsync reports operations per second; a commit's tail latency comes from the slow
flushes, which only a distribution shows. Usage: fsync_latency.py DIRECTORY SECONDS
"""
import os
import sys
import time


def main():
    directory, seconds = sys.argv[1], float(sys.argv[2])
    path = os.path.join(directory, f"fsync-probe-{os.getpid()}")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        block = b"x" * 8192
        latencies, slow = [], []
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            os.pwrite(fd, block, (len(latencies) % 1024) * 8192)  # 8 MiB, rewritten
            began = time.perf_counter()
            os.fdatasync(fd)
            took = time.perf_counter() - began
            latencies.append(took)
            if took > 0.020:
                slow.append((time.monotonic() - start, took))
    finally:
        os.close(fd)
        os.unlink(path)
    latencies.sort()
    n = len(latencies)

    def ms(q):
        return latencies[min(n - 1, int(n * q))] * 1000

    print(f"{n} fdatasyncs of 8 KiB over {seconds:.0f} s: p50 {ms(0.5):.2f} ms, p99 {ms(0.99):.2f} ms, "
          f"p99.9 {ms(0.999):.2f} ms, max {latencies[-1] * 1000:.1f} ms")
    print(f"flushes over 20 ms: {len(slow)}" +
          ("" if not slow else " (s into the run: ms) " +
           " ".join(f"{t:.1f}:{d * 1000:.0f}" for t, d in slow[:20])))


if __name__ == "__main__":
    main()
