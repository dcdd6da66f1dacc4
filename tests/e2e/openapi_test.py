#!/usr/bin/env python3
"""docs/openapi.yaml cannot drift from the server.

1. Every route the server registers (read from http/server.cpp) is documented, with the same
   methods: the server's 405 `Allow` header for each documented path lists exactly the
   documented methods.
2. Every documented operation, called against a running heartbeatd with its documented example
   body, answers a documented status, and a JSON answer has every property the document
   requires for that status, with the documented types.
3. Every operation documented as needing the bearer token answers 401 without it, and 401 is
   documented for it.

Needs PyYAML (Debian's python3-yaml, installed by scripts/install-deps.sh --test).
"""
import argparse
import json
import os
import re
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

import yaml

BINARY = None
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = "openapi-test-token-0123456789"
METHODS = ["get", "put", "post", "delete", "head", "patch", "options"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(method, url, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method.upper())
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def resolve(doc, node):
    """The node with every $ref replaced by what it points at."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolve(doc, target)
        return {k: resolve(doc, v) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(doc, v) for v in node]
    return node


def check_schema(test, schema, value, where):
    """Asserts that `value` has the documented type, required properties and enum values."""
    if value is None:
        test.assertTrue(schema.get("nullable", False), f"{where}: null but not nullable")
        return
    kind = schema.get("type")
    types = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}
    if kind in types:
        test.assertIsInstance(value, types[kind], f"{where}: expected {kind}, got {value!r}")
        if kind == "integer":
            test.assertNotIsInstance(value, bool, f"{where}: a boolean is not an integer")
    if "enum" in schema:
        test.assertIn(value, schema["enum"], f"{where}: {value!r} not in {schema['enum']}")
    if kind == "object":
        for name in schema.get("required", []):
            test.assertIn(name, value, f"{where}: required property '{name}' missing")
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                check_schema(test, sub, value[name], f"{where}.{name}")
    if kind == "array":
        for i, item in enumerate(value):
            check_schema(test, schema.get("items", {}), item, f"{where}[{i}]")


def server_routes():
    """{path: set(methods)} as registered in http/server.cpp (':name' becomes '{name}')."""
    with open(os.path.join(ROOT, "http", "server.cpp")) as f:
        source = f.read()
    variables = dict(re.findall(r'const char\* (\w+) = R?"\(?(/[^")]*)\)?";', source))
    routes = {}
    for method, arg in re.findall(r'->http_(get|post|put|delete|head)\((\w+|"[^"]+")', source):
        path = arg.strip('"') if arg.startswith('"') else variables[arg]
        path = re.sub(r":(\w+)", r"{\1}", path)
        routes.setdefault(path, set()).add(method)
    return routes


class OpenApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(ROOT, "docs", "openapi.yaml")) as f:
            cls.doc = yaml.safe_load(f)
        cls.paths = resolve(cls.doc, cls.doc["paths"])
        cls.dir = tempfile.mkdtemp(prefix="hb-openapi-")
        cls.port = free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTBEATD_")}
        env.update({"HEARTBEATD_LISTEN": f"127.0.0.1:{cls.port}",
                    "HEARTBEATD_DATABASE": f"sqlite3://{cls.dir}/hb.db",
                    "HEARTBEATD_ADMIN_TOKEN": TOKEN})
        cls.proc = subprocess.Popen([BINARY], env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", cls.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline or cls.proc.poll() is not None:
                    raise
                time.sleep(0.05)

    @classmethod
    def tearDownClass(cls):
        cls.proc.send_signal(signal.SIGTERM)
        cls.proc.wait(timeout=10)
        shutil.rmtree(cls.dir, ignore_errors=True)

    def new_application(self):
        example = self.paths["/api/applications"]["post"]["requestBody"]["content"][
            "application/json"]["schema"]["example"]
        status, _, body = call("post", self.base + "/api/applications", example, TOKEN)
        self.assertEqual(status, 201, body)
        return json.loads(body)

    def new_alert(self, app):
        example = self.paths["/api/applications/{id}/alerts"]["post"]["requestBody"]["content"][
            "application/json"]["schema"]["example"]
        status, _, body = call("post", self.url("/api/applications/{id}/alerts", app), example,
                               TOKEN)
        self.assertEqual(status, 201, body)
        return json.loads(body)

    def url(self, path, app):
        if "{alert_id}" in path:
            path = path.replace("{alert_id}", str(self.new_alert(app)["id"]))
        return self.base + path.replace("{uuid}", app["uuid"]).replace("{id}", str(app["id"]))

    def test_every_server_route_is_documented_with_its_methods(self):
        routes = server_routes()
        self.assertTrue(routes, "no routes found in http/server.cpp")
        for path, methods in routes.items():
            self.assertIn(path, self.paths, f"{path} is served but not documented")
            documented = {m for m in self.paths[path] if m in METHODS}
            self.assertEqual(documented, methods, f"{path}: methods differ")
        for path in self.paths:
            self.assertIn(path, routes, f"{path} is documented but not served")

    def test_the_metrics_description_names_exactly_the_metrics_served(self):
        status, _, body = call("get", self.base + "/metrics", token=TOKEN)
        self.assertEqual(status, 200)
        served = set(re.findall(r"^# TYPE (heartbeatd_\w+) ", body.decode(), re.M))
        documented = set(re.findall(r"heartbeatd_\w+",
                                    self.paths["/metrics"]["get"]["description"]))
        self.assertTrue(served, "no metrics served")
        self.assertEqual(documented, served)

    def test_the_allow_header_of_every_path_lists_the_documented_methods(self):
        app = self.new_application()
        for path, item in self.paths.items():
            documented = {m.upper() for m in item if m in METHODS}
            status, headers, _ = call("patch", self.url(path, app), token=TOKEN)
            self.assertEqual(status, 405, path)
            allowed = {m.strip() for m in headers["Allow"].split(",")}
            self.assertEqual(allowed, documented, path)

    def test_every_documented_operation_answers_as_documented(self):
        for path, item in self.paths.items():
            for method in [m for m in METHODS if m in item and m != "delete"]:
                self.check_operation(path, method, item[method], self.new_application())
        # Deletes last: each on an application of its own.
        for path, item in self.paths.items():
            if "delete" in item:
                self.check_operation(path, "delete", item["delete"], self.new_application())

    def check_operation(self, path, method, op, app):
        where = f"{method.upper()} {path}"
        body = None
        if "requestBody" in op:
            body = op["requestBody"]["content"]["application/json"]["schema"]["example"]
        token = TOKEN if op.get("security") else None
        status, headers, raw = call(method, self.url(path, app), body, token)
        self.assertIn(str(status), op["responses"], f"{where} answered undocumented {status}")
        documented = op["responses"][str(status)]
        content = documented.get("content", {})
        if method == "head":
            self.assertEqual(raw, b"", f"{where}: HEAD with a body")
            return
        if "application/json" in content:
            self.assertEqual(headers.get("Content-Type"), "application/json", where)
            check_schema(self, content["application/json"]["schema"], json.loads(raw), where)
        elif "text/plain" in content:
            self.assertTrue(headers.get("Content-Type", "").startswith("text/plain"), where)
        else:
            self.assertEqual(raw, b"", f"{where}: {status} documents no body")

    def test_operations_behind_the_token_answer_401_without_it(self):
        app = self.new_application()
        checked = 0
        for path, item in self.paths.items():
            for method in [m for m in METHODS if m in item]:
                op = item[method]
                if not op.get("security"):
                    continue
                self.assertIn("401", op["responses"], f"{method} {path}: 401 not documented")
                status, headers, raw = call(method, self.url(path, app))
                self.assertEqual(status, 401, f"{method} {path}")
                self.assertIn("WWW-Authenticate", headers)
                check_schema(self, op["responses"]["401"]["content"]["application/json"]["schema"],
                             json.loads(raw), f"{method} {path} 401")
                checked += 1
        self.assertGreaterEqual(checked, 6)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    args, rest = parser.parse_known_args()
    BINARY = args.binary
    unittest.main(argv=[sys.argv[0], "-v"] + rest)
