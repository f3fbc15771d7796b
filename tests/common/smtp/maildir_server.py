#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for relanced's delivery tests.

Stores every accepted message in a Maildir, appends one line per EHLO, MAIL, RCPT
and DATA command to an events file (so tests can count attempts on the server side),
and can refuse the first N RCPT commands with a 4xx reply, offer STARTTLS or
implicit TLS with a given certificate, and require AUTH with given credentials.
With --data-delay S, it takes S seconds to accept each message and logs, as
"INFLIGHT n", how many messages were being accepted at once when one arrived.

Prints "READY <port>" on stdout once it accepts connections, and exits when its
stdin is closed (the test process ended) or on SIGTERM.
"""
import argparse
import asyncio
import mailbox
import signal
import socket
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
import logging

from aiosmtpd.smtp import AuthResult


class Handler:
    def __init__(self, maildir, events, soft_fail_rcpt, data_delay=0.0):
        self.maildir = mailbox.Maildir(maildir, create=True)
        self.events = events
        self.soft_fail_rcpt = soft_fail_rcpt
        self.data_delay = data_delay
        self.in_flight = 0
        self.lock = threading.Lock()

    def log(self, line):
        with self.lock, open(self.events, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.log(f"EHLO {hostname}")
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.log(f"MAIL {address}")
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.log(f"RCPT {address}")
        if self.soft_fail_rcpt > 0:
            self.soft_fail_rcpt -= 1
            return "451 4.3.0 Mailbox temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_delay > 0:
            # Every session runs on the controller's one event loop: no lock needed.
            self.in_flight += 1
            self.log(f"INFLIGHT {self.in_flight}")
            try:
                await asyncio.sleep(self.data_delay)
            finally:
                self.in_flight -= 1
        self.log(f"DATA {len(envelope.original_content or b'')}")
        self.maildir.add(envelope.original_content)
        return "250 2.0.0 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--maildir", required=True)
    p.add_argument("--events", required=True)
    p.add_argument("--soft-fail-rcpt", type=int, default=0)
    p.add_argument("--data-delay", type=float, default=0.0)
    p.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth-user")
    p.add_argument("--auth-password")
    args = p.parse_args()
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    handler = Handler(args.maildir, args.events, args.soft_fail_rcpt, args.data_delay)
    kwargs = {"hostname": "127.0.0.1", "port": free_port(), "decode_data": False}
    if args.tls != "none":
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(args.cert, args.key)
        if args.tls == "starttls":
            kwargs.update(tls_context=ctx, require_starttls=True)
        else:
            kwargs.update(ssl_context=ctx)
    if args.auth_user:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (auth_data.login.decode() == args.auth_user
                  and auth_data.password.decode() == args.auth_password)
            return AuthResult(success=ok, handled=False)
        warnings.simplefilter("ignore")  # plaintext AUTH on loopback is intended
        kwargs.update(authenticator=authenticator, auth_require_tls=False,
                      auth_required=True)
    controller = Controller(handler, **kwargs)
    controller.start()

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())

    def watch_stdin():
        sys.stdin.read()
        done.set()

    threading.Thread(target=watch_stdin, daemon=True).start()
    print(f"READY {controller.port}", flush=True)
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
