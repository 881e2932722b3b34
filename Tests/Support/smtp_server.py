#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for the Outbound tests.

    smtp_server.py MAILDIR [--starttls | --implicit-tls] [--cert PEM --key PEM]
                   [--auth USER:PASSWORD] [--refuse REGEX] [--hang] [--delay SECONDS] [--port PORT]

Listens on 127.0.0.1, on PORT or a port the system picks, and prints that port on stdout. Each message
it accepts becomes MAILDIR/NNNN.json: {"mail_from", "rcpt_tos", "data" (the raw message as
received, after SMTP's dot-unstuffing, base64), "authenticated_as", "tls"}, written whole
(a temporary file, then a rename), so a reader never sees half a message.

--starttls        offers STARTTLS and requires it before MAIL (RFC 3207)
--implicit-tls    TLS from the first byte (smtps, RFC 8314)
--auth U:P        offers AUTH PLAIN and LOGIN, requires it, and accepts only U:P (535 otherwise)
--refuse REGEX    answers 550 to RCPT TO addresses that match
--hang            stores the message, then never answers the end of DATA
--delay SECONDS   stores the message, then waits that long before accepting it (a slow server)
--port PORT       listens there (a test that stops a server and starts it again on its port)

It stops when its standard input closes, so it never outlives the test that started it.
"""

import argparse
import asyncio
import base64
import itertools
import json
import os
import signal
import re
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, maildir, refuse, hang, delay):
        self.maildir = maildir
        self.refuse = re.compile(refuse) if refuse else None
        self.hang = hang
        self.delay = delay
        self.numbers = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and self.refuse.search(address):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": base64.b64encode(envelope.original_content).decode(),
            "authenticated_as": session.auth_data.login.decode() if session.authenticated else None,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
        }
        path = os.path.join(self.maildir, "%04d.json" % next(self.numbers))
        with open(path + ".tmp", "w") as file:
            json.dump(record, file)
        os.rename(path + ".tmp", path)
        if self.hang:
            await asyncio.Event().wait()
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 2.0.0 queued"


def authenticator_for(credentials):
    user, password = credentials.split(":", 1)

    def authenticate(server, session, envelope, mechanism, auth_data):
        valid = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == user
            and auth_data.password.decode() == password
        )
        return AuthResult(success=valid, handled=False, auth_data=auth_data)

    return authenticate


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    # Spawned from a thread that blocks signals (libdispatch's workers do), the child inherits
    # that mask, and SIGTERM would never stop it.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parser = argparse.ArgumentParser()
    parser.add_argument("maildir")
    parser.add_argument("--starttls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--auth")
    parser.add_argument("--refuse")
    parser.add_argument("--hang", action="store_true")
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args()

    context = None
    if options.starttls or options.implicit_tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.cert, options.key)

    handler = Handler(options.maildir, options.refuse, options.hang, options.delay)

    def make_session():
        return SMTP(
            handler,
            hostname="localhost",
            decode_data=False,
            enable_SMTPUTF8=True,
            tls_context=context if options.starttls else None,
            require_starttls=options.starttls,
            authenticator=authenticator_for(options.auth) if options.auth else None,
            auth_required=bool(options.auth),
            # aiosmtpd only knows of TLS begun by STARTTLS; under implicit TLS all is encrypted.
            auth_require_tls=options.starttls,
        )

    async def serve():
        server = await asyncio.get_running_loop().create_server(
            make_session, "127.0.0.1", options.port, ssl=context if options.implicit_tls else None
        )
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(serve())


if __name__ == "__main__":
    main()
