"""Mail as operators run it: real processes, a real SMTP server, and what the logs may hold."""
import re
import time

import requests

from conftest import Server, register, unique_email
from mail_fixtures import SMTPServer, ThrowawayCA, isolated_database, link_in, sql, text_of

PRODUCTION = {"APP_ENV": "production", "BCRYPT_COST": "10", "LOG_LEVEL": "trace", "MAIL_POLL_INTERVAL": "100ms"}


def post(server, path, body, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(server.url + path, json=body, headers=headers, timeout=30)


def test_production_never_logs_a_token_or_a_link():
    smtp = SMTPServer()
    database = isolated_database()
    server = Server(DATABASE_URL=database, SMTP_URL=f"smtp://127.0.0.1:{smtp.port}", **PRODUCTION)
    try:
        account = register(server.url, name="Ada")
        email = account["user"]["email"]
        tokens = []
        _, token = link_in(smtp.wait_for(email)[0])
        tokens.append(token)
        assert post(server, "/api/auth/verify-email", {"token": token}).status_code == 200

        assert post(server, "/api/auth/forgot-password", {"email": email}).status_code == 202
        _, token = link_in(smtp.wait_for(email, 2)[1])
        tokens.append(token)
        assert post(server, "/api/auth/reset-password", {"token": token, "newPassword": "a new passphrase"}).status_code == 200
        login = post(server, "/api/auth/login", {"email": email, "password": "a new passphrase"}).json()

        new_email = unique_email("moved")
        assert post(server, "/api/auth/change-email", {"newEmail": new_email, "password": "a new passphrase"},
                    token=login["accessToken"]).status_code == 202
        _, token = link_in(smtp.wait_for(new_email)[0])
        tokens.append(token)
        assert post(server, "/api/auth/confirm-email", {"token": token}).status_code == 200
        assert post(server, "/api/auth/forgot-password", {"email": unique_email("nobody")}).status_code == 202
    finally:
        server.stop()
        smtp.stop()
    output = server.output()
    assert "mail: sent" in output  # the sender did log, at trace level, while it worked
    for token in tokens:
        assert token not in output
    for path in ["reset-password?", "verify-email?", "confirm-email?", "token="]:
        assert path not in output


def test_production_without_smtp_warns_sends_nothing_and_logs_no_link():
    database = isolated_database()
    server = Server(DATABASE_URL=database, **PRODUCTION)
    try:
        email = register(server.url)["user"]["email"]
        assert post(server, "/api/auth/forgot-password", {"email": email}).status_code == 202
    finally:
        server.stop()
    output = server.output()
    assert "SMTP_URL is not set: no mail is sent" in output
    assert "token=" not in output
    assert sql(database, f"SELECT count(*) FROM email_outbox WHERE status = 'pending' AND recipient = '{email}'") == "2"


def test_development_without_smtp_logs_each_message_with_its_link():
    server = Server(DATABASE_URL=isolated_database(), APP_ENV="development", LOG_LEVEL="info", LOG_FORMAT="text",
                    MAIL_POLL_INTERVAL="100ms")
    try:
        email = register(server.url)["user"]["email"]
        deadline = time.monotonic() + 30
        while not re.search(r"http://localhost:3000/verify-email\?token=[A-Za-z0-9_-]{43}", server.output()):
            assert time.monotonic() < deadline, server.output()
            time.sleep(0.05)
        assert email in server.output()
    finally:
        server.stop()


def test_two_instances_on_one_outbox_deliver_each_mail_once_over_starttls_and_auth():
    """Two processes share one database and one SMTP server (STARTTLS and AUTH required, its
    certificate from a throwaway CA trusted through EXTRA_CA_FILE); every message arrives once."""
    ca = ThrowawayCA()
    smtp = SMTPServer("--starttls", "--auth", "mailer:s3cret", *ca.server_arguments)
    database = isolated_database()
    settings = {"DATABASE_URL": database, "SMTP_URL": f"smtp://mailer:s3cret@localhost:{smtp.port}", "EXTRA_CA_FILE": ca.ca_file,
                "MAIL_POLL_INTERVAL": "50ms", "MAIL_FROM": "Acme Jobs <jobs@acme.example>"}
    servers = [Server(**settings), Server(**settings)]
    emails = []
    try:
        for index in range(10):
            emails.append(register(servers[index % 2].url)["user"]["email"])
        for index, email in enumerate(emails):
            assert post(servers[(index + 1) % 2], "/api/auth/forgot-password", {"email": email}).status_code == 202
        for email in emails:
            smtp.wait_for(email, 2)
        deadline = time.monotonic() + 30
        while sql(database, "SELECT count(*) FROM email_outbox WHERE status = 'pending'") != "0":
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        codes = [server.stop() for server in servers]
        smtp.stop()
    assert codes == [0, 0]
    received = smtp.received()
    assert len(received) == 20
    for email in emails:
        mine = smtp.messages(email)
        assert sorted(link_in(record)[0] for record in mine) == ["reset-password", "verify-email"]
        assert all(record["tls"] and record["authenticated_as"] == "mailer" for record in mine)
        assert all(record["message"]["From"] == "Acme Jobs <jobs@acme.example>" for record in mine)
        assert "Acme Jobs" in text_of(mine[0])
