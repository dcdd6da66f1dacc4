#!/usr/bin/env python3
"""heartbeatd's HTTP API end to end: heartbeats, the admin REST API, /metrics, status over time
and across a restart, on SQLite and on PostgreSQL (HEARTBEATD_TEST_PG).

Most tests share one server per class and only look at applications they created themselves (or
at differences of counters), so they do not depend on each other. Standard library only.
"""
import datetime
import json
import re
import time
import unittest
import uuid

import harness
from harness import Backend, Server, request

TOKEN = "e2e-admin-token-0123456789abcdef"
UUID_V4 = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
APPLICATION_FIELDS = {"id", "uuid", "name", "expected_interval", "grace_period",
                      "reminder_interval", "status",
                      "is_active", "last_heartbeat", "next_deadline", "created_at", "updated_at",
                      "heartbeat_url"}
STATUSES = ("new", "up", "late", "down", "paused")


def parse_time(text):
    """An ISO 8601 UTC time as the API writes it (microseconds, `Z`); fails on anything else."""
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc)


def seconds(n):
    return datetime.timedelta(seconds=n)


class Client:
    """Helpers over the API of `self.server` for test cases."""

    server = None

    def call(self, method, path, body=None, token=TOKEN, headers=None):
        """Returns (status, headers, JSON document or None when the body is empty)."""
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        status, got_headers, raw = request(method, self.server.base + path, body, headers)
        return status, got_headers, json.loads(raw) if raw else None

    def assert_error(self, answer, status, field=None):
        """`answer` is a JSON error with `status`, naming `field` when there is one."""
        got_status, headers, doc = answer
        self.assertEqual(got_status, status, doc)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertIsInstance(doc["error"], str)
        self.assertTrue(doc["error"])
        if field is not None:
            self.assertEqual(doc.get("field"), field, doc)

    def create(self, name="job", interval=3600, grace=0):
        status, _, doc = self.call("POST", "/api/applications",
                                   {"name": name, "expected_interval": interval,
                                    "grace_period": grace})
        self.assertEqual(status, 201, doc)
        return doc

    def get(self, app_id):
        status, _, doc = self.call("GET", f"/api/applications/{app_id}")
        self.assertEqual(status, 200, doc)
        return doc

    def put(self, app_id, fields):
        status, _, doc = self.call("PUT", f"/api/applications/{app_id}", fields)
        self.assertEqual(status, 200, doc)
        return doc

    def beat(self, app_uuid, method="POST", body=None):
        status, _, raw = request(method, f"{self.server.base}/heartbeat/{app_uuid}", body,
                                 {"Content-Type": "text/plain"})
        return status, raw

    def beat_ok(self, app):
        self.assertEqual(self.beat(app["uuid"]), (200, b'{"status":"ok"}'))

    def history(self, app_id, query=""):
        status, _, doc = self.call("GET", f"/api/applications/{app_id}/heartbeats{query}")
        self.assertEqual(status, 200, doc)
        return doc

    def listing(self, query="?limit=1000"):
        status, _, doc = self.call("GET", "/api/applications" + query)
        self.assertEqual(status, 200, doc)
        return doc

    def total(self):
        return self.listing("?limit=1")["total"]

    def metrics(self):
        """The samples of /metrics by `name{labels}`; also checks the content type."""
        status, headers, raw = request("GET", self.server.base + "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain; version=0.0.4"),
                        headers["Content-Type"])
        samples = {}
        for line in raw.decode().splitlines():
            if line and not line.startswith("#"):
                key, value = line.rsplit(" ", 1)
                samples[key] = float(value)
        return samples

    def wait_for(self, condition, timeout=3.0):
        """Polls `condition` until it returns something true; returns it or fails."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value or time.monotonic() > deadline:
                self.assertTrue(value, f"not within {timeout} s")
                return value
            time.sleep(0.05)


def start_server(cls, database, extra_env=None):
    """Starts a server for test class `cls` and stops it when the class is done."""
    server = Server(database, dict(extra_env or {}, HEARTBEATD_ADMIN_TOKEN=TOKEN))
    cls.addClassCleanup(server.stop)
    return server


class ApiTests(Client):
    """One server for the whole class; each test makes the applications it looks at."""

    backend_name = None

    @classmethod
    def setUpClass(cls):
        cls.backend = Backend(cls.backend_name)
        cls.addClassCleanup(cls.backend.cleanup)
        cls.server = start_server(cls, cls.backend.new_database())

    # --- heartbeats ----------------------------------------------------------------------------

    def test_a_heartbeat_is_answered_ok_and_turns_a_new_application_up(self):
        app = self.create(interval=3600, grace=60)
        self.assertEqual((app["status"], app["last_heartbeat"], app["next_deadline"]),
                         ("new", None, None))
        before = utc_now()
        status, headers, raw = request("POST", app["heartbeat_url"])
        after = utc_now()
        self.assertEqual((status, raw), (200, b'{"status":"ok"}'))
        self.assertEqual(headers["Content-Type"], "application/json")
        got = self.get(app["id"])
        self.assertEqual(got["status"], "up")
        last = parse_time(got["last_heartbeat"])
        self.assertLessEqual(before - seconds(1), last)
        self.assertLessEqual(last, after + seconds(1))
        self.assertEqual(parse_time(got["next_deadline"]), last + seconds(3600 + 60))
        beats = self.history(app["id"])["heartbeats"]
        self.assertEqual(beats,
                         [{"received_at": got["last_heartbeat"], "remote_addr": "127.0.0.1"}])

    def test_get_and_head_heartbeats_are_answered_and_recorded_like_post(self):
        app = self.create()
        self.assertEqual(self.beat(app["uuid"], "GET"), (200, b'{"status":"ok"}'))
        self.assertEqual(self.beat(app["uuid"], "HEAD"), (200, b""))
        self.assertEqual(len(self.history(app["id"])["heartbeats"]), 2)
        self.assertEqual(self.get(app["id"])["status"], "up")

    def test_curls_default_form_content_type_does_not_matter_outside_the_web_ui(self):
        # curl -d sends application/x-www-form-urlencoded whatever the body is: a JSON
        # document, or a job's log line with characters a form never has unescaped.
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _, doc = self.call("POST", "/api/applications",
                                   '{"name": "curl-job", "expected_interval": 60}', headers=form)
        self.assertEqual(status, 201, doc)
        status, _, raw = request("POST", doc["heartbeat_url"], 'backup done: 100% {ok} "x"', form)
        self.assertEqual((status, raw), (200, b'{"status":"ok"}'))
        self.assertEqual(len(self.history(doc["id"])["heartbeats"]), 1)

    def test_an_upper_case_uuid_reaches_the_same_application(self):
        app = self.create()
        self.assertEqual(self.beat(app["uuid"].upper()), (200, b'{"status":"ok"}'))
        self.assertEqual(len(self.history(app["id"])["heartbeats"]), 1)
        self.assertEqual(self.get(app["id"])["status"], "up")

    def test_a_trailing_slash_or_a_percent_escape_in_the_uuid_reaches_the_same_application(self):
        # Plain heartbeat paths skip the router; these two still go through it, and must keep
        # answering as it does (it normalises escapes and takes an optional trailing slash).
        app = self.create()
        escaped = "%" + format(ord(app["uuid"][0]), "02X") + app["uuid"][1:]
        for path in (app["uuid"] + "/", escaped):
            with self.subTest(path=path):
                self.assertEqual(self.beat(path), (200, b'{"status":"ok"}'))
        self.assertEqual(len(self.history(app["id"])["heartbeats"]), 2)
        self.assertEqual(self.beat(app["uuid"] + "//")[0], 404)

    def test_a_heartbeat_ignores_its_query_string_even_a_malformed_one(self):
        # Scripts append whatever they like (a run id, a log excerpt): a heartbeat takes no
        # parameters, so nothing in the query can make it fail, whichever way the path is spelt.
        app = self.create()
        for path in (app["uuid"] + "?run=42", app["uuid"] + "?note=100%&flag",
                     app["uuid"] + "/?note=100%&flag"):
            with self.subTest(path=path):
                self.assertEqual(self.beat(path), (200, b'{"status":"ok"}'))
        self.assertEqual(len(self.history(app["id"])["heartbeats"]), 3)

    def test_a_heartbeat_to_an_unknown_or_malformed_uuid_is_a_json_404(self):
        known = self.create()["uuid"]
        for bad in (str(uuid.uuid4()), "not-a-uuid", known[:-1], known + "0", known[:-1] + "g",
                    known.replace("-", ""), "{" + known[1:-1] + "}"):
            for method in ("POST", "GET"):
                with self.subTest(uuid=bad, method=method):
                    status, headers, raw = request(method, f"{self.server.base}/heartbeat/{bad}")
                    self.assertEqual(status, 404)
                    self.assertEqual(headers["Content-Type"], "application/json")
                    self.assertEqual(json.loads(raw), {"error": "unknown application"})
            self.assertEqual(self.beat(bad, "HEAD"), (404, b""))

    def test_a_heartbeat_body_over_10_kib_is_refused_with_413_and_not_recorded(self):
        app = self.create()
        self.assertEqual(self.beat(app["uuid"], "POST", b"x" * 10240)[0], 200)
        status, raw = self.beat(app["uuid"], "POST", b"x" * 10241)
        self.assertEqual(status, 413)
        self.assertIn("error", json.loads(raw))
        self.assertEqual(len(self.history(app["id"])["heartbeats"]), 1)

    def test_other_methods_on_a_heartbeat_url_are_405_with_an_allow_header(self):
        app = self.create()
        for method in ("PUT", "DELETE", "PATCH"):
            with self.subTest(method=method):
                status, headers, raw = request(method, app["heartbeat_url"])
                self.assertEqual(status, 405)
                self.assertEqual(headers["Allow"], "POST, GET, HEAD")
                self.assertIn("error", json.loads(raw))
        self.assertEqual(self.history(app["id"])["heartbeats"], [])
        self.assertEqual(self.get(app["id"])["status"], "new")

    def test_a_heartbeat_to_a_paused_application_is_recorded_but_it_stays_paused(self):
        app = self.create()
        paused = self.put(app["id"], {"is_active": False})
        self.assertEqual((paused["status"], paused["is_active"], paused["next_deadline"]),
                         ("paused", False, None))
        self.beat_ok(app)
        got = self.get(app["id"])
        self.assertEqual((got["status"], got["is_active"]), ("paused", False))
        beats = self.history(app["id"])["heartbeats"]
        self.assertEqual(len(beats), 1)
        self.assertEqual(got["last_heartbeat"], beats[0]["received_at"])
        ids = lambda status: [a["id"] for a in self.listing(f"?status={status}&limit=1000")[
            "applications"]]
        self.assertIn(app["id"], ids("paused"))
        self.assertNotIn(app["id"], ids("up"))

    def test_resuming_a_paused_application_gives_it_a_full_window_from_the_resume(self):
        app = self.create(interval=2, grace=0)
        self.addCleanup(self.call, "DELETE", f"/api/applications/{app['id']}")
        self.beat_ok(app)
        self.put(app["id"], {"is_active": False})
        last = parse_time(self.get(app["id"])["last_heartbeat"])
        # Paused past the window its last heartbeat opened.
        time.sleep(max(0.0, (last + seconds(2.3) - utc_now()).total_seconds()))
        resumed_at = utc_now()
        resumed = self.put(app["id"], {"is_active": True})
        self.assertEqual((resumed["status"], resumed["is_active"]), ("up", True))
        deadline = parse_time(resumed["next_deadline"])
        self.assertLessEqual(resumed_at + seconds(2) - seconds(0.5), deadline)
        self.assertEqual(self.get(app["id"])["status"], "up")

    # --- status over time ----------------------------------------------------------------------

    def test_an_application_past_its_window_goes_late_then_down_and_a_heartbeat_brings_it_up(self):
        app = self.create(interval=1, grace=1)
        self.addCleanup(self.call, "DELETE", f"/api/applications/{app['id']}")
        started = time.monotonic()
        self.beat_ok(app)
        answered = time.monotonic()
        seen = []
        while time.monotonic() - started < 4.5:
            status = self.get(app["id"])["status"]
            if not seen or seen[-1] != status:
                seen.append(status)
                listed = self.listing(f"?status={status}&limit=1000")["applications"]
                self.assertIn(app["id"], [a["id"] for a in listed], status)
            if status == "down":
                break
            time.sleep(0.05)
        down_after = time.monotonic() - started
        self.assertEqual(seen, ["up", "late", "down"])
        self.assertGreaterEqual(down_after, 2.0 - 0.05)
        self.assertLess(down_after, answered - started + 2.0 + 1.0)
        down_ids = [a["id"] for a in self.listing("?status=down&limit=1000")["applications"]]
        self.assertIn(app["id"], down_ids)

        self.beat_ok(app)
        got = self.get(app["id"])
        self.assertEqual(got["status"], "up")
        self.assertEqual(len(self.history(app["id"])["heartbeats"]), 2)

    # --- creating ------------------------------------------------------------------------------

    def test_creating_an_application_answers_201_with_its_json_and_location(self):
        before = utc_now()
        status, headers, doc = self.call("POST", "/api/applications",
                                         {"name": "Nightly backup", "expected_interval": 86400,
                                          "grace_period": 600})
        self.assertEqual(status, 201, doc)
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(set(doc), APPLICATION_FIELDS)
        self.assertIsInstance(doc["id"], int)
        self.assertGreater(doc["id"], 0)
        self.assertRegex(doc["uuid"], UUID_V4)
        self.assertEqual(
            {k: doc[k] for k in ("name", "expected_interval", "grace_period", "status",
                                 "is_active", "last_heartbeat", "next_deadline")},
            {"name": "Nightly backup", "expected_interval": 86400, "grace_period": 600,
             "status": "new", "is_active": True, "last_heartbeat": None, "next_deadline": None})
        self.assertEqual(doc["heartbeat_url"], f"{self.server.base}/heartbeat/{doc['uuid']}")
        created = parse_time(doc["created_at"])
        self.assertEqual(doc["updated_at"], doc["created_at"])
        self.assertLessEqual(before - seconds(1), created)
        self.assertLessEqual(created, utc_now() + seconds(1))
        self.assertEqual(headers["Location"], f"/api/applications/{doc['id']}")
        self.assertEqual(self.call("GET", headers["Location"])[2], doc)
        self.assertIn(doc, self.listing()["applications"])

    def test_every_application_gets_its_own_uuid(self):
        first, second = self.create(), self.create()
        self.assertNotEqual(first["id"], second["id"])
        self.assertNotEqual(first["uuid"], second["uuid"])

    def test_the_grace_period_is_optional_and_defaults_to_zero(self):
        status, _, doc = self.call("POST", "/api/applications",
                                   {"name": "no grace", "expected_interval": 60})
        self.assertEqual(status, 201, doc)
        self.assertEqual(doc["grace_period"], 0)

    def test_names_are_trimmed_and_limited_to_100_characters_not_bytes(self):
        self.assertEqual(self.create(name="  Nightly backup \t\n")["name"], "Nightly backup")
        self.assertEqual(self.create(name="x" * 100)["name"], "x" * 100)
        self.assertEqual(self.create(name="é" * 100)["name"], "é" * 100)
        self.assertEqual(self.create(name=" " * 10 + "y" * 100 + " " * 10)["name"], "y" * 100)
        for name in ("x" * 101, "é" * 101):
            with self.subTest(name=name):
                self.assert_error(self.call("POST", "/api/applications",
                                            {"name": name, "expected_interval": 60}), 422, "name")

    def test_interval_and_grace_limits_are_inclusive(self):
        for interval, grace in ((1, 0), (31536000, 31536000)):
            with self.subTest(interval=interval, grace=grace):
                app = self.create(interval=interval, grace=grace)
                self.assertEqual((app["expected_interval"], app["grace_period"]), (interval, grace))

    def assert_create_refused(self, cases):
        """Each (body, status, field) in `cases` is refused, and nothing is created."""
        total = self.total()
        for body, status, field in cases:
            with self.subTest(body=body):
                self.assert_error(self.call("POST", "/api/applications", body), status, field)
        self.assertEqual(self.total(), total)

    def test_malformed_json_or_a_body_that_is_not_an_object_is_400_and_creates_nothing(self):
        self.assert_create_refused([(body, 400, None) for body in (
            "", "{", '{"name": "x", "expected_interval": 60', "not json", "[]",
            '[{"name": "x", "expected_interval": 60}]', '"name"', "42", "null", "true")])

    def test_fields_of_the_wrong_type_are_422_naming_the_field_and_create_nothing(self):
        ok = {"name": "typed", "expected_interval": 60, "grace_period": 0}
        cases = []
        for field, values in (("name", [42, None, ["a"], {"a": 1}, True]),
                              ("expected_interval", ["60", 1.5, 60.5, True, None, [60]]),
                              ("grace_period", ["0", 0.5, False, None, {}])):
            cases += [(dict(ok, **{field: value}), 422, field) for value in values]
        self.assert_create_refused(cases)

    def test_values_out_of_range_are_422_naming_the_field_and_create_nothing(self):
        ok = {"name": "ranged", "expected_interval": 60, "grace_period": 0}
        cases = [(dict(ok, name=name), 422, "name") for name in ("", "   ", "\t\n", "x" * 101)]
        cases += [(dict(ok, expected_interval=v), 422, "expected_interval")
                  for v in (0, -1, 31536001, 2**63)]
        cases += [(dict(ok, grace_period=v), 422, "grace_period") for v in (-1, 31536001)]
        self.assert_create_refused(cases)

    def test_missing_required_fields_are_422_naming_them_and_create_nothing(self):
        self.assert_create_refused([
            ({}, 422, "name"),
            ({"expected_interval": 60}, 422, "name"),
            ({"name": "x"}, 422, "expected_interval"),
            ({"name": "x", "grace_period": 5}, 422, "expected_interval")])

    def test_unknown_fields_are_422_naming_them_and_create_nothing(self):
        ok = {"name": "extra", "expected_interval": 60}
        self.assert_create_refused([
            (dict(ok, colour="red"), 422, "colour"),
            (dict(ok, is_active=False), 422, "is_active"),
            (dict(ok, id=7), 422, "id"),
            (dict(ok, uuid=str(uuid.uuid4())), 422, "uuid"),
            (dict(ok, status="up"), 422, "status")])

    def test_an_api_body_over_64_kib_is_413_and_changes_nothing(self):
        def padded(doc, size):
            text = json.dumps(doc)
            return text[:-1] + " " * (size - len(text)) + "}"

        total = self.total()
        at_limit = padded({"name": "big", "expected_interval": 60}, 64 * 1024)
        status, _, doc = self.call("POST", "/api/applications", at_limit)
        self.assertEqual(status, 201, doc)
        over = padded({"name": "bigger", "expected_interval": 60}, 64 * 1024 + 1)
        self.assert_error(self.call("POST", "/api/applications", over), 413)
        self.assertEqual(self.total(), total + 1)
        self.assert_error(self.call("PUT", f"/api/applications/{doc['id']}",
                                    padded({"name": "renamed"}, 64 * 1024 + 1)), 413)
        self.assertEqual(self.get(doc["id"]), doc)

    # --- listing -------------------------------------------------------------------------------

    def test_the_list_pages_with_limit_and_offset_and_reports_the_total(self):
        for i in range(3):
            self.create(name=f"page {i}")
        everything = self.listing("?limit=1000")
        total = everything["total"]
        self.assertEqual(len(everything["applications"]), total)
        self.assertGreaterEqual(total, 3)
        self.assertEqual((everything["limit"], everything["offset"]), (1000, 0))
        page = self.listing("?limit=2&offset=1")
        self.assertEqual(page, {"applications": everything["applications"][1:3], "total": total,
                                "limit": 2, "offset": 1})
        default = self.listing("")
        self.assertEqual((default["limit"], default["offset"], default["total"]), (50, 0, total))
        self.assertEqual(default["applications"], everything["applications"][:50])
        beyond = self.listing(f"?offset={total}")
        self.assertEqual((beyond["applications"], beyond["total"]), ([], total))

    def test_the_list_filters_by_status(self):
        fresh, running, paused = self.create(), self.create(), self.create()
        self.beat_ok(running)
        self.put(paused["id"], {"is_active": False})
        expected = {"new": fresh["id"], "up": running["id"], "paused": paused["id"]}
        for status in STATUSES:
            with self.subTest(status=status):
                page = self.listing(f"?status={status}&limit=1000")
                self.assertEqual({a["status"] for a in page["applications"]} - {status}, set())
                self.assertEqual(page["total"], len(page["applications"]))
                ids = {a["id"] for a in page["applications"]}
                for other, app_id in expected.items():
                    (self.assertIn if other == status else self.assertNotIn)(app_id, ids)

    def test_bad_list_parameters_are_400_naming_the_parameter(self):
        for query, field in (("status=bogus", "status"), ("status=", "status"),
                             ("status=UP", "status"), ("limit=0", "limit"),
                             ("limit=1001", "limit"), ("limit=abc", "limit"),
                             ("limit=-1", "limit"), ("limit=", "limit"), ("limit=1.5", "limit"),
                             ("offset=-1", "offset"), ("offset=x", "offset")):
            with self.subTest(query=query):
                self.assert_error(self.call("GET", "/api/applications?" + query), 400, field)
        for limit in (1, 1000):
            self.assertEqual(self.listing(f"?limit={limit}")["limit"], limit)

    # --- one application -----------------------------------------------------------------------

    def test_an_unknown_or_non_numeric_id_is_a_json_404_on_every_method(self):
        for app_id in ("999999", "0", "-1", "abc", "1abc", "1.5", "99999999999999999999"):
            for method, suffix, body in (("GET", "", None), ("PUT", "", {"name": "x"}),
                                         ("DELETE", "", None), ("GET", "/heartbeats", None)):
                with self.subTest(id=app_id, method=method, suffix=suffix):
                    self.assert_error(
                        self.call(method, f"/api/applications/{app_id}{suffix}", body), 404)

    def test_put_changes_only_the_fields_it_is_given(self):
        app = self.create(name="before", interval=3600, grace=60)
        renamed = self.put(app["id"], {"name": "  after  "})
        self.assertEqual(renamed["name"], "after")
        for field in ("id", "uuid", "expected_interval", "grace_period", "status", "is_active",
                      "created_at", "heartbeat_url"):
            self.assertEqual(renamed[field], app[field], field)
        self.assertGreater(parse_time(renamed["updated_at"]), parse_time(app["updated_at"]))
        self.assertEqual(self.get(app["id"]), renamed)
        retimed = self.put(app["id"], {"expected_interval": 120, "grace_period": 5})
        self.assertEqual((retimed["name"], retimed["expected_interval"], retimed["grace_period"]),
                         ("after", 120, 5))
        self.assertEqual(self.get(app["id"]), retimed)

    def test_changing_the_interval_of_an_up_application_moves_its_deadline(self):
        app = self.create(interval=3600, grace=60)
        self.beat_ok(app)
        last = parse_time(self.get(app["id"])["last_heartbeat"])
        changed = self.put(app["id"], {"expected_interval": 7200, "grace_period": 30})
        self.assertEqual(changed["status"], "up")
        self.assertEqual(parse_time(changed["next_deadline"]), last + seconds(7200 + 30))

    def test_bad_updates_are_refused_naming_the_field_and_change_nothing(self):
        app = self.create()
        path = f"/api/applications/{app['id']}"
        for body, status, field in (
                ({}, 422, None), ({"is_active": "no"}, 422, "is_active"),
                ({"is_active": 0}, 422, "is_active"), ({"is_active": None}, 422, "is_active"),
                ({"name": ""}, 422, "name"), ({"name": 5}, 422, "name"),
                ({"expected_interval": 0}, 422, "expected_interval"),
                ({"expected_interval": "60"}, 422, "expected_interval"),
                ({"grace_period": -1}, 422, "grace_period"),
                ({"name": "ok", "uuid": str(uuid.uuid4())}, 422, "uuid"),
                ({"name": "ok", "id": 1}, 422, "id"), ({"name": "ok", "colour": 1}, 422, "colour"),
                ("[1]", 400, None), ("{", 400, None), ("", 400, None)):
            with self.subTest(body=body):
                self.assert_error(self.call("PUT", path, body), status, field)
        self.assertEqual(self.get(app["id"]), app)

    def test_other_methods_on_api_routes_are_405_with_an_allow_header(self):
        app = self.create()
        for method, path, allow in (
                ("PATCH", f"/api/applications/{app['id']}", "GET, PUT, DELETE"),
                ("POST", f"/api/applications/{app['id']}", "GET, PUT, DELETE"),
                ("PUT", "/api/applications", "GET, POST"),
                ("DELETE", "/api/applications", "GET, POST"),
                ("PATCH", "/api/applications", "GET, POST"),
                ("POST", f"/api/applications/{app['id']}/heartbeats", "GET"),
                ("DELETE", f"/api/applications/{app['id']}/heartbeats", "GET")):
            with self.subTest(method=method, path=path):
                answer = self.call(method, path, {"name": "changed"})
                self.assert_error(answer, 405)
                self.assertEqual(answer[1]["Allow"], allow)
        self.assertEqual(self.get(app["id"]), app)

    def test_deleting_an_application_removes_it_its_history_and_its_heartbeat_url(self):
        app = self.create()
        self.beat_ok(app)
        total = self.total()
        status, _, raw = request("DELETE", f"{self.server.base}/api/applications/{app['id']}",
                                 headers={"Authorization": f"Bearer {TOKEN}"})
        self.assertEqual((status, raw), (204, b""))
        self.assertEqual(self.total(), total - 1)
        self.assertNotIn(app["id"], [a["id"] for a in self.listing()["applications"]])
        for method, suffix in (("GET", ""), ("DELETE", ""), ("GET", "/heartbeats")):
            self.assert_error(self.call(method, f"/api/applications/{app['id']}{suffix}"), 404)
        status, raw = self.beat(app["uuid"])
        self.assertEqual((status, json.loads(raw)), (404, {"error": "unknown application"}))

    # --- heartbeat history ---------------------------------------------------------------------

    def test_heartbeat_history_is_newest_first_and_pages_without_overlap(self):
        app = self.create()
        for _ in range(5):
            self.beat_ok(app)
        everything = self.history(app["id"])
        self.assertEqual(everything["next_cursor"], None)
        beats = everything["heartbeats"]
        self.assertEqual(len(beats), 5)
        times = [parse_time(b["received_at"]) for b in beats]
        self.assertEqual(times, sorted(times, reverse=True))
        self.assertEqual(len(set(times)), 5)
        self.assertEqual(beats[0]["received_at"], self.get(app["id"])["last_heartbeat"])
        for b in beats:
            self.assertEqual(b, {"received_at": b["received_at"], "remote_addr": "127.0.0.1"})

        pages, query = [], "?limit=2"
        while True:
            page = self.history(app["id"], query)
            pages.append(page["heartbeats"])
            if page["next_cursor"] is None:
                break
            self.assertIsInstance(page["next_cursor"], str)
            self.assertLess(len(pages), 5, "the cursor does not move on")
            query = f"?limit=2&before={page['next_cursor']}"
        self.assertEqual([len(p) for p in pages], [2, 2, 1])
        self.assertEqual([b for p in pages for b in p], beats)

    def test_history_of_an_application_without_heartbeats_is_empty(self):
        app = self.create()
        self.assertEqual(self.history(app["id"]), {"heartbeats": [], "next_cursor": None})

    def test_bad_history_parameters_are_400_naming_the_parameter(self):
        app = self.create()
        for query, field in (("before=garbage", "before"), ("before=123", "before"),
                             ("before=abc_1", "before"), ("before=1_x", "before"),
                             ("before=", "before"), ("limit=0", "limit"),
                             ("limit=1001", "limit"), ("limit=x", "limit")):
            with self.subTest(query=query):
                self.assert_error(
                    self.call("GET", f"/api/applications/{app['id']}/heartbeats?{query}"), 400,
                    field)

    # --- the token -----------------------------------------------------------------------------

    def test_api_routes_need_the_bearer_token_and_change_nothing_without_it(self):
        app = self.create()
        total = self.total()
        routes = (("GET", "/api/applications", None),
                  ("POST", "/api/applications", {"name": "intruder", "expected_interval": 60}),
                  ("GET", f"/api/applications/{app['id']}", None),
                  ("PUT", f"/api/applications/{app['id']}", {"name": "taken over"}),
                  ("DELETE", f"/api/applications/{app['id']}", None),
                  ("GET", f"/api/applications/{app['id']}/heartbeats", None))
        credentials = ({}, {"Authorization": "Bearer wrong-token-0123456789"},
                       {"Authorization": f"Bearer {TOKEN}x"},
                       {"Authorization": f"Bearer {TOKEN[:-1]}"},
                       {"Authorization": TOKEN}, {"Authorization": f"Basic {TOKEN}"},
                       {"Authorization": "Bearer "})
        for method, path, body in routes:
            for headers in credentials:
                with self.subTest(method=method, path=path, headers=headers):
                    answer = self.call(method, path, body, token=None, headers=headers)
                    self.assert_error(answer, 401)
                    self.assertTrue(answer[1]["WWW-Authenticate"].startswith("Bearer"))
        self.assertEqual(self.total(), total)
        self.assertEqual(self.get(app["id"]), app)

    def test_the_bearer_scheme_is_case_insensitive(self):
        for scheme in ("bearer", "BEARER", "bEaReR"):
            with self.subTest(scheme=scheme):
                status, _, _ = self.call("GET", "/api/applications", token=None,
                                         headers={"Authorization": f"{scheme} {TOKEN}"})
                self.assertEqual(status, 200)

    def test_healthz_heartbeats_and_metrics_need_no_token(self):
        app = self.create()
        status, _, raw = request("GET", self.server.base + "/healthz")
        self.assertEqual((status, json.loads(raw)["status"]), (200, "ok"))
        self.assertEqual(self.beat(app["uuid"]), (200, b'{"status":"ok"}'))
        self.assertEqual(request("GET", self.server.base + "/metrics")[0], 200)

    def test_unknown_routes_are_a_json_404(self):
        app = self.create()
        for method, path in (("GET", "/nope"), ("GET", "/api"), ("GET", "/api/nope"),
                             ("GET", f"/api/applications/{app['id']}/heartbeats/1"),
                             ("POST", "/heartbeat"), ("POST", "/heartbeat/"),
                             ("POST", f"/heartbeat/{app['uuid']}/extra")):
            with self.subTest(method=method, path=path):
                status, headers, doc = self.call(method, path)
                self.assertEqual((status, doc), (404, {"error": "not found"}))
                self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(self.history(app["id"])["heartbeats"], [])

    def test_a_browser_gets_an_html_404_page_outside_the_api(self):
        html = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        status, headers, raw = request("GET", self.server.base + "/applications/abc", None, html)
        self.assertEqual(status, 404)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn(b"There is no such page.", raw)
        self.assertIn("script-src 'self'", headers["Content-Security-Policy"])
        status, headers, raw = request("GET", self.server.base + "/api/nope", None, html)
        self.assertEqual((status, headers["Content-Type"]), (404, "application/json"))

    # --- /metrics ------------------------------------------------------------------------------

    def test_metrics_count_heartbeats_by_result(self):
        app = self.create()
        key = 'heartbeatd_heartbeats_received_total{{result="{}"}}'.format
        before = self.metrics()
        self.beat_ok(app)
        self.assertEqual(self.beat(str(uuid.uuid4()))[0], 404)
        self.assertEqual(self.beat(app["uuid"], "POST", b"x" * 20000)[0], 413)
        after = self.metrics()
        for result in ("ok", "unknown_application", "rejected"):
            self.assertEqual(after[key(result)] - before[key(result)], 1, result)
        self.assertEqual(after[key("database_unavailable")], before[key("database_unavailable")])

    def test_metrics_count_applications_by_status(self):
        gauge = 'heartbeatd_applications{{status="{}"}}'.format

        def moved_to(expected):
            now = self.metrics()
            return all(now[gauge(s)] - base[gauge(s)] == n for s, n in expected.items())

        base = self.metrics()
        app = self.create()
        self.wait_for(lambda: moved_to({"new": 1, "up": 0, "paused": 0}))
        self.beat_ok(app)
        self.wait_for(lambda: moved_to({"new": 0, "up": 1, "paused": 0}))
        self.put(app["id"], {"is_active": False})
        self.wait_for(lambda: moved_to({"new": 0, "up": 0, "paused": 1}))
        self.call("DELETE", f"/api/applications/{app['id']}")
        self.wait_for(lambda: moved_to({"new": 0, "up": 0, "paused": 0}))

    def test_metrics_count_http_requests_by_route_and_status(self):
        key = 'heartbeatd_http_requests_total{{route="{}",status="{}"}}'.format
        before = self.metrics()
        app = self.create()
        self.get(app["id"])
        self.beat_ok(app)
        self.history(app["id"])
        self.call("GET", "/no/such/route")
        self.call("GET", "/api/applications", token=None)
        after = self.metrics()
        for route, status in (("applications", 201), ("application", 200), ("heartbeat", 200),
                              ("heartbeats", 200), ("other", 404), ("applications", 401)):
            with self.subTest(route=route, status=status):
                self.assertEqual(after.get(key(route, status), 0)
                                 - before.get(key(route, status), 0), 1)

    def histogram(self, samples, name):
        """The buckets of a Prometheus histogram, checked to be cumulative and to end in +Inf
        with the histogram's count."""
        buckets = [(k, v) for k, v in samples.items() if k.startswith(name + "_bucket{")]
        self.assertGreater(len(buckets), 1)
        self.assertEqual(buckets[-1][0], name + '_bucket{le="+Inf"}')
        bounds = [float(re.fullmatch(r'.*\{le="(.*)"\}', k).group(1)) for k, _ in buckets]
        self.assertEqual(bounds, sorted(bounds))
        counts = [v for _, v in buckets]
        self.assertEqual(counts, sorted(counts))
        self.assertEqual(counts[-1], samples[name + "_count"])
        return dict(zip(bounds, counts))

    def test_metrics_have_a_cumulative_writer_commit_latency_histogram(self):
        self.beat_ok(self.create())
        samples = self.metrics()
        buckets = self.histogram(samples, "heartbeatd_writer_commit_seconds")
        self.assertGreaterEqual(buckets[float("inf")], 1)
        # Labels as a dashboard writes them (a query selects a bucket by its exact label).
        for le in ("0.0005", "0.001", "0.05", "0.1", "1"):
            self.assertIn(f'heartbeatd_writer_commit_seconds_bucket{{le="{le}"}}', samples)
        self.assertGreater(samples["heartbeatd_writer_commit_seconds_sum"], 0)

    def test_metrics_have_a_histogram_of_writer_batch_sizes(self):
        app = self.create()
        before = self.metrics()
        for _ in range(5):  # one after the other: each commits in a transaction of its own
            self.beat_ok(app)
        after = self.metrics()
        buckets = self.histogram(after, "heartbeatd_writer_batch_size")
        for le in ("1", "10", "1000"):
            self.assertIn(f'heartbeatd_writer_batch_size_bucket{{le="{le}"}}', after)
        # Every committed transaction (give or take one committing while /metrics renders).
        self.assertAlmostEqual(after["heartbeatd_writer_batch_size_count"],
                               after["heartbeatd_writer_batches_total"], delta=1)
        old = self.histogram(before, "heartbeatd_writer_batch_size")
        self.assertGreaterEqual(buckets[float("inf")] - old[float("inf")], 5)
        self.assertGreaterEqual(after["heartbeatd_writer_batch_size_sum"]
                                - before["heartbeatd_writer_batch_size_sum"], 5)


