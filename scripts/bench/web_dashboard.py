#!/usr/bin/env python3
"""Fills a running heartbeatd with applications through its API, then measures how long the
server takes to render the dashboard (keep-alive connection, signed in like a browser).

Usage: web_dashboard.py BASE_URL ADMIN_TOKEN ADMIN_PASSWORD COUNT RUNS
Prints one line per measured page: p50, p95 and max in milliseconds.
"""
import http.client
import json
import re
import statistics
import sys
import time
import urllib.parse

base, token, password, count, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
host = urllib.parse.urlsplit(base).netloc


def connection():
    return http.client.HTTPConnection(host, timeout=30)


def call(conn, method, path, body=None, headers=None):
    headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.getheaders(), resp.read()


def fill():
    """count applications: most up, some new, some down, some paused."""
    api = connection()
    auth = {"Authorization": f"Bearer {token}"}
    uuids, down, paused = [], [], []
    started = time.monotonic()
    for i in range(count):
        kind = "down" if i % 20 == 1 else "paused" if i % 20 == 2 else "new" if i % 10 == 3 else "up"
        spec = {"name": f"bench-{kind}-{i:05d}", "expected_interval": 1 if kind == "down" else 3600,
                "grace_period": 0}
        status, _, body = call(api, "POST", "/api/applications", spec, auth)
        assert status == 201, (status, body)
        app = json.loads(body)
        if kind in ("up", "down"):
            uuids.append(app["uuid"])
        if kind == "paused":
            paused.append(app["id"])
    for uuid in uuids:
        status, _, _ = call(api, "POST", f"/heartbeat/{uuid}")
        assert status == 200
    for app_id in paused:
        status, _, _ = call(api, "PUT", f"/api/applications/{app_id}", {"is_active": False}, auth)
        assert status == 200
    print(f"filled {count} applications in {time.monotonic() - started:.1f} s", file=sys.stderr)
    time.sleep(3)  # the interval-1 ones go down


def login(conn):
    status, headers, body = call(conn, "GET", "/login")
    cookie = next(v for k, v in headers if k.lower() == "set-cookie").split(";")[0]
    csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
    form = urllib.parse.urlencode({"csrf": csrf, "password": password, "next": "/"})
    status, headers, _ = call(conn, "POST", "/login", form,
                              {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    assert status == 303, status
    return [v for k, v in headers if k.lower() == "set-cookie" and v.startswith("hb_session=")][0].split(";")[0]


def measure(conn, session, label, path):
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        status, _, body = call(conn, "GET", path, headers={"Cookie": session})
        times.append((time.perf_counter() - started) * 1000)
        assert status == 200, (label, status)
        size = len(body)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"{label:<34} p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  "
          f"max {times[-1]:6.1f} ms  ({size // 1024} KiB)")


if __name__ == "__main__":
    fill()
    conn = connection()
    session = login(conn)
    measure(conn, session, "GET / (first page of 50)", "/")
    measure(conn, session, "GET /dashboard.json (live refresh)", "/dashboard.json?page=1")
    measure(conn, session, "GET /?q=up-0012 (search)", "/?q=up-0012")
    measure(conn, session, "GET /?status=down (filter)", "/?status=down")
    measure(conn, session, "GET /?page=100 (deep page)", "/?page=100")
