#!/usr/bin/python3
"""A real SMTP server for the email channel tests (aiosmtpd, Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a port the system chooses, prints that port on stdout, and writes each
message it accepts to OUT_DIR as <n>.eml (the bytes received) and <n>.json (envelope, decoded
headers and the text/plain and text/html parts, as Python's email parser reads them).
Recipients at reject.test get a 550 reply, those at later.test a 451.

With a second argument, `starttls` or `tls`, it makes itself a certificate for 127.0.0.1
(OUT_DIR/cert.pem, signed by nobody: a test passes that file as the CA) and requires STARTTLS
before mail, or speaks TLS from the first byte (SMTPS).
"""
import asyncio
import email
import email.policy
import json
import pathlib
import ssl
import subprocess
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, out_dir):
        self.out_dir = pathlib.Path(out_dir)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@reject.test"):
            return "550 5.1.1 no such mailbox"
        if address.endswith("@later.test"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        parts = {}
        for part in msg.walk():
            if not part.is_multipart():
                parts[part.get_content_type()] = part.get_content()
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {name: str(value) for name, value in msg.items()},
            "content_type": msg.get_content_type(),
            "parts": parts,
        }
        base = self.out_dir / str(self.count)
        base.with_suffix(".eml").write_bytes(raw)
        # Written last and renamed: a reader never sees half a summary.
        tmp = base.with_suffix(".tmp")
        tmp.write_text(json.dumps(summary))
        tmp.rename(base.with_suffix(".json"))
        return "250 OK"


def make_tls_context(out_dir):
    cert, key = pathlib.Path(out_dir) / "cert.pem", pathlib.Path(out_dir) / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


async def main(out_dir, mode=None):
    loop = asyncio.get_running_loop()
    sink = Sink(out_dir)
    context = make_tls_context(out_dir) if mode else None
    if mode == "starttls":
        factory = lambda: SMTP(sink, decode_data=False, hostname="sink.test",  # noqa: E731
                               tls_context=context, require_starttls=True)
        server = await loop.create_server(factory, "127.0.0.1", 0)
    elif mode == "tls":
        server = await loop.create_server(
            lambda: SMTP(sink, decode_data=False, hostname="sink.test"), "127.0.0.1", 0,
            ssl=context)
    else:
        server = await loop.create_server(
            lambda: SMTP(sink, decode_data=False, hostname="sink.test"), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:3]))
