"""Real alert receivers on loopback for the end-to-end tests: an HTTP server that records every
request and answers from a programmable queue (webhook, Slack, Discord and the Twilio-compatible
SMS API all POST to it), and an SMTP sink (Debian's python3-aiosmtpd) that records every message.

Both keep what they received in arrival order with the time it arrived (time.monotonic()), and
have helpers to wait until a number of requests or messages arrived.
"""
import collections
import email
import email.policy
import http.server
import json
import threading
import time
import urllib.parse

from aiosmtpd.controller import Controller

from harness import free_port


class Received:
    """One HTTP request as the receiver saw it. `headers` looks names up case-insensitively."""

    def __init__(self, method, path, headers, body, at):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.at = at

    def json(self):
        return json.loads(self.body)

    def form(self):
        """The body as application/x-www-form-urlencoded fields, each name to its one value."""
        fields = urllib.parse.parse_qs(self.body.decode(), keep_blank_values=True,
                                       strict_parsing=True)
        for name, values in fields.items():
            assert len(values) == 1, f"form field {name} given {len(values)} times"
        return {name: values[0] for name, values in fields.items()}

    def notification_id(self):
        return self.headers.get("X-Heartbeatd-Notification-Id")

    def __repr__(self):
        return f"<{self.method} {self.path} {self.body[:200]!r}>"


class HttpReceiver:
    """An HTTP server on 127.0.0.1 that records every request.

    Each request is answered with the first queued answer of the longest path prefix that has
    one (see respond()), else with the sticky answer of the longest prefix that has one (see
    always()), else 200 `{}`. stop() and start() close and reopen the same port, so a sender sees
    "connection refused" in between.
    """

    def __init__(self, port=0):
        self.port = port
        self._lock = threading.Condition()
        self._requests = []
        self._queued = collections.defaultdict(collections.deque)
        self._sticky = {}
        self._server = None
        self._thread = None
        self.start()

    # --- life cycle ----------------------------------------------------------------------------

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                receiver._handle(self)

            do_GET = do_PUT = do_PATCH = do_DELETE = do_POST

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def stop(self):
        """Stops listening; connections to the port are refused until start()."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = None

    @property
    def running(self):
        return self._server is not None

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    # --- answers -------------------------------------------------------------------------------

    def respond(self, prefix, *answers):
        """Queues answers for requests whose path starts with `prefix`, used once each in order.
        An answer is a status, or (status, headers dict, body bytes or str), optionally with a
        fourth element: seconds to wait before answering (a slow receiver)."""
        with self._lock:
            for answer in answers:
                self._queued[prefix].append(self._answer(answer))

    def always(self, prefix, answer):
        """Answers every request under `prefix` that has no queued answer with `answer`."""
        with self._lock:
            self._sticky[prefix] = self._answer(answer)

    @staticmethod
    def _answer(answer):
        if isinstance(answer, int):
            return answer, {"Content-Type": "application/json"}, b"{}", 0
        status, headers, body, *delay = answer
        return (status, dict(headers or {}), body.encode() if isinstance(body, str) else body,
                delay[0] if delay else 0)

    def _pick(self, path):
        for prefix in sorted(self._queued, key=len, reverse=True):
            if path.startswith(prefix) and self._queued[prefix]:
                return self._queued[prefix].popleft()
        for prefix in sorted(self._sticky, key=len, reverse=True):
            if path.startswith(prefix):
                return self._sticky[prefix]
        return 200, {"Content-Type": "application/json"}, b"{}", 0

    def _handle(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self._lock:
            self._requests.append(Received(handler.command, handler.path, handler.headers, body,
                                           time.monotonic()))
            status, headers, answer, delay = self._pick(handler.path)
            self._lock.notify_all()
        time.sleep(delay)
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(answer)))
        handler.end_headers()
        handler.wfile.write(answer)

    # --- what arrived --------------------------------------------------------------------------

    def requests(self, prefix=""):
        """The requests so far whose path starts with `prefix`, in arrival order."""
        with self._lock:
            return [r for r in self._requests if r.path.startswith(prefix)]

    def wait_for(self, count, prefix="", timeout=5.0):
        """Waits until at least `count` requests under `prefix` arrived; returns them all.
        Raises AssertionError, listing what did arrive, after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                got = [r for r in self._requests if r.path.startswith(prefix)]
                left = deadline - time.monotonic()
                if len(got) >= count or left <= 0:
                    break
                self._lock.wait(left)
        if len(got) < count:
            raise AssertionError(f"{len(got)} of {count} requests under {prefix!r} within "
                                 f"{timeout} s: {got}")
        return got


class ReceivedMail:
    """One message the SMTP sink accepted; `message` is an email.message.EmailMessage."""

    def __init__(self, mail_from, rcpt_tos, raw, at):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.raw = raw
        self.message = email.message_from_bytes(raw, policy=email.policy.default)
        self.at = at

    def parts(self):
        """The leaf parts by content type, as decoded text."""
        return {part.get_content_type(): part.get_content()
                for part in self.message.walk() if not part.is_multipart()}

    def __repr__(self):
        return f"<mail {self.mail_from} -> {self.rcpt_tos}: {self.message['Subject']!r}>"


class SmtpSink:
    """An SMTP server (aiosmtpd) on 127.0.0.1 and a free port; accepts and records every
    message. Call stop() when done."""

    def __init__(self):
        self.port = free_port()
        self._lock = threading.Condition()
        self._messages = []
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode()
        mail = ReceivedMail(envelope.mail_from, envelope.rcpt_tos, raw, time.monotonic())
        with self._lock:
            self._messages.append(mail)
            self._lock.notify_all()
        return "250 OK"

    def stop(self):
        self._controller.stop()

    def messages(self, to=None):
        """The messages so far (to recipient `to` only, when given), in arrival order."""
        with self._lock:
            return [m for m in self._messages if to is None or to in m.rcpt_tos]

    def wait_for(self, count, to=None, timeout=5.0):
        """Waits until at least `count` messages (to `to`) arrived; returns them all."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                got = [m for m in self._messages if to is None or to in m.rcpt_tos]
                left = deadline - time.monotonic()
                if len(got) >= count or left <= 0:
                    break
                self._lock.wait(left)
        if len(got) < count:
            raise AssertionError(f"{len(got)} of {count} messages to {to} within {timeout} s: "
                                 f"{got}")
        return got