class RestartTests(Client):
    """A server is stopped with SIGTERM and a new one started on the same database. Before the
    restart: `up` had a heartbeat (its window ends while no server runs), `down` missed its window,
    `new` never had a heartbeat, `paused` had one and was paused, `comeback` is down like `down`."""

    backend_name = None
    interval = 3  # of `up`: long enough to be checked inside the window the new server gives it

    @classmethod
    def setUpClass(cls):
        cls.backend = Backend(cls.backend_name)
        cls.addClassCleanup(cls.backend.cleanup)
        database = cls.backend.new_database()
        cls.server = start_server(cls, database)
        self = cls()  # an instance only to borrow the helpers (unittest allows "runTest")
        apps = {"up": self.create("up", cls.interval), "down": self.create("down", 1),
                "new": self.create("new", 1), "paused": self.create("paused", 1),
                "comeback": self.create("comeback", 1)}
        for name in ("up", "down", "paused", "comeback"):
            self.beat_ok(apps[name])
        self.put(apps["paused"]["id"], {"is_active": False})
        # Until the actors themselves turned down (and sent that to the writer), reads say
        # "down" but the database still says "up".
        self.wait_for(lambda: self.metrics()['heartbeatd_applications{status="down"}'] == 2)
        cls.before = {name: self.get(app["id"]) for name, app in apps.items()}
        cls.history_before = self.history(apps["up"]["id"])
        cls.stop_status, _, _, cls.stop_log = cls.server.stop()
        # The window `up` had when the first server stopped is over before the second starts.
        up_deadline = parse_time(cls.before["up"]["next_deadline"])
        time.sleep(max(0.0, (up_deadline + seconds(0.3) - utc_now()).total_seconds()))
        cls.restarted_at = utc_now()
        cls.server = start_server(cls, database)
        cls.after = {name: self.get(app["id"]) for name, app in apps.items()}

    def test_the_first_server_stopped_cleanly(self):
        self.assertEqual(self.stop_status, 0, self.stop_log)

    def test_an_application_that_was_up_gets_a_full_window_from_the_restart_not_down(self):
        before, after = self.before["up"], self.after["up"]
        self.assertEqual(before["status"], "up")
        self.assertLess(parse_time(before["next_deadline"]), self.restarted_at)
        self.assertEqual(after["status"], "up")
        self.assertEqual(after["last_heartbeat"], before["last_heartbeat"])
        self.assertGreaterEqual(parse_time(after["next_deadline"]),
                                self.restarted_at + seconds(self.interval))
        self.assertLess(parse_time(after["next_deadline"]),
                        self.restarted_at + seconds(self.interval + 2))
        ups = [a["id"] for a in self.listing("?status=up&limit=1000")["applications"]]
        self.assertIn(after["id"], ups)

    def test_applications_keep_their_settings_and_last_heartbeat_across_a_restart(self):
        for name, before in self.before.items():
            with self.subTest(name):
                after = self.after[name]
                for field in APPLICATION_FIELDS - {"status", "next_deadline", "heartbeat_url"}:
                    self.assertEqual(after[field], before[field], field)
                self.assertEqual(after["heartbeat_url"],
                                 f"{self.server.base}/heartbeat/{after['uuid']}")

    def test_an_application_that_was_down_stays_down_after_a_restart(self):
        self.assertEqual((self.before["down"]["status"], self.after["down"]["status"]),
                         ("down", "down"))

    def test_a_new_application_stays_new_after_a_restart(self):
        self.assertEqual(self.after["new"]["status"], "new")
        self.assertIsNone(self.after["new"]["last_heartbeat"])

    def test_a_paused_application_stays_paused_after_a_restart(self):
        after = self.after["paused"]
        self.assertEqual((after["status"], after["is_active"]), ("paused", False))
        self.assertIsNotNone(after["last_heartbeat"])

    def test_heartbeat_history_survives_a_restart(self):
        self.assertEqual(self.history(self.before["up"]["id"]), self.history_before)

    def test_a_heartbeat_after_a_restart_brings_a_down_application_up(self):
        app = self.after["comeback"]
        self.assertEqual(app["status"], "down")
        self.beat_ok(app)
        self.assertEqual(self.get(app["id"])["status"], "up")
        self.assertEqual(len(self.history(app["id"])["heartbeats"]), 2)


