"""Mail for the interop tests: aiosmtpd (Tests/Support/smtp_server.py) as a child process, what it
received read with Python's email package, and a database of a test's own.

Every authserver's sender claims whatever pending mail its outbox holds, so a test that reads what
arrives gives its servers a database of their own (`isolated_database`): the session's other
servers, on TEST_DATABASE_URL, would otherwise deliver its mail to the log.
"""
import base64
import email
import email.policy
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

SUPPORT = Path(__file__).resolve().parents[1] / "Support"
LINK = re.compile(r"http://localhost:3000/(reset-password|verify-email|confirm-email)\?token=([A-Za-z0-9_-]+)")


def isolated_database() -> str:
    """A new, empty database in the test cluster; the first server on it migrates it."""
    base = os.environ["TEST_DATABASE_URL"]
    name = "interop_mail_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", base, "-Atqc", f"CREATE DATABASE {name}"], check=True, capture_output=True, timeout=30)
    return base.rsplit("/", 1)[0] + "/" + name


def sql(url: str, query: str) -> str:
    return subprocess.run(["psql", url, "-Atqc", query], check=True, capture_output=True, text=True, timeout=30).stdout.strip()


class ThrowawayCA:
    """A throwaway CA and a certificate for localhost (Tests/Support/test_ca.py)."""

    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="authserver-ca-"))
        subprocess.run([sys.executable, str(SUPPORT / "test_ca.py"), str(self.directory)], check=True, timeout=60)
        self.ca_file = str(self.directory / "ca.pem")
        self.server_arguments = ["--cert", str(self.directory / "server-cert.pem"), "--key", str(self.directory / "server-key.pem")]


class SMTPServer:
    """aiosmtpd on 127.0.0.1; `messages(to)` reads what it accepted."""

    def __init__(self, *options: str):
        self.maildir = Path(tempfile.mkdtemp(prefix="authserver-mail-"))
        self.process = subprocess.Popen([sys.executable, str(SUPPORT / "smtp_server.py"), str(self.maildir), *options],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline())

    def stop(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)

    def received(self) -> list[dict]:
        records = [json.loads(path.read_text()) for path in sorted(self.maildir.glob("*.json"))]
        for record in records:
            record["message"] = email.message_from_bytes(base64.b64decode(record["data"]), policy=email.policy.default)
        return records

    def messages(self, to: str) -> list[dict]:
        return [record for record in self.received() if to in record["rcpt_tos"]]

    def wait_for(self, to: str, count: int = 1, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages(to)
            if len(found) >= count:
                return found
            assert time.monotonic() < deadline, f"{len(found)} of {count} messages to {to} arrived within {timeout} s"
            time.sleep(0.05)


def text_of(record: dict) -> str:
    return record["message"].get_body(preferencelist=("plain",)).get_content()


def link_in(record: dict) -> tuple[str, str]:
    """(path, token) of the link in the message's text part."""
    match = LINK.search(text_of(record))
    assert match, text_of(record)
    return match.group(1), match.group(2)
