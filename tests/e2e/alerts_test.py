#!/usr/bin/python3
"""heartbeatd's alerts end to end: the alert config API, and notifications that real receivers
on loopback get (an HTTP server for webhook, Slack, Discord and the Twilio-compatible SMS API, an
aiosmtpd sink for email) when applications go down and come back, with retries, reminders, test
notifications and restarts, on SQLite and on PostgreSQL (HEARTBEATD_TEST_PG).

Needs Debian's Python (/usr/bin/python3) for aiosmtpd. Applications use an expected interval of
1 s and no grace, so they go down about a second after their last heartbeat; every test makes its
own applications and gives each alert config its own receiver path, so tests sharing a server do
not see each other's notifications.
"""
import base64
import json
import os
import re
import signal
import threading
import time
import unittest
import uuid

import harness
from api_test import TOKEN, Client, parse_time
from harness import Backend, Server, request
from receivers import HttpReceiver, SmtpSink

PUBLIC_URL = "https://hb.example.test"
SMTP_FROM = "heartbeatd@hb.example.test"
SMS_SID = "AC0123456789abcdef0123456789abcdef"
SMS_TOKEN = "sms-auth-token-e2e"
SMS_FROM = "+15550001111"
SMS_TO = "+15551234567"
ALERT_FIELDS = {"id", "application_id", "channel", "target", "enabled", "created_at",
                "updated_at"}
NOTIFICATION_FIELDS = {"id", "alert_id", "channel", "target", "kind", "state", "attempts",
                       "created_at", "next_attempt_at", "delivered_at", "failed_at", "last_error"}
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def alert_env(receiver=None, smtp=None):
    """Server settings of these tests: fast retries and sweeps, the public URL of the links, and
    the SMTP sink and SMS API (the receiver under /twilio) when given."""
    env = {"HEARTBEATD_PUBLIC_URL": PUBLIC_URL,
           "HEARTBEATD_ALERT_RETRY_BASE_MS": "100",
           "HEARTBEATD_ALERT_TIMEOUT_MS": "2000",
           "HEARTBEAT_CHECK_INTERVAL": "1",
           "HEARTBEATD_LOG_LEVEL": "info"}
    if smtp is not None:
        env.update({"HEARTBEATD_SMTP_HOST": "127.0.0.1", "HEARTBEATD_SMTP_PORT": str(smtp.port),
                    "HEARTBEATD_SMTP_TLS": "none", "HEARTBEATD_SMTP_FROM": SMTP_FROM})
    if receiver is not None:
        env.update({"HEARTBEATD_SMS_URL": receiver.url("/twilio"),
                    "HEARTBEATD_SMS_ACCOUNT_SID": SMS_SID,
                    "HEARTBEATD_SMS_AUTH_TOKEN": SMS_TOKEN,
                    "HEARTBEATD_SMS_FROM": SMS_FROM})
    return env


def start_server(owner, database, extra_env, cleanup=None):
    """A server with the admin token, stopped by `cleanup` (owner.addClassCleanup by default).
    With HEARTBEATD_E2E_LOGS=DIR, its output goes to a file there once it stopped."""
    server = Server(database, dict(extra_env, HEARTBEATD_ADMIN_TOKEN=TOKEN))
    name = owner.__name__ if isinstance(owner, type) else owner.id()

    def stop():
        code, took, out, err = server.stop()
        logs = os.environ.get("HEARTBEATD_E2E_LOGS")
        if logs:
            os.makedirs(logs, exist_ok=True)
            with open(os.path.join(logs, f"{name}-{server.port}.log"), "w") as f:
                f.write(f"exit {code} after {took:.2f} s\n--- stdout\n{out}--- stderr\n{err}")

    (cleanup or owner.addClassCleanup)(stop)
    return server


def unique_path():
    return f"/h/{uuid.uuid4().hex[:12]}/"


class AlertClient(Client):
    """Client plus helpers for alert configs and the notification log."""

    pause_when_done = False  # pause the applications a test made once it is done

    @classmethod
    def start_with_receivers(cls, **settings):
        """For the class: a backend, an HTTP receiver, an SMTP sink, and a server that sends
        to them (with `settings` on top of alert_env's)."""
        cls.backend = Backend(cls.backend_name)
        cls.addClassCleanup(cls.backend.cleanup)
        cls.receiver = HttpReceiver()
        cls.addClassCleanup(cls.receiver.stop)
        cls.smtp = SmtpSink()
        cls.addClassCleanup(cls.smtp.stop)
        cls.server = start_server(cls, cls.backend.new_database(),
                                  dict(alert_env(cls.receiver, cls.smtp), **settings))

    def create_app(self, name=None, interval=1, grace=0, reminder=0):
        status, _, doc = self.call("POST", "/api/applications",
                                   {"name": name or f"job-{uuid.uuid4().hex[:8]}",
                                    "expected_interval": interval, "grace_period": grace,
                                    "reminder_interval": reminder})
        self.assertEqual(status, 201, doc)
        if self.pause_when_done:  # it must not go down and alert while later tests watch
            self.addCleanup(lambda: self.put(doc["id"], {"is_active": False}))
        return doc

    def add_alert(self, app, channel, target, **fields):
        status, headers, doc = self.call("POST", f"/api/applications/{app['id']}/alerts",
                                         dict(fields, channel=channel, target=target))
        self.assertEqual(status, 201, doc)
        return doc

    def add_hook(self, app, receiver, channel="webhook", **fields):
        """An alert config of `app` to a path of its own on `receiver`; returns (config, path)."""
        path = unique_path()
        return self.add_alert(app, channel, receiver.url(path), **fields), path

    def notifications(self, app, query=""):
        status, _, doc = self.call("GET", f"/api/applications/{app['id']}/notifications{query}")
        self.assertEqual(status, 200, doc)
        return doc["notifications"]

    def wait_notifications(self, app, condition, timeout=6.0):
        """Polls the notification log of `app` until condition(list) holds; returns the list."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.notifications(app)
            if condition(log):
                return log
            if time.monotonic() > deadline:
                self.fail(f"notification log not as expected within {timeout} s: "
                          f"{json.dumps(log, indent=1)}")
            time.sleep(0.05)

    def wait_status(self, app, status, timeout=5.0):
        self.wait_for(lambda: self.get(app["id"])["status"] == status, timeout)

    def keep_up(self, app, seconds):
        """Heartbeats every 0.3 s for `seconds`, so that `app` stays up meanwhile."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.3)
            self.beat_ok(app)

    def bring_down(self, app):
        """One heartbeat (new -> up), then waits until the application went down."""
        self.beat_ok(app)
        self.assertEqual(self.get(app["id"])["status"], "up")
        self.wait_status(app, "down")

    def send_test(self, app, alert):
        status, _, doc = self.call("POST",
                                   f"/api/applications/{app['id']}/alerts/{alert['id']}/test")
        self.assertEqual(status, 200, doc)
        self.assertEqual(set(doc), {"notification_id", "delivered", "error"})
        return doc

    def delivered_total(self, outcome="delivered"):
        return self.metrics().get(f'heartbeatd_notifications_total{{outcome="{outcome}"}}', 0)

    def assert_quiet(self, receiver, prefix, count, seconds=1.0):
        """Still exactly `count` requests under `prefix` after `seconds` more."""
        time.sleep(seconds)
        self.assertEqual(len(receiver.requests(prefix)), count, receiver.requests(prefix))


