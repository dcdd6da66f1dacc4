#!/usr/bin/env python3
"""A webhook receiver for scripts/bench-alerts.sh: answers every POST 200 at once and counts
deliveries per X-Heartbeatd-Notification-Id. Keeps connections alive (HTTP/1.1) as a real
receiver would. GET /stats answers JSON: received, distinct, duplicates, first and last arrival
(Unix time, seconds).

Usage: alert_receiver.py PORT
"""
import collections
import http.server
import json
import sys
import threading
import time

lock = threading.Lock()
seen = collections.Counter()
times = []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(length)
        key = self.headers.get("X-Heartbeatd-Notification-Id", "")
        now = time.time()
        with lock:
            seen[key] += 1
            times.append(now)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            body = json.dumps({"received": sum(seen.values()), "distinct": len(seen),
                               "duplicates": sum(n - 1 for n in seen.values() if n > 1),
                               "first": min(times) if times else None,
                               "last": max(times) if times else None}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
server.daemon_threads = True
server.serve_forever()
