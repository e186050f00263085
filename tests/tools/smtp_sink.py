#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) on loopback for the test suite.

It speaks implicit TLS (SMTPS, as PEC providers do) or STARTTLS with the given certificate,
requires AUTH with the given credentials, can answer the first N messages with a temporary
failure (451), and writes each accepted message to DIR as NNNN.eml with NNNN.json beside it
(envelope sender, recipients, authenticated user). It prints "READY <port>" once listening and
stops when its standard input closes (the test that started it ended).
"""
import argparse
import json
import os
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, tempfail):
        self.directory = directory
        self.tempfail = tempfail
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.tempfail > 0:
                self.tempfail -= 1
                return "451 4.3.0 Temporary failure, try again later"
            self.count += 1
            name = os.path.join(self.directory, "%04d" % self.count)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        with open(name + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "login": login}, f)
        # Written last and renamed: the test sees a message only when it is whole.
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name + ".eml")
        return "250 2.0.0 OK queued"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--mode", choices=["implicit", "starttls"], default="implicit")
    p.add_argument("--tempfail", type=int, default=0)
    a = p.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(a.cert, a.key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == a.user
              and auth_data.password.decode() == a.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    port = free_port()
    common = dict(hostname="127.0.0.1", port=port, authenticator=authenticate, auth_required=True)
    if a.mode == "implicit":
        controller = Controller(Sink(a.dir, a.tempfail), ssl_context=context,
                                auth_require_tls=False, **common)
    else:
        controller = Controller(Sink(a.dir, a.tempfail), tls_context=context,
                                require_starttls=True, auth_require_tls=True, **common)
    controller.start()
    print("READY %d" % port, flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