# --- the alert config API -----------------------------------------------------------------------


class AlertApiTests(AlertClient):
    """CRUD and validation of alert configs, on a server with SMTP and SMS configured and on one
    with neither."""

    backend_name = None

    @classmethod
    def setUpClass(cls):
        cls.start_with_receivers()
        cls.bare = start_server(cls, cls.backend.new_database(), alert_env())

    def alerts_path(self, app, alert=None):
        path = f"/api/applications/{app['id']}/alerts"
        return path if alert is None else f"{path}/{alert['id']}"

    def test_an_alert_config_can_be_created_read_changed_and_deleted(self):
        """A config is created enabled by default, read back, listed, changed field by field and
        deleted; deleted ones are 404."""
        app = self.create_app()
        status, _, doc = self.call("GET", self.alerts_path(app))
        self.assertEqual((status, doc), (200, {"alerts": []}))

        status, headers, created = self.call("POST", self.alerts_path(app),
                                             {"channel": "webhook",
                                              "target": "https://example.test/hook"})
        self.assertEqual(status, 201, created)
        self.assertEqual(set(created), ALERT_FIELDS)
        self.assertEqual((created["application_id"], created["channel"], created["target"],
                          created["enabled"]),
                         (app["id"], "webhook", "https://example.test/hook", True))
        self.assertEqual(headers["Location"], self.alerts_path(app, created))
        parse_time(created["created_at"])
        parse_time(created["updated_at"])

        status, _, got = self.call("GET", self.alerts_path(app, created))
        self.assertEqual((status, got), (200, created))
        status, _, listed = self.call("GET", self.alerts_path(app))
        self.assertEqual((status, listed), (200, {"alerts": [created]}))

        status, _, changed = self.call("PUT", self.alerts_path(app, created), {"enabled": False})
        self.assertEqual(status, 200, changed)
        self.assertEqual(changed["enabled"], False)
        self.assertEqual((changed["channel"], changed["target"], changed["created_at"]),
                         (created["channel"], created["target"], created["created_at"]))
        self.assertGreaterEqual(parse_time(changed["updated_at"]),
                                parse_time(created["updated_at"]))
        status, _, changed = self.call("PUT", self.alerts_path(app, created),
                                       {"channel": "slack",
                                        "target": "https://hooks.example.test/T1/B2"})
        self.assertEqual(status, 200, changed)
        self.assertEqual((changed["channel"], changed["target"], changed["enabled"]),
                         ("slack", "https://hooks.example.test/T1/B2", False))
        self.assertEqual(self.call("GET", self.alerts_path(app, created))[2], changed)

        second = self.add_alert(app, "email", "ops@example.test", enabled=False)
        self.assertEqual((second["channel"], second["enabled"]), ("email", False))
        listed = self.call("GET", self.alerts_path(app))[2]["alerts"]
        self.assertEqual(sorted(a["id"] for a in listed), sorted([created["id"], second["id"]]))

        status, _, raw = request("DELETE", self.server.base + self.alerts_path(app, created),
                                 headers={"Authorization": f"Bearer {TOKEN}"})
        self.assertEqual((status, raw), (204, b""))
        self.assert_error(self.call("GET", self.alerts_path(app, created)), 404)
        self.assert_error(self.call("DELETE", self.alerts_path(app, created)), 404)
        self.assert_error(self.call("PUT", self.alerts_path(app, created), {"enabled": True}), 404)
        self.assertEqual(self.call("GET", self.alerts_path(app))[2], {"alerts": [second]})

    def test_every_channel_accepts_a_well_formed_target(self):
        """An address, HTTP(S) URLs and an E.164 number are taken as targets of their channels."""
        app = self.create_app()
        for channel, target in [("email", "ops@example.test"),
                                ("slack", "https://hooks.slack.example.test/services/T/B/X"),
                                ("discord", "https://discord.example.test/api/webhooks/1/abc"),
                                ("webhook", "http://127.0.0.1:9/hook?token=x"),
                                ("sms", "+15551234567")]:
            with self.subTest(channel=channel):
                alert = self.add_alert(app, channel, target)
                self.assertEqual((alert["channel"], alert["target"]), (channel, target))

    def test_invalid_alert_configs_are_refused_naming_the_field(self):
        """A bad target, channel or field is a 422 that names the field; malformed JSON is a 400;
        nothing is stored."""
        app = self.create_app()
        path = self.alerts_path(app)
        cases = [
            ({"channel": "email", "target": "not-an-address"}, "target"),
            ({"channel": "email", "target": "https://example.test/"}, "target"),
            ({"channel": "slack", "target": "not a url"}, "target"),
            ({"channel": "slack", "target": "ftp://example.test/hook"}, "target"),
            ({"channel": "discord", "target": "discord.example.test/api/webhooks/1"}, "target"),
            ({"channel": "webhook", "target": "javascript:alert(1)"}, "target"),
            ({"channel": "webhook", "target": "ops@example.test"}, "target"),
            ({"channel": "sms", "target": "5551234567"}, "target"),
            ({"channel": "sms", "target": "+1 555 123 4567"}, "target"),
            ({"channel": "sms", "target": "+1555abc4567"}, "target"),
            ({"channel": "pager", "target": "https://example.test/"}, "channel"),
            ({"target": "https://example.test/"}, "channel"),
            ({"channel": "webhook"}, "target"),
            ({"channel": "webhook", "target": "https://example.test/", "priority": "high"},
             "priority"),
            ({"channel": "webhook", "target": "https://example.test/", "enabled": "yes"},
             "enabled"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                self.assert_error(self.call("POST", path, body), 422, field)
        for raw in ["{", "not json", '{"channel": "webhook",}']:
            with self.subTest(raw=raw):
                self.assert_error(self.call("POST", path, raw), 400)
        self.assertEqual(self.call("GET", path)[2], {"alerts": []})

    def test_a_change_is_validated_and_a_new_channel_rechecks_the_target(self):
        """A PUT is checked like a POST, and a new channel must fit the target the config keeps."""
        app = self.create_app()
        alert = self.add_alert(app, "webhook", "https://example.test/hook")
        path = self.alerts_path(app, alert)
        self.assert_error(self.call("PUT", path, {"channel": "email"}), 422, "target")
        self.assert_error(self.call("PUT", path, {"channel": "sms"}), 422, "target")
        self.assert_error(self.call("PUT", path, {"target": "not a url"}), 422, "target")
        self.assert_error(self.call("PUT", path, {"channel": "fax"}), 422, "channel")
        self.assert_error(self.call("PUT", path, {"colour": "red"}), 422, "colour")
        self.assert_error(self.call("PUT", path, "{nope"), 400)
        self.assertEqual(self.call("GET", path)[2], alert)
        status, _, doc = self.call("PUT", path, {"channel": "sms", "target": SMS_TO})
        self.assertEqual((status, doc["channel"], doc["target"]), (200, "sms", SMS_TO))
        self.assert_error(self.call("PUT", path, {"target": "https://example.test/hook"}), 422,
                          "target")

    def test_email_and_sms_are_refused_while_their_provider_is_not_configured(self):
        """Without SMTP or an SMS account, email and SMS configs are refused (field target);
        webhooks are not."""
        status, _, app = request("POST", self.bare.base + "/api/applications",
                                 {"name": "bare", "expected_interval": 60},
                                 {"Authorization": f"Bearer {TOKEN}"})
        self.assertEqual(status, 201, app)
        app = json.loads(app)
        url = f"{self.bare.base}/api/applications/{app['id']}/alerts"
        auth = {"Authorization": f"Bearer {TOKEN}"}
        for channel, target in [("email", "ops@example.test"), ("sms", SMS_TO)]:
            with self.subTest(channel=channel):
                status, headers, raw = request("POST", url, {"channel": channel,
                                                             "target": target}, auth)
                doc = json.loads(raw)
                self.assertEqual((status, doc.get("field")), (422, "target"), doc)
                self.assertTrue(doc["error"])
        status, _, raw = request("POST", url, {"channel": "webhook",
                                               "target": "https://example.test/"}, auth)
        self.assertEqual(status, 201, raw)

    def test_the_alert_api_needs_the_admin_token(self):
        """Every alert and notification route is 401 without the token or with a wrong one, and
        changes nothing."""
        app = self.create_app()
        alert = self.add_alert(app, "webhook", "https://example.test/hook")
        base = f"/api/applications/{app['id']}"
        routes = [("GET", f"{base}/alerts", None),
                  ("POST", f"{base}/alerts", {"channel": "webhook",
                                              "target": "https://example.test/x"}),
                  ("GET", f"{base}/alerts/{alert['id']}", None),
                  ("PUT", f"{base}/alerts/{alert['id']}", {"enabled": False}),
                  ("DELETE", f"{base}/alerts/{alert['id']}", None),
                  ("POST", f"{base}/alerts/{alert['id']}/test", None),
                  ("GET", f"{base}/notifications", None)]
        for method, path, body in routes:
            for token in (None, "wrong-token"):
                with self.subTest(method=method, path=path, token=token):
                    status, _, raw = request(method, self.server.base + path, body,
                                             {} if token is None else
                                             {"Authorization": f"Bearer {token}"})
                    self.assertEqual(status, 401, raw)
        self.assertEqual(self.call("GET", f"{base}/alerts")[2], {"alerts": [alert]})
        self.assertEqual(self.notifications(app), [])

    def test_unknown_applications_and_alerts_are_404(self):
        """Unknown applications and alerts are 404, and an alert is not found under another
        application."""
        app = self.create_app()
        other = self.create_app()
        alert = self.add_alert(app, "webhook", "https://example.test/hook")
        missing = 2_000_000_000
        for method, path, body in [
                ("GET", f"/api/applications/{missing}/alerts", None),
                ("POST", f"/api/applications/{missing}/alerts",
                 {"channel": "webhook", "target": "https://example.test/"}),
                ("GET", f"/api/applications/{missing}/notifications", None),
                ("GET", f"/api/applications/{missing}/alerts/{alert['id']}", None),
                ("GET", f"/api/applications/{app['id']}/alerts/{missing}", None),
                ("PUT", f"/api/applications/{app['id']}/alerts/{missing}", {"enabled": False}),
                ("DELETE", f"/api/applications/{app['id']}/alerts/{missing}", None),
                ("POST", f"/api/applications/{app['id']}/alerts/{missing}/test", None),
                # An alert is only found under its own application.
                ("GET", f"/api/applications/{other['id']}/alerts/{alert['id']}", None),
                ("PUT", f"/api/applications/{other['id']}/alerts/{alert['id']}",
                 {"enabled": False}),
                ("DELETE", f"/api/applications/{other['id']}/alerts/{alert['id']}", None),
                ("POST", f"/api/applications/{other['id']}/alerts/{alert['id']}/test", None)]:
            with self.subTest(method=method, path=path):
                self.assert_error(self.call(method, path, body), 404)
        self.assertEqual(self.call("GET", f"/api/applications/{app['id']}/alerts/{alert['id']}")[2],
                         alert)


# --- delivery ------------------------------------------------------------------------------------


class DeliveryTests(AlertClient):
    """One server for the class, with the SMTP sink and the SMS API on the shared receiver."""

    backend_name = None
    pause_when_done = True

    @classmethod
    def setUpClass(cls):
        cls.start_with_receivers()

    def check_link_and_name(self, app, text, what):
        self.assertIn(app["name"], text, f"{what} does not name the application")
        self.assertIn(f"{PUBLIC_URL}/applications/{app['id']}", text,
                      f"{what} does not link to the application")

    def test_down_and_recovery_reach_all_five_channels_once_each(self):
        """Down and up reach email, Slack, Discord, SMS and a webhook exactly once each, with the
        payload every receiver expects, naming the application and linking to it."""
        app = self.create_app(name=f"Billing {uuid.uuid4().hex[:6]}")
        hooks = {}
        alerts = {}
        for channel in ("webhook", "slack", "discord"):
            alerts[channel], hooks[channel] = self.add_hook(app, self.receiver, channel)
        mailbox = f"ops-{uuid.uuid4().hex[:8]}@example.test"
        alerts["email"] = self.add_alert(app, "email", mailbox)
        alerts["sms"] = self.add_alert(app, "sms", SMS_TO)
        sms_path = f"/twilio/2010-04-01/Accounts/{SMS_SID}/Messages.json"
        sms_before = len(self.receiver.requests(sms_path))

        self.beat_ok(app)
        self.assertEqual(self.notifications(app), [], "new -> up must not alert")
        self.wait_status(app, "down")
        for channel, path in hooks.items():
            self.receiver.wait_for(1, path)
        self.receiver.wait_for(sms_before + 1, sms_path)
        self.smtp.wait_for(1, to=mailbox)
        self.beat_ok(app)
        self.assertEqual(self.get(app["id"])["status"], "up")
        for channel, path in hooks.items():
            self.receiver.wait_for(2, path)
        self.receiver.wait_for(sms_before + 2, sms_path)
        self.smtp.wait_for(2, to=mailbox)
        self.keep_up(app, 1.0)  # nothing more may come
        # Paused (which alerts nowhere), it cannot go down again 1 s after the last heartbeat
        # while the log is read: a slow disk flush on this machine took longer than that.
        self.put(app["id"], {"is_active": False})

        log = self.wait_notifications(
            app, lambda log: len(log) == 10 and all(n["state"] == "delivered" for n in log))
        for n in log:
            self.assertEqual(set(n), NOTIFICATION_FIELDS)
            self.assertEqual((n["attempts"], n["failed_at"], n["last_error"]), (1, None, None), n)
            self.assertIsNotNone(n["delivered_at"])
        self.assertEqual([n["id"] for n in log], sorted((n["id"] for n in log), reverse=True),
                         "the log is newest first")
        ids = {}  # (alert id, kind) -> notification id
        for n in log:
            self.assertEqual(n["channel"], alerts[self.channel_of(alerts, n)]["channel"])
            ids[(n["alert_id"], n["kind"])] = n["id"]
        self.assertEqual(sorted(ids), sorted((a["id"], kind) for a in alerts.values()
                                             for kind in ("down", "up")))

        def expected_id(channel, kind):
            return str(ids[(alerts[channel]["id"], kind)])

        # webhook
        got = self.receiver.requests(hooks["webhook"])
        self.assertEqual(len(got), 2, got)
        for req, kind in zip(got, ("down", "up")):
            self.assertEqual((req.method, req.path), ("POST", hooks["webhook"]))
            self.assertTrue(req.headers["Content-Type"].startswith("application/json"))
            self.assertEqual(req.notification_id(), expected_id("webhook", kind))
            doc = req.json()
            self.assertEqual(doc["event"], kind)
            self.assertEqual(doc["application"], {"id": app["id"], "uuid": app["uuid"],
                                                  "name": app["name"]})
            self.assertEqual(doc["status"], kind)
            self.assertRegex(doc["last_heartbeat"], ISO_UTC)
            self.assertRegex(doc["at"], ISO_UTC)
            self.check_link_and_name(app, req.body.decode(), f"webhook {kind}")

        # slack
        got = self.receiver.requests(hooks["slack"])
        self.assertEqual(len(got), 2, got)
        for req, kind in zip(got, ("down", "up")):
            self.assertEqual(req.method, "POST")
            self.assertTrue(req.headers["Content-Type"].startswith("application/json"))
            self.assertEqual(req.notification_id(), expected_id("slack", kind))
            doc = req.json()
            self.assertIsInstance(doc["text"], str)
            self.assertIn(app["name"], doc["text"])
            self.assertIsInstance(doc["blocks"], list)
            self.assertTrue(doc["blocks"])
            self.check_link_and_name(app, json.dumps(doc["blocks"]), f"slack {kind} blocks")
        self.assertIn("DOWN", got[0].json()["text"].upper())
        self.assertIn("UP", got[1].json()["text"].upper())

        # discord
        got = self.receiver.requests(hooks["discord"])
        self.assertEqual(len(got), 2, got)
        colours = []
        for req, kind in zip(got, ("down", "up")):
            self.assertEqual(req.method, "POST")
            self.assertTrue(req.headers["Content-Type"].startswith("application/json"))
            self.assertEqual(req.notification_id(), expected_id("discord", kind))
            doc = req.json()
            self.assertIsInstance(doc["content"], str)
            self.assertIn(app["name"], doc["content"])
            self.assertEqual(len(doc["embeds"]), 1)
            embed = doc["embeds"][0]
            self.assertIsInstance(embed["title"], str)
            self.assertIsInstance(embed["description"], str)
            self.assertIsInstance(embed["color"], int)
            colours.append(embed["color"])
            self.check_link_and_name(app, req.body.decode(), f"discord {kind}")
        self.assertNotEqual(colours[0], colours[1], "down and up have the same colour")

        # sms
        got = self.receiver.requests(sms_path)[sms_before:]
        self.assertEqual(len(got), 2, got)
        auth = "Basic " + base64.b64encode(f"{SMS_SID}:{SMS_TOKEN}".encode()).decode()
        for req, kind in zip(got, ("down", "up")):
            self.assertEqual((req.method, req.path), ("POST", sms_path))
            self.assertEqual(req.headers["Authorization"], auth)
            self.assertTrue(req.headers["Content-Type"].startswith(
                "application/x-www-form-urlencoded"), req.headers["Content-Type"])
            self.assertEqual(req.notification_id(), expected_id("sms", kind))
            form = req.form()
            self.assertEqual((form["To"], form["From"]), (SMS_TO, SMS_FROM))
            self.assertLessEqual(len(form["Body"]), 160, form["Body"])
            self.check_link_and_name(app, form["Body"], f"SMS {kind}")

        # email
        got = self.smtp.messages(to=mailbox)
        self.assertEqual(len(got), 2, got)
        for mail, kind in zip(got, ("down", "up")):
            msg = mail.message
            self.assertEqual((mail.mail_from, mail.rcpt_tos), (SMTP_FROM, [mailbox]))
            self.assertIn(SMTP_FROM, str(msg["From"]))
            self.assertIn(mailbox, str(msg["To"]))
            self.assertIn(app["name"], str(msg["Subject"]))
            self.assertEqual(str(msg["X-Heartbeatd-Notification-Id"]), expected_id("email", kind))
            self.assertEqual(msg.get_content_type(), "multipart/alternative")
            parts = mail.parts()
            self.assertEqual(set(parts), {"text/plain", "text/html"}, parts.keys())
            self.check_link_and_name(app, parts["text/plain"], f"email {kind} text part")
            self.check_link_and_name(app, parts["text/html"], f"email {kind} HTML part")
        self.assertIn("DOWN", str(got[0].message["Subject"]).upper())
        self.assertIn("UP", str(got[1].message["Subject"]).upper())

        # the log pages newest first through next_cursor
        seen, query = [], "?limit=3"
        while True:
            status, _, page = self.call("GET",
                                        f"/api/applications/{app['id']}/notifications{query}")
            self.assertEqual(status, 200, page)
            seen += page["notifications"]
            if page["next_cursor"] is None:
                break
            self.assertEqual(len(page["notifications"]), 3)
            query = f"?limit=3&before={page['next_cursor']}"
        self.assertEqual([n["id"] for n in seen], [n["id"] for n in log])

    @staticmethod
    def channel_of(alerts, notification):
        for channel, alert in alerts.items():
            if alert["id"] == notification["alert_id"]:
                return channel
        raise AssertionError(f"notification of an unknown alert: {notification}")

    def test_server_errors_are_retried_until_delivered(self):
        """Two 5xx answers are retried with backoff; the third attempt delivers and the log says
        so."""
        app = self.create_app()
        alert, path = self.add_hook(app, self.receiver)
        self.receiver.respond(path, (500, {}, "oops"), (503, {}, "busy"))
        retries = self.delivered_total("retry")
        self.bring_down(app)
        got = self.receiver.wait_for(3, path)
        log = self.wait_notifications(app, lambda log: log and log[0]["state"] == "delivered")
        self.assertEqual(len(log), 1, log)
        n = log[0]
        self.assertEqual((n["kind"], n["state"], n["attempts"], n["alert_id"]),
                         ("down", "delivered", 3, alert["id"]), n)
        self.assertEqual({r.notification_id() for r in got}, {str(n["id"])})
        self.assertGreater(got[1].at - got[0].at, 0.04, "no backoff before the first retry")
        self.assertGreaterEqual(self.delivered_total("retry"), retries + 2)
        self.assert_quiet(self.receiver, path, 3, 0.5)

    def test_a_client_error_fails_the_notification_without_retries(self):
        """A 400 answer fails the notification at once: one attempt, the error in the log, no
        retry."""
        app = self.create_app()
        alert, path = self.add_hook(app, self.receiver)
        self.receiver.always(path, (400, {"Content-Type": "text/plain"}, "bad payload"))
        failed = self.delivered_total("failed")
        self.bring_down(app)
        self.receiver.wait_for(1, path)
        log = self.wait_notifications(app, lambda log: log and log[0]["state"] == "failed")
        n = log[0]
        self.assertEqual((len(log), n["kind"], n["attempts"], n["delivered_at"]),
                         (1, "down", 1, None), n)
        self.assertIsNotNone(n["failed_at"])
        self.assertIsInstance(n["last_error"], str)
        self.assertIn("400", n["last_error"])
        self.assert_quiet(self.receiver, path, 1, 1.2)
        self.assertEqual(self.notifications(app)[0]["attempts"], 1)
        self.assertGreaterEqual(self.delivered_total("failed"), failed + 1)

    def test_a_receiver_error_that_is_not_utf8_is_logged_readably(self):
        """A receiver answering in Latin-1 ("ung\\xfcltig"): the failure is still recorded and
        the log still reads as JSON, the bad byte replaced."""
        app = self.create_app()
        alert, path = self.add_hook(app, self.receiver)
        self.receiver.always(path, (400, {"Content-Type": "text/plain; charset=latin-1"},
                                    b"ung\xfcltig"))
        self.bring_down(app)
        self.receiver.wait_for(1, path)
        log = self.wait_notifications(app, lambda log: log and log[0]["state"] == "failed")
        self.assertIn("ung?ltig", log[0]["last_error"])

    def test_too_many_requests_waits_for_retry_after(self):
        """A 429 with Retry-After: 1 is retried no sooner than a second later, then delivered."""
        app = self.create_app()
        alert, path = self.add_hook(app, self.receiver)
        self.receiver.respond(path, (429, {"Retry-After": "1"}, "slow down"))
        self.bring_down(app)
        first, second = self.receiver.wait_for(2, path, timeout=6)
        self.assertGreaterEqual(second.at - first.at, 0.9,
                                "retried before the Retry-After of 1 s passed")
        log = self.wait_notifications(app, lambda log: log and log[0]["state"] == "delivered")
        self.assertEqual((log[0]["attempts"], log[0]["state"]), (2, "delivered"), log)
        self.assertEqual(first.notification_id(), second.notification_id())

    def test_a_receiver_that_is_down_gets_the_notification_once_it_is_back(self):
        """While the receiver refuses connections the notification stays pending; it arrives once
        the receiver is back."""
        receiver = HttpReceiver()
        self.addCleanup(receiver.stop)
        app = self.create_app()
        alert, path = self.add_hook(app, receiver)
        receiver.stop()
        self.bring_down(app)
        log = self.wait_notifications(app, lambda log: log and log[0]["attempts"] >= 2)
        self.assertEqual(log[0]["state"], "pending", log)
        self.assertIsInstance(log[0]["last_error"], str)
        receiver.start()
        got = receiver.wait_for(1, path, timeout=6)
        log = self.wait_notifications(app, lambda log: log[0]["state"] == "delivered")
        self.assertEqual(got[0].notification_id(), str(log[0]["id"]))
        self.assertEqual(got[0].json()["event"], "down")
        self.assert_quiet(receiver, path, 1, 0.5)

    def test_the_test_endpoint_sends_one_notification_now(self):
        """The test endpoint delivers a "test" notification at once and answers delivered true;
        email too."""
        app = self.create_app()  # new: no heartbeat yet
        alert, path = self.add_hook(app, self.receiver)
        answer = self.send_test(app, alert)
        self.assertEqual((answer["delivered"], answer["error"]), (True, None), answer)
        got = self.receiver.requests(path)
        self.assertEqual(len(got), 1, got)
        doc = got[0].json()
        self.assertEqual((doc["event"], doc["status"], doc["last_heartbeat"]),
                         ("test", "new", None))
        self.assertEqual(doc["application"]["id"], app["id"])
        self.assertEqual(got[0].notification_id(), str(answer["notification_id"]))
        # The answer may come a moment before the outcome is stored in the log.
        log = self.wait_notifications(app, lambda log: log and log[0]["state"] != "pending", 1.0)
        self.assertEqual([(n["id"], n["kind"], n["state"], n["attempts"]) for n in log],
                         [(answer["notification_id"], "test", "delivered", 1)])

        mailbox = f"test-{uuid.uuid4().hex[:8]}@example.test"
        mail_alert = self.add_alert(app, "email", mailbox)
        answer = self.send_test(app, mail_alert)
        self.assertEqual((answer["delivered"], answer["error"]), (True, None), answer)
        mail = self.smtp.wait_for(1, to=mailbox)[0]
        self.assertEqual(str(mail.message["X-Heartbeatd-Notification-Id"]),
                         str(answer["notification_id"]))
        self.check_link_and_name(app, mail.parts()["text/plain"], "test email")

    def test_the_test_endpoint_reports_a_failed_attempt_and_does_not_retry(self):
        """On a 400 or 500 answer the test endpoint says delivered false with the error, after one
        attempt only."""
        app = self.create_app()
        for status in (400, 500):
            with self.subTest(status=status):
                alert, path = self.add_hook(app, self.receiver)
                self.receiver.always(path, (status, {"Content-Type": "text/plain"}, "nope"))
                answer = self.send_test(app, alert)
                self.assertIs(answer["delivered"], False, answer)
                self.assertIsInstance(answer["error"], str)
                self.assertIn(str(status), answer["error"])
                self.assertEqual(len(self.receiver.requests(path)), 1)
                self.assertEqual(self.receiver.requests(path)[0].json()["event"], "test")
                self.assert_quiet(self.receiver, path, 1, 0.6)
                log = self.wait_notifications(
                    app, lambda log: log and log[0]["state"] != "pending", 1.0)
                n = [n for n in log if n["id"] == answer["notification_id"]]
                self.assertEqual([(x["kind"], x["state"], x["attempts"]) for x in n],
                                 [("test", "failed", 1)], n)

    def test_a_disabled_alert_config_sends_nothing(self):
        """Configs created disabled or disabled later send nothing on down and up; the enabled one
        does."""
        app = self.create_app()
        enabled, on_path = self.add_hook(app, self.receiver)
        disabled, off_path = self.add_hook(app, self.receiver, enabled=False)
        switched_off, switched_path = self.add_hook(app, self.receiver)
        self.assertEqual(self.call("PUT", f"/api/applications/{app['id']}/alerts/"
                                          f"{switched_off['id']}", {"enabled": False})[0], 200)
        self.bring_down(app)
        self.receiver.wait_for(1, on_path)
        self.beat_ok(app)
        self.receiver.wait_for(2, on_path)
        self.keep_up(app, 0.3)
        self.put(app["id"], {"is_active": False})  # no second down while the log is read
        self.assertEqual(self.receiver.requests(off_path), [])
        self.assertEqual(self.receiver.requests(switched_path), [])
        log = self.notifications(app)
        self.assertEqual(sorted(n["kind"] for n in log), ["down", "up"], log)
        self.assertEqual({n["alert_id"] for n in log}, {enabled["id"]})

    def test_a_paused_application_sends_nothing(self):
        """A paused application sends nothing when its deadline passes, nor when it is paused or
        resumed."""
        control = self.create_app()
        _, control_path = self.add_hook(control, self.receiver)
        app = self.create_app()
        _, path = self.add_hook(app, self.receiver)
        self.beat_ok(app)
        self.beat_ok(control)
        self.assertEqual(self.put(app["id"], {"is_active": False})["status"], "paused")
        # The control application beat at the same time: once it went down and alerted, the
        # paused one would have too.
        self.wait_status(control, "down")
        self.receiver.wait_for(1, control_path)
        self.assert_quiet(self.receiver, path, 0, 1.0)
        self.assertEqual(self.get(app["id"])["status"], "paused")
        resumed = self.put(app["id"], {"is_active": True})
        self.assertNotEqual(resumed["status"], "down")
        self.beat_ok(app)
        self.assert_quiet(self.receiver, path, 0, 0.5)
        self.assertEqual(self.notifications(app), [])

    def test_reminders_repeat_while_down_and_stop_once_up(self):
        """With reminder_interval 1, reminders follow the down alert while it stays down, and stop
        once it is up."""
        app = self.create_app(reminder=1)
        _, path = self.add_hook(app, self.receiver)
        self.bring_down(app)
        got = self.receiver.wait_for(2, path, timeout=6)
        self.assertEqual([r.json()["event"] for r in got[:2]], ["down", "reminder"])
        self.assertGreaterEqual(got[1].at - got[0].at, 0.5, "reminder too early")
        reminder = got[1].json()
        self.assertEqual((reminder["status"], reminder["application"]["id"]), ("down", app["id"]))
        self.beat_ok(app)
        self.wait_for(lambda: any(r.json()["event"] == "up"
                                  for r in self.receiver.requests(path)), 5)
        self.keep_up(app, 2.1)
        self.put(app["id"], {"is_active": False})  # no second down while the log is read
        events = [r.json()["event"] for r in self.receiver.requests(path)]
        self.assertEqual(events[0], "down")
        self.assertEqual(events[-1], "up", events)
        self.assertEqual(events.count("up"), 1, events)
        self.assertEqual(set(events[1:-1]), {"reminder"}, events)
        log = self.wait_notifications(app, lambda log: all(n["state"] != "pending" for n in log))
        self.assertEqual([n["kind"] for n in log if n["state"] == "delivered"][::-1], events, log)

    def test_application_changes_succeed_while_notifications_are_sent(self):
        """Pausing and resuming an application works (200) while test notifications of another
        one are being delivered and logged at the same time."""
        sender = self.create_app()
        alert, path = self.add_hook(sender, self.receiver)
        other = self.create_app(interval=3600)
        failures, tests, stop = [], [], time.monotonic() + 2.0

        def send_tests():
            while time.monotonic() < stop:
                tests.append(1)
                status, _, raw = request(
                    "POST", f"{self.server.base}/api/applications/{sender['id']}/alerts/"
                    f"{alert['id']}/test", headers={"Authorization": f"Bearer {TOKEN}"})
                if status != 200:
                    failures.append(("test", status, raw[:300]))

        thread = threading.Thread(target=send_tests)
        thread.start()
        changes = 0
        try:
            while time.monotonic() < stop:
                changes += 1
                status, _, doc = self.call("PUT", f"/api/applications/{other['id']}",
                                           {"is_active": changes % 2 == 0})
                if status != 200:
                    failures.append(("PUT", status, doc))
        finally:
            thread.join()
        self.assertTrue(self.receiver.requests(path))
        if failures:
            puts = sum(1 for f in failures if f[0] == "PUT")
            self.fail(f"{puts} of {changes} PUTs and {len(failures) - puts} of {len(tests)} "
                      f"test calls failed; the first: {failures[0]}")

    def test_metrics_count_delivered_notifications(self):
        """/metrics counts delivered notifications and has a sample for every outcome."""
        before = self.delivered_total()
        app = self.create_app()
        self.add_hook(app, self.receiver)
        self.add_hook(app, self.receiver)
        self.bring_down(app)
        self.wait_notifications(
            app, lambda log: len(log) == 2 and all(n["state"] == "delivered" for n in log))
        self.wait_for(lambda: self.delivered_total() >= before + 2)
        samples = self.metrics()
        for outcome in ("delivered", "retry", "failed", "cancelled"):
            self.assertIn(f'heartbeatd_notifications_total{{outcome="{outcome}"}}', samples)


# --- the rate limit -----------------------------------------------------------------------------


class RateLimitTests(AlertClient):
    """A server whose alert rate limit (HEARTBEATD_ALERT_RATE) holds a burst back."""

    backend_name = None
    RATE = 20  # notifications a second; bursts of 2

    @classmethod
    def setUpClass(cls):
        cls.start_with_receivers(HEARTBEATD_ALERT_RATE=str(cls.RATE))

    def test_held_back_notifications_go_at_the_rate_with_one_wake_up_each_at_most(self):
        """30 notifications at once leave at 20 a second, all of them, and the dispatcher sets
        at most one wake-up per notification it held back: polls meanwhile (publishes, outcome
        flushes, ticks) must not leave timers of their own behind, as they once did (thousands
        of wake-ups a second by the end of a storm)."""
        count = 30
        app = self.create_app()
        path = unique_path()
        for _ in range(count):
            self.add_alert(app, "webhook", self.receiver.url(path))
        waits_before = self.metrics()["heartbeatd_notification_rate_waits_total"]
        self.bring_down(app)
        # More polls while the burst is held back: status changes of other applications.
        others = [self.create_app() for _ in range(3)]
        for other in others:
            self.bring_down(other)
        got = self.receiver.wait_for(count, path, timeout=15.0)
        self.assertEqual(len(got), count)
        span = got[-1].at - got[0].at
        burst = 2
        self.assertGreaterEqual(span, (count - burst) / self.RATE - 0.1,
                                f"{count} notifications within {span:.2f} s: faster than the rate")
        self.assert_quiet(self.receiver, path, count, seconds=0.5)
        waits = self.metrics()["heartbeatd_notification_rate_waits_total"] - waits_before
        self.assertGreater(waits, 0, "the rate limit never held a send back")
        self.assertLessEqual(waits, count,
                             f"{waits:.0f} rate-limit wake-ups for {count} notifications")


# --- restarts -----------------------------------------------------------------------------------


class RestartTests(AlertClient):
    """Servers stopped and started again on the same database."""

    backend_name = None

    @classmethod
    def setUpClass(cls):
        cls.backend = Backend(cls.backend_name)
        cls.addClassCleanup(cls.backend.cleanup)

    def start(self, database, receiver):
        server = start_server(self, database, alert_env(receiver), self.addCleanup)
        self.server = server
        return server

    def test_a_notification_pending_at_a_crash_is_delivered_once_after_the_restart(self):
        """A notification still pending when heartbeatd is killed is delivered after the restart,
        exactly once."""
        receiver = HttpReceiver()
        self.addCleanup(receiver.stop)
        database = self.backend.new_database()
        first = self.start(database, receiver)
        app = self.create_app()
        alert, path = self.add_hook(app, receiver)
        receiver.stop()
        self.bring_down(app)
        log = self.wait_notifications(app, lambda log: log and log[0]["attempts"] >= 1)
        self.assertEqual((len(log), log[0]["state"]), (1, "pending"), log)
        pending = log[0]
        code, _, _, _ = first.stop(signal.SIGKILL)
        self.assertEqual(code, -signal.SIGKILL)
        receiver.start()
        self.start(database, receiver)
        receiver.wait_for(1, path, timeout=8)
        time.sleep(2.0)
        got = receiver.requests(path)
        self.assertEqual(len(got), 1, f"delivered {len(got)} times: {got}")
        self.assertEqual({r.notification_id() for r in got}, {str(pending["id"])})
        self.assertEqual(got[0].json()["event"], "down")
        log = self.wait_notifications(app, lambda log: log[0]["state"] == "delivered")
        self.assertEqual([(n["id"], n["kind"]) for n in log], [(pending["id"], "down")], log)
        self.assertEqual(self.get(app["id"])["status"], "down")

    def test_stopping_during_a_delivery_waits_for_it_and_does_not_send_it_again(self):
        """SIGTERM while a receiver is still answering: heartbeatd waits for the answer, stores
        it, and the next start does not send the notification again."""
        receiver = HttpReceiver()
        self.addCleanup(receiver.stop)
        database = self.backend.new_database()
        first = self.start(database, receiver)
        app = self.create_app()
        alert, path = self.add_hook(app, receiver)
        receiver.respond(path, (200, {"Content-Type": "application/json"}, "{}", 1.5))
        self.bring_down(app)
        receiver.wait_for(1, path)
        code, took, _, err = first.stop()
        self.assertEqual(code, 0, err)
        self.assertGreater(took, 0.5, "did not wait for the delivery under way")
        self.start(database, receiver)
        log = self.wait_notifications(app, lambda log: log and log[0]["state"] == "delivered")
        self.assertEqual(log[0]["attempts"], 1, log)
        time.sleep(1.5)
        self.assertEqual(len(receiver.requests(path)), 1)

    def test_a_restart_while_applications_are_up_sends_no_alert(self):
        """Applications up before a restart get a full window after it: no down alert although their
        deadline passed while heartbeatd was stopped."""
        receiver = HttpReceiver()
        self.addCleanup(receiver.stop)
        database = self.backend.new_database()
        first = self.start(database, receiver)
        app = self.create_app(interval=2)
        _, path = self.add_hook(app, receiver)
        self.beat_ok(app)
        code, _, _, _ = first.stop()
        self.assertEqual(code, 0)
        time.sleep(2.5)  # its deadline passes while heartbeatd is not running
        self.start(database, receiver)
        self.assertEqual(self.get(app["id"])["status"], "up")
        self.beat_ok(app)
        for _ in range(4):
            time.sleep(0.5)
            self.beat_ok(app)
        self.assertEqual(self.get(app["id"])["status"], "up")
        self.assertEqual(receiver.requests(path), [])
        self.assertEqual(self.notifications(app), [])


class SqliteAlertApiTests(AlertApiTests, unittest.TestCase):
    backend_name = "sqlite3"


class PostgresAlertApiTests(AlertApiTests, unittest.TestCase):
    backend_name = "postgresql"


class SqliteDeliveryTests(DeliveryTests, unittest.TestCase):
    backend_name = "sqlite3"


class PostgresDeliveryTests(DeliveryTests, unittest.TestCase):
    backend_name = "postgresql"


class PostgresRateLimitTests(RateLimitTests, unittest.TestCase):
    backend_name = "postgresql"


class SqliteRestartTests(RestartTests, unittest.TestCase):
    backend_name = "sqlite3"


class PostgresRestartTests(RestartTests, unittest.TestCase):
    backend_name = "postgresql"


if __name__ == "__main__":
    harness.main()
