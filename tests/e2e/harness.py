"""Shared helpers of the end-to-end tests: the heartbeatd binary as a process on a free loopback
port, fresh databases on both backends, and plain HTTP. Standard library only.

The test scripts take `--binary PATH` (see main()); PostgreSQL tests need HEARTBEATD_TEST_PG, a
libpq conninfo of a cluster where they may create databases (scripts/test.sh starts one).
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

BINARY = None  # set by main() from --binary


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(method, url, body=None, headers=None, timeout=10):
    """One HTTP request. Returns (status, headers, body bytes); 4xx and 5xx are answers too.

    `body` is bytes, a str, or anything else to send as JSON. The headers returned look names up
    case-insensitively.
    """
    headers = dict(headers or {})
    if body is not None and not isinstance(body, (bytes, str)):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode()
    if body is not None:
        headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers, e.read()


class Server:
    """One heartbeatd process with its own port, on `database`.

    Its output goes to temporary files (a pipe nobody reads would block it once full); stop()
    returns it.
    """

    def __init__(self, database, extra_env=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        env.pop("HEARTBEATD_ADMIN_TOKEN", None)
        env.update({"HEARTBEATD_LISTEN": f"127.0.0.1:{self.port}", "HEARTBEATD_DATABASE": database})
        env.update(extra_env or {})
        self._out = tempfile.TemporaryFile(mode="w+")
        self._err = tempfile.TemporaryFile(mode="w+")
        self._stopped = None
        self.proc = subprocess.Popen([BINARY], env=env, stdout=self._out, stderr=self._err,
                                     text=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited early ({self.proc.returncode}): "
                                     f"{self._read(self._err)}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.proc.kill()
        self.proc.wait()
        raise AssertionError("server did not start listening within 15 s")

    @staticmethod
    def _read(f):
        f.seek(0)
        return f.read()

    def stop(self, sig=signal.SIGTERM):
        """Sends `sig` and waits. Returns (exit status, seconds it took, stdout, stderr); once
        stopped, the same again."""
        if self._stopped is not None:
            return self._stopped
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        took = time.monotonic() - started
        out, err = self._read(self._out), self._read(self._err)
        self._out.close()
        self._err.close()
        self._stopped = (self.proc.returncode, took, out, err)
        return self._stopped


class Backend:
    """Fresh database URLs for one backend ("sqlite3" or "postgresql")."""

    def __init__(self, name):
        self.name = name
        self.dir = tempfile.mkdtemp(prefix="hb-e2e-")
        self.pg_databases = []

    def new_database(self):
        if self.name == "sqlite3":
            return f"sqlite3://{self.dir}/{uuid.uuid4().hex}/hb.db"
        admin = os.environ.get("HEARTBEATD_TEST_PG")
        if not admin:
            raise AssertionError("HEARTBEATD_TEST_PG is not set: run scripts/test.sh")
        name = "hb_e2e_" + uuid.uuid4().hex[:12]
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
        self.pg_databases.append(name)
        return f"{admin} dbname={name}"

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        admin = os.environ.get("HEARTBEATD_TEST_PG")
        for name in self.pg_databases:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
        self.pg_databases = []


class PgCluster:
    """A PostgreSQL cluster of a test's own, for tests that stop and start the database server.

    initdb runs as the postgres user when we are root (it refuses root), in a fresh temporary
    directory, on a free port. Binaries from HEARTBEATD_PG_BIN (default: Debian's PostgreSQL 15).
    """

    def __init__(self):
        self.bin = os.environ.get("HEARTBEATD_PG_BIN", "/usr/lib/postgresql/15/bin")
        self.dir = tempfile.mkdtemp(prefix="hb-e2e-pg-")
        self.port = free_port()
        self.running = False
        if os.geteuid() == 0:
            os.chmod(self.dir, 0o755)
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", f"{self.dir}/data", "-U", "postgres", "-A", "trust", "-E",
                  "UTF8", "--no-sync")
        self.start()

    def _run(self, tool, *args):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + [f"{self.bin}/{tool}", *args], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-w", "-l", f"{self.dir}/log", "-o",
                  f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1", "start")
        self.running = True

    def stop(self):
        if self.running:
            self._run("pg_ctl", "-D", f"{self.dir}/data", "-w", "-m", "fast", "stop")
            self.running = False

    def conninfo(self):
        return f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres connect_timeout=2"

    def cleanup(self):
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def main():
    """Reads --binary, then runs the calling script's tests (other arguments go to unittest)."""
    global BINARY
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args, rest = parser.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    unittest.main(module="__main__", argv=[sys.argv[0], "-v"] + rest)
