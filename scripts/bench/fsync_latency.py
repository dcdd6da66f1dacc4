#!/usr/bin/env python3
"""fdatasync latency of one 8 KiB write at a time, as a database commit waits for it.

pg_test_fsync reports operations per second; a commit's tail latency comes from the slow
flushes, which only a distribution shows.

With WRITE_MB_PER_S, another process writes that many MB a second to a file beside the probe
meanwhile, without flushing it, as a database's data pages reach the page cache between its
checkpoints. "early" asks the kernel to start writing each 256 KiB at once (sync_file_range),
as PostgreSQL's *_flush_after settings do, instead of leaving it to the kernel's periodic
writeback. Usage: fsync_latency.py DIRECTORY SECONDS [WRITE_MB_PER_S [early]]
"""
import ctypes
import multiprocessing
import os
import sys
import time

SYNC_FILE_RANGE_WRITE = 2


def write_steadily(path, mb_per_s, seconds, early):
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        chunk = os.urandom(256 * 1024)
        start, written = time.monotonic(), 0
        while time.monotonic() - start < seconds:
            os.pwrite(fd, chunk, written)
            if early:
                libc.sync_file_range(fd, ctypes.c_longlong(written), ctypes.c_longlong(len(chunk)),
                                     SYNC_FILE_RANGE_WRITE)
            written += len(chunk)
            pause = start + written / (mb_per_s * 1024 * 1024) - time.monotonic()
            if pause > 0:
                time.sleep(pause)
    finally:
        os.close(fd)
        os.unlink(path)


def main():
    directory, seconds = sys.argv[1], float(sys.argv[2])
    write_rate = float(sys.argv[3]) if len(sys.argv) > 3 else 0
    early = len(sys.argv) > 4 and sys.argv[4] == "early"
    path = os.path.join(directory, f"fsync-probe-{os.getpid()}")
    writer = None
    if write_rate > 0:
        writer = multiprocessing.Process(
            target=write_steadily,
            args=(os.path.join(directory, f"fsync-load-{os.getpid()}"), write_rate, seconds, early))
        writer.start()
        print(f"meanwhile: {write_rate:g} MB/s written to a file beside the probe, "
              f"{'with early writeback (sync_file_range)' if early else 'left to the kernel'}")
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
        if writer:
            writer.join()
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
