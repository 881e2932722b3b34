#!/usr/bin/env python3
"""An HTTP(S) server (stdlib http.server and ssl) for the Outbound HTTPS client tests.

    https_server.py [--cert PEM --key PEM]

Without --cert it speaks plain HTTP. Listens on 127.0.0.1, on a port the system picks, and
prints that port on stdout. Routes:

    GET  /json           200 {"method","path","headers","client_port"}, Content-Type
                         application/json, Cache-Control public, max-age=300
    POST /echo           200 {"content_type","body","form","headers"}: what the request sent,
                         "form" its urlencoded fields as urllib.parse reads them
    GET  /bytes/N        200 with N bytes and a Content-Length
    GET  /stream/N       200 with N bytes, no Content-Length: the body ends when the connection does
    GET  /redirect       302 to /json
    GET  /hang           reads the request, never answers

It stops when its standard input closes, so it never outlives the test that started it.
"""

import argparse
import json
import os
import signal
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def send_json(self, value):
        body = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "public, max-age=300")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/json":
            self.send_json({
                "method": "GET", "path": self.path, "headers": dict(self.headers),
                "client_port": self.client_address[1],
            })
        elif self.path.startswith("/bytes/"):
            count = int(self.path.split("/")[2])
            self.send_response(200)
            self.send_header("Content-Length", str(count))
            self.end_headers()
            self.wfile.write(b"a" * count)
        elif self.path.startswith("/stream/"):
            count = int(self.path.split("/")[2])
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            for start in range(0, count, 4096):
                self.wfile.write(b"a" * min(4096, count - start))
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/json")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/hang":
            time.sleep(3600)
        else:
            self.send_error(404)

    def do_POST(self):
        if self.path != "/echo":
            self.send_error(404)
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_json({
            "content_type": self.headers.get("Content-Type"),
            "body": body.decode("utf-8", "replace"),
            "form": urllib.parse.parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True)
            if self.headers.get("Content-Type") == "application/x-www-form-urlencoded" else None,
            "headers": dict(self.headers),
        })


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


def main():
    # Spawned from a thread that blocks signals (libdispatch's workers do), the child inherits
    # that mask, and SIGTERM would never stop it.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert")
    parser.add_argument("--key")
    options = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if options.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(options.cert, options.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
