"""Starts real `authserver` processes for the interop tests.

`make test` sets AUTHSERVER_BINARY and TEST_DATABASE_URL (a throwaway PostgreSQL). Each server
runs in an empty working directory so a developer's .env cannot change what is tested.
"""
import os
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SECRET = "interop-secret-0123456789-abcdefghijklmnopqrstuvwxyz"
SERVER_SECRET = "interop-server-secret-kept-by-every-instance-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique_email(tag: str = "user") -> str:
    return f"{tag}-{uuid.uuid4().hex[:12]}@example.com"


class Server:
    """One authserver process on a free loopback port."""

    def __init__(self, *, wrapper: tuple[str, ...] = (), **settings: str):
        """`wrapper` runs the binary under another command (e.g. `prlimit --nofile=64:64`)."""
        binary = os.environ.get("AUTHSERVER_BINARY")
        database = os.environ.get("TEST_DATABASE_URL")
        if not binary or not database:
            pytest.fail("AUTHSERVER_BINARY and TEST_DATABASE_URL are unset: run the suite with `make test`")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "APP_ENV": "test",
            "DATABASE_URL": database,
            "JWT_ACCESS_SECRET": SECRET,
            "SERVER_SECRET": SERVER_SECRET,
            "BCRYPT_COST": "4",
            "MIGRATIONS_DIR": str(ROOT / "Migrations"),
            "LOG_LEVEL": "warning",
            "LOG_FORMAT": "json",
            "RATE_LIMIT_MAX": "100000",
            "LOGIN_MAX_FAILURES": "1000",
            "ACCOUNT_MAX_FAILURES": "1000",
        }
        env.update(settings)
        self.workdir = tempfile.mkdtemp(prefix="authserver-interop-")
        self.log = open(Path(self.workdir) / "server.log", "w+")
        self.process = subprocess.Popen([*wrapper, binary, "serve"], cwd=self.workdir, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail("authserver did not become healthy:\n" + self.output())
            time.sleep(0.05)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


@pytest.fixture(scope="session")
def server():
    running = Server()
    yield running
    running.stop()


def register(base_url: str, email: str | None = None, password: str = "correct horse battery", **extra) -> dict:
    response = requests.post(base_url + "/api/auth/register",
                             json={"email": email or unique_email(), "password": password, **extra}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()
