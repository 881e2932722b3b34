"""Schemathesis against the served /openapi.json of a real server: generated requests, valid and
invalid, for every operation; no 5xx, every answer as the document describes it (status, content
type, headers, body schema), invalid data refused and valid data accepted. Deterministic and
bounded (about 25 examples per operation and phase: seconds).

Every check runs (schemathesis's default), except those schemathesis.toml turns off where JSON
Schema cannot carry the contract, each with its reason;
authentication comes from schemathesis_hooks.py (a fresh access token per request)."""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import Server, unique_email
from schemathesis_hooks import PASSWORD
from test_create_admin import create_admin

HERE = Path(__file__).resolve().parent
MAX_EXAMPLES = 25


def test_the_served_openapi_document_holds_under_schemathesis():
    # Generated logins fail by the hundred: limits high enough never to answer 429 for them.
    server = Server(RATE_LIMIT_MAX="100000000", LOGIN_MAX_FAILURES="100000000", ACCOUNT_MAX_FAILURES="100000000")
    try:
        email = unique_email("schemathesis")
        # An ADMIN, so that the admin routes are reached past their role check too.
        made = create_admin("--email", email, stdin=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
        environment = {**os.environ, "SCHEMATHESIS_API_URL": server.url, "SCHEMATHESIS_EMAIL": email,
                       "SCHEMATHESIS_HOOKS": str(HERE / "schemathesis_hooks.py")}
        command = [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(HERE / "schemathesis.toml"),
                   "run", server.url + "/openapi.json", "--phases", "examples,coverage,fuzzing",
                   "--max-examples", str(MAX_EXAMPLES), "--generation-deterministic",
                   "--workers", "1", "--request-timeout", "10", "--no-color"]
        with tempfile.TemporaryDirectory() as workdir:
            result = subprocess.run(command, cwd=workdir, env=environment, capture_output=True, text=True, timeout=600)
        report = result.stdout[-12000:] + result.stderr[-4000:]
        assert result.returncode == 0, report
        assert " 0 generated" not in report and "passed" in report, report
        server_errors = [line for line in server.output().splitlines() if '"level":"error"' in line or '"level":"critical"' in line]
        assert not server_errors, "\n".join(server_errors[:20])
    finally:
        assert server.stop() == 0
