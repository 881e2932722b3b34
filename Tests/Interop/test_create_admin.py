"""`authserver create-admin` as an operator runs it: the password never on the command line
(where `ps` and shell history show it), and promoting an existing account ends its sessions."""
import os
import subprocess
import tempfile
from pathlib import Path

import requests

from conftest import ROOT, SECRET, SERVER_SECRET, register, unique_email


def create_admin(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ["PATH"], "APP_ENV": "test", "DATABASE_URL": os.environ["TEST_DATABASE_URL"],
        "JWT_ACCESS_SECRET": SECRET, "SERVER_SECRET": SERVER_SECRET, "BCRYPT_COST": "4",
        "MIGRATIONS_DIR": str(ROOT / "Migrations"), "LOG_LEVEL": "warning",
    }
    return subprocess.run([os.environ["AUTHSERVER_BINARY"], "create-admin", *arguments], input=stdin, capture_output=True,
                          text=True, timeout=60, env=environment, cwd=tempfile.gettempdir())


def login(server, email: str, password: str) -> requests.Response:
    return requests.post(server.url + "/api/auth/login", json={"email": email, "password": password}, timeout=10)


def test_promotion_reads_the_password_from_stdin_and_revokes_every_session(server):
    account = register(server.url)
    email = account["user"]["email"]
    result = create_admin("--email", email, stdin="the admin's passphrase\n")
    assert result.returncode == 0, result.stderr
    # A refresh token taken before the promotion must not mint ADMIN tokens after it.
    refreshed = requests.post(server.url + "/api/auth/refresh", json={"refreshToken": account["tokens"]["refreshToken"]}, timeout=10)
    assert refreshed.status_code == 401
    me = requests.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {account['accessToken']}"}, timeout=10)
    assert me.status_code == 401
    # The password came from standard input, the trailing newline dropped.
    assert login(server, email, "correct horse battery").status_code == 401
    signed_in = login(server, email, "the admin's passphrase")
    assert signed_in.status_code == 200 and signed_in.json()["user"]["role"] == "ADMIN"


def test_a_new_admin_takes_its_password_from_a_file(server):
    email = unique_email("admin")
    with tempfile.TemporaryDirectory() as directory:
        password_file = Path(directory) / "password"
        password_file.write_text("a passphrase from a file\n")
        password_file.chmod(0o600)
        result = create_admin("--email", email, "--password-file", str(password_file))
    assert result.returncode == 0, result.stderr
    signed_in = login(server, email, "a passphrase from a file")
    assert signed_in.status_code == 200 and signed_in.json()["user"]["role"] == "ADMIN"


def test_a_password_argument_is_refused_and_no_account_is_made(server):
    email = unique_email("admin")
    result = create_admin("--email", email, "--password", "visible in ps", stdin="")
    assert result.returncode != 0
    assert "--password" in result.stderr
    assert login(server, email, "visible in ps").status_code == 401
    # Nor does a weak password on standard input make one.
    weak = create_admin("--email", email, stdin="short\n")
    assert weak.returncode != 0 and "password" in weak.stderr
    assert login(server, email, "short").status_code == 401
