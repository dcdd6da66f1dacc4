#!/usr/bin/env python3
"""Sends one heartbeat to every UUID in a file, 32 at a time; prints how many were answered 200."""
import concurrent.futures
import sys
import urllib.request

base, path = sys.argv[1], sys.argv[2]
with open(path) as f:
    uuids = [line.strip() for line in f if line.strip()]


def beat(uuid):
    req = urllib.request.Request(f"{base}/heartbeat/{uuid}", method="POST")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status


with concurrent.futures.ThreadPoolExecutor(32) as pool:
    ok = sum(1 for status in pool.map(beat, uuids) if status == 200)
print(ok)
