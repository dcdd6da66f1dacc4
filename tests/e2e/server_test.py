#!/usr/bin/env python3
"""heartbeatd as a process: start-up, /healthz, the admin token, signals and bad settings.

Runs the real binary on a free loopback port against SQLite and against the PostgreSQL cluster
that scripts/test.sh started (HEARTBEATD_TEST_PG). Standard library only.
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.parse

import harness
from harness import Backend, Server, free_port, request


def web_sign_in(server, password):
    """Signs in to the web UI as a browser would; returns the status of the POST (303: in) and
    the session cookie it set, if any."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("GET", "/login")
        resp = conn.getresponse()
        body = resp.read().decode()
        cookie = resp.getheader("Set-Cookie").split(";")[0]
        csrf = re.search(r'name="csrf" value="([^"]+)"', body).group(1)
        form = urllib.parse.urlencode({"csrf": csrf, "password": password})
        conn.request("POST", "/login", form, {"Cookie": cookie,
                                              "Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        resp.read()
        session = [c.split(";")[0] for c in resp.headers.get_all("Set-Cookie") or []
                   if c.startswith("hb_session=")]
        return resp.status, session[0] if session else None
    finally:
        conn.close()


def web_login(server, password):
    """The status of signing in to the web UI (303: in)."""
    return web_sign_in(server, password)[0]


def command(database, name, text=None):
    """Runs `heartbeatd NAME` (rotate-admin-token, set-admin-password) on `database`, with no
    admin secret from the environment; `text` is its standard input."""
    env = dict(os.environ, HEARTBEATD_DATABASE=database)
    env.pop("HEARTBEATD_ADMIN_TOKEN", None)
    env.pop("HEARTBEATD_ADMIN_PASSWORD", None)
    return subprocess.run([harness.BINARY, name], env=env, input=text, capture_output=True,
                          text=True, timeout=30)


def until(check, seconds=10):
    """Polls `check` until it is true; returns whether it became so within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


class ServerTests:
    backend_name = None

    def setUp(self):
        self.backend = Backend(self.backend_name)

    def tearDown(self):
        self.backend.cleanup()

    def test_healthz_reports_version_and_database(self):
        server = Server(self.backend.new_database())
        try:
            status, headers, body = request("GET", server.base + "/healthz")
            self.assertEqual(status, 200)
            self.assertEqual(headers["Content-Type"], "application/json")
            doc = json.loads(body)
            self.assertEqual(doc["status"], "ok")
            self.assertTrue(doc["database_ok"])
            self.assertEqual(doc["database"], self.backend_name)
            self.assertRegex(doc["version"], r"^\d+\.\d+\.\d+$")
            status, _, body = request("HEAD", server.base + "/healthz")
            self.assertEqual((status, body), (200, b""))
        finally:
            server.stop()

    def test_unknown_routes_get_a_json_404(self):
        server = Server(self.backend.new_database())
        try:
            status, headers, body = request("GET", server.base + "/no/such/route")
            self.assertEqual(status, 404)
            self.assertEqual(headers["Content-Type"], "application/json")
            self.assertEqual(json.loads(body), {"error": "not found"})
        finally:
            server.stop()

    def test_admin_token_is_printed_on_first_start_only_and_rotation_prints_a_new_one(self):
        database = self.backend.new_database()
        first = Server(database)
        code, _, out, err = first.stop()
        self.assertEqual(code, 0, err)
        tokens = re.findall(r"hbt_[A-Za-z0-9_-]{43}", out)
        self.assertEqual(len(tokens), 1, out)
        self.assertNotIn(tokens[0], err)  # never in the log

        second = Server(database)
        code, _, out, err = second.stop()
        self.assertEqual(code, 0, err)
        self.assertEqual(re.findall(r"hbt_", out + err), [])

        rotated = command(database, "rotate-admin-token")
        self.assertEqual(rotated.returncode, 0, rotated.stderr)
        new_token = rotated.stdout.strip()
        self.assertRegex(new_token, r"^hbt_[A-Za-z0-9_-]{43}$")
        self.assertNotEqual(new_token, tokens[0])

    def test_a_running_server_refuses_a_rotated_token_within_seconds(self):
        database = self.backend.new_database()
        _, _, out, _ = Server(database).stop()
        old_token = re.findall(r"hbt_[A-Za-z0-9_-]{43}", out)[0]
        fixed_token = "a-token-from-the-environment"
        server = Server(database)  # the stored token
        fixed = Server(database, {"HEARTBEATD_ADMIN_TOKEN": fixed_token})
        try:
            def status(srv, token):
                return request("GET", srv.base + "/api/applications",
                               headers={"Authorization": f"Bearer {token}"})[0]

            self.assertEqual(status(server, old_token), 200)
            rotated = command(database, "rotate-admin-token")
            self.assertEqual(rotated.returncode, 0, rotated.stderr)
            new_token = rotated.stdout.strip()
            # The server re-reads the stored token every second.
            self.assertTrue(until(lambda: status(server, old_token) == 401, 5),
                            "the old token still works 5 s after the rotation")
            self.assertEqual(status(server, new_token), 200)
            # A token set in the environment is not replaced by the stored one.
            self.assertEqual(status(fixed, fixed_token), 200)
            self.assertEqual(status(fixed, new_token), 401)
        finally:
            server.stop()
            fixed.stop()
        self.assertIn("the admin API token was replaced", server.stop()[3])
        self.assertNotIn(new_token, server.stop()[2] + server.stop()[3])

    def test_a_new_web_password_ends_the_sessions_of_the_old_one_within_seconds(self):
        database = self.backend.new_database()
        server = Server(database, {"HEARTBEATD_ADMIN_PASSWORD": "the first password"})
        server.stop()
        first = command(database, "set-admin-password", "the first password\n")
        self.assertEqual(first.returncode, 0, first.stderr)
        server = Server(database)  # the stored password
        try:
            status, session = web_sign_in(server, "the first password")
            self.assertEqual(status, 303)

            def dashboard():  # (status, Location), not following a redirect
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
                try:
                    conn.request("GET", "/", headers={"Cookie": session})
                    resp = conn.getresponse()
                    resp.read()
                    return resp.status, resp.getheader("Location")
                finally:
                    conn.close()

            self.assertEqual(dashboard()[0], 200)
            changed = command(database, "set-admin-password", "the second password\n")
            self.assertEqual(changed.returncode, 0, changed.stderr)
            self.assertTrue(until(lambda: dashboard()[0] == 303, 5),
                            "the old session still works 5 s after the change")
            self.assertTrue(dashboard()[1].startswith("/login"), dashboard())
            self.assertEqual(web_login(server, "the first password"), 401)
            self.assertEqual(web_login(server, "the second password"), 303)
        finally:
            server.stop()

    def test_the_web_password_is_printed_once_and_set_admin_password_replaces_it(self):
        database = self.backend.new_database()
        first = Server(database)
        try:
            _, _, out, err = first.stop()
            generated = re.findall(r"Web UI admin password.*\n\n\s+(\S+)", out)
            self.assertEqual(len(generated), 1, out)
            self.assertNotIn(generated[0], err)  # never in the log
        finally:
            first.stop()

        def set_password(text):
            return command(database, "set-admin-password", text)

        too_short = set_password("short\n")
        self.assertEqual(too_short.returncode, 2)
        self.assertIn("at least 8 characters", too_short.stderr)
        chosen = set_password("a new password\n")
        self.assertEqual(chosen.returncode, 0, chosen.stderr)
        self.assertEqual(chosen.stdout, "")  # a chosen password is not echoed

        server = Server(database)
        try:
            self.assertNotIn("Web UI admin password", server.stop()[2])
        finally:
            server.stop()
        server = Server(database)
        try:
            self.assertEqual(web_login(server, generated[0]), 401)
            self.assertEqual(web_login(server, "a new password"), 303)
        finally:
            server.stop()

        made = set_password("")  # no input: a generated one, printed once
        self.assertEqual(made.returncode, 0, made.stderr)
        server = Server(database)
        try:
            self.assertEqual(web_login(server, made.stdout.strip()), 303)
        finally:
            server.stop()

    def test_sigterm_and_sigint_stop_it_cleanly_within_two_seconds(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            server = Server(self.backend.new_database())
            self.assertEqual(request("GET", server.base + "/healthz")[0], 200)
            code, took, _, err = server.stop(sig)
            self.assertEqual(code, 0, err)
            self.assertLess(took, 2.0)
            self.assertIn("stopping", err)

    def test_start_up_logs_where_it_listens_and_which_database(self):
        server = Server(self.backend.new_database())
        _, _, _, err = server.stop()
        self.assertIn(f"listening on 127.0.0.1:{server.port}", err)
        self.assertIn("schema version", err)
        self.assertNotIn("password=", err.replace("password=***", ""))


class SqliteServerTests(ServerTests, unittest.TestCase):
    backend_name = "sqlite3"

    def test_the_default_database_is_a_file_under_data(self):
        workdir = tempfile.mkdtemp(prefix="hb-e2e-cwd-")
        try:
            port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTBEATD_")}
            env["HEARTBEATD_LISTEN"] = f"127.0.0.1:{port}"
            proc = subprocess.Popen([harness.BINARY], cwd=workdir, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.monotonic() + 15
            while not os.path.exists(os.path.join(workdir, "data", "heartbeatd.db")):
                self.assertLess(time.monotonic(), deadline)
                self.assertIsNone(proc.poll())
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=10)
            self.assertEqual(proc.returncode, 0)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


class PostgresServerTests(ServerTests, unittest.TestCase):
    backend_name = "postgresql"


class DatabaseOutageTests(unittest.TestCase):
    """PostgreSQL goes away under a running heartbeatd, then comes back (a cluster of the test's
    own, since it is stopped)."""

    def test_heartbeats_get_503_while_the_database_is_down_and_200_once_it_is_back(self):
        cluster = harness.PgCluster()
        self.addCleanup(cluster.cleanup)
        token = "outage-test-token-0123456789"
        server = Server(cluster.conninfo(), {"HEARTBEATD_ADMIN_TOKEN": token})
        try:
            auth = {"Authorization": f"Bearer {token}"}
            status, _, body = request("POST", server.base + "/api/applications",
                                      {"name": "outage", "expected_interval": 3600}, auth)
            self.assertEqual(status, 201, body)
            app = json.loads(body)
            beat = server.base + "/heartbeat/" + app["uuid"]
            self.assertEqual(request("POST", beat)[0], 200)

            cluster.stop()
            status, headers, body = request("POST", beat)
            self.assertEqual(status, 503, body)
            self.assertEqual(headers["Retry-After"], "1")
            self.assertIn("error", json.loads(body))
            self.assertEqual(request("GET", server.base + "/healthz")[0], 503)

            cluster.start()
            deadline = time.monotonic() + 15
            while (answer := request("POST", beat)[0]) != 200:
                self.assertEqual(answer, 503)
                self.assertLess(time.monotonic(), deadline, "writes did not recover")
                time.sleep(0.2)
            answered_ok = 2
            self.assertEqual(request("GET", server.base + "/healthz")[0], 200)
            status, _, body = request(
                "GET", server.base + f"/api/applications/{app['id']}/heartbeats?limit=1000",
                headers=auth)
            self.assertEqual(status, 200, body)
            stored = len(json.loads(body)["heartbeats"])
            self.assertEqual(stored, answered_ok)  # every 200 is in history, and no 503
        finally:
            code, _, _, err = server.stop()
        self.assertEqual(code, 0, err)
        self.assertIn("database write failed", err)
        self.assertIn("recovered", err)


class CommandLineTests(unittest.TestCase):
    def run_binary(self, args, env_extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTBEATD_")}
        env.update(env_extra or {})
        return subprocess.run([harness.BINARY] + args, env=env, capture_output=True, text=True,
                              timeout=30)

    def test_version_and_help(self):
        version = self.run_binary(["--version"])
        self.assertEqual(version.returncode, 0)
        self.assertRegex(version.stdout, r"^heartbeatd \d+\.\d+\.\d+\n$")
        helptext = self.run_binary(["--help"])
        self.assertEqual(helptext.returncode, 0)
        for name in ("HEARTBEAT_CHECK_INTERVAL", "HEARTBEATD_LISTEN", "HEARTBEATD_DATABASE",
                     "HEARTBEATD_ADMIN_TOKEN", "HEARTBEATD_PUBLIC_URL"):
            self.assertIn(name, helptext.stdout)

    def test_a_bad_setting_stops_start_up_with_one_line_naming_it(self):
        result = self.run_binary([], {"HEARTBEAT_CHECK_INTERVAL": "soon"})
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn("HEARTBEAT_CHECK_INTERVAL", lines[0])
        self.assertIn("'soon'", lines[0])
        self.assertIn("1-86400", lines[0])

    def test_a_busy_port_is_reported_and_exits_non_zero(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            port = s.getsockname()[1]
            tmp = tempfile.mkdtemp(prefix="hb-e2e-")
            try:
                result = self.run_binary([], {"HEARTBEATD_LISTEN": f"127.0.0.1:{port}",
                                              "HEARTBEATD_DATABASE": f"sqlite3://{tmp}/hb.db"})
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", result.stderr)

    def test_an_unreachable_database_is_reported_and_exits_non_zero(self):
        port = free_port()  # nothing listens there
        result = self.run_binary([], {
            "HEARTBEATD_DATABASE": f"postgresql://hb:secret@127.0.0.1:{port}/hb",
            "HEARTBEATD_LISTEN": f"127.0.0.1:{free_port()}"})
        self.assertEqual(result.returncode, 1)
        self.assertIn("start-up failed", result.stderr)
        self.assertNotIn("secret", result.stderr)


if __name__ == "__main__":
    harness.main()