class PublicUrlTests(Client):
    backend_name = None

    @classmethod
    def setUpClass(cls):
        cls.backend = Backend(cls.backend_name)
        cls.addClassCleanup(cls.backend.cleanup)
        cls.server = start_server(cls, cls.backend.new_database(),
                                  {"HEARTBEATD_PUBLIC_URL": "https://hb.example.com/monitor/"})

    def test_heartbeat_urls_are_built_from_the_public_url(self):
        app = self.create()
        expected = f"https://hb.example.com/monitor/heartbeat/{app['uuid']}"
        self.assertEqual(app["heartbeat_url"], expected)
        self.assertEqual(self.get(app["id"])["heartbeat_url"], expected)
        listed = [a for a in self.listing()["applications"] if a["id"] == app["id"]]
        self.assertEqual(listed[0]["heartbeat_url"], expected)


class SqliteApiTests(ApiTests, unittest.TestCase):
    backend_name = "sqlite3"


class PostgresApiTests(ApiTests, unittest.TestCase):
    backend_name = "postgresql"


class SqliteRestartTests(RestartTests, unittest.TestCase):
    backend_name = "sqlite3"


class PostgresRestartTests(RestartTests, unittest.TestCase):
    backend_name = "postgresql"


class SqlitePublicUrlTests(PublicUrlTests, unittest.TestCase):
    backend_name = "sqlite3"


class PostgresPublicUrlTests(PublicUrlTests, unittest.TestCase):
    backend_name = "postgresql"


if __name__ == "__main__":
    harness.main()
