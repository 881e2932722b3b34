"""`authserver user ...` as an operator runs it against a live server's database: the same
changes as the admin routes (sessions revoked alike), audit events with no actor and
`via: shell`, and a clear refusal for an unknown account."""
import os
import subprocess
import tempfile

import requests

from conftest import ROOT, SECRET, SERVER_SECRET, register, unique_email


def user_command(*arguments: str) -> subprocess.CompletedProcess:
    environment = {
        "PATH": os.environ["PATH"], "APP_ENV": "test", "DATABASE_URL": os.environ["TEST_DATABASE_URL"],
        "JWT_ACCESS_SECRET": SECRET, "SERVER_SECRET": SERVER_SECRET, "BCRYPT_COST": "4",
        "MIGRATIONS_DIR": str(ROOT / "Migrations"), "LOG_LEVEL": "warning",
    }
    return subprocess.run([os.environ["AUTHSERVER_BINARY"], "user", *arguments], capture_output=True, text=True, timeout=60,
                          env=environment, cwd=tempfile.gettempdir())


def login(server, email: str, password: str = "correct horse battery") -> requests.Response:
    return requests.post(server.url + "/api/auth/login", json={"email": email, "password": password}, timeout=10)


def shell_events(user_id: str) -> list[tuple]:
    """The account's audit rows written from a shell: (type, actor id, via)."""
    query = ("SELECT type, coalesce(actor_id::text, '-'), details->>'via' FROM audit_events "
             f"WHERE user_id = '{user_id}'::uuid AND details->>'via' = 'shell' ORDER BY id")
    result = subprocess.run(["psql", os.environ["TEST_DATABASE_URL"], "-XAt", "-F", "|", "-c", query], capture_output=True, text=True,
                            timeout=30, check=True)
    return [tuple(line.split("|")) for line in result.stdout.splitlines()]


def test_deactivate_ends_every_session_and_activate_lets_the_user_back_in(server):
    account = register(server.url)
    email = account["user"]["email"]
    result = user_command("deactivate", email.upper())
    assert result.returncode == 0, result.stderr
    assert "1 sessions revoked" in result.stdout
    me = requests.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {account['accessToken']}"}, timeout=10)
    assert me.status_code == 401 and me.json()["code"] == "ACCOUNT_DISABLED"
    refreshed = requests.post(server.url + "/api/auth/refresh", json={"refreshToken": account["tokens"]["refreshToken"]}, timeout=10)
    assert refreshed.status_code == 401
    assert login(server, email).status_code == 403

    assert user_command("activate", email).returncode == 0
    assert login(server, email).status_code == 200
    assert shell_events(account["user"]["id"]) == [("account.updated", "-", "shell"), ("account.updated", "-", "shell")]


def test_set_role_revokes_sessions_and_refuses_an_unknown_role(server):
    account = register(server.url)
    email = account["user"]["email"]
    refused = user_command("set-role", email, "ROOT")
    assert refused.returncode != 0 and "ROLE" in refused.stderr
    result = user_command("set-role", email, "employer")
    assert result.returncode == 0, result.stderr
    refreshed = requests.post(server.url + "/api/auth/refresh", json={"refreshToken": account["tokens"]["refreshToken"]}, timeout=10)
    assert refreshed.status_code == 401
    signed_in = login(server, email)
    assert signed_in.status_code == 200 and signed_in.json()["user"]["role"] == "EMPLOYER"


def test_delete_removes_the_account_and_an_unknown_email_is_refused(server):
    account = register(server.url)
    email = account["user"]["email"]
    result = user_command("delete", email)
    assert result.returncode == 0, result.stderr
    assert login(server, email).status_code == 401
    me = requests.get(server.url + "/api/auth/me", headers={"Authorization": f"Bearer {account['accessToken']}"}, timeout=10)
    assert me.status_code == 401
    assert shell_events(account["user"]["id"]) == [("account.deleted", "-", "shell")]

    missing = user_command("deactivate", unique_email("nobody"))
    assert missing.returncode == 1 and "no account has the email" in missing.stderr
