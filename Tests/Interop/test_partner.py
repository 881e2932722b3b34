"""The partner's whole upload flow against the real server, through a real FastAPI app: with the
shared HS256 secret, and under EdDSA, ES256 and RS256 with nothing but our JWKS URL."""
import os
import subprocess
import sys
import time
from pathlib import Path

import jwt
import pytest
import requests

from conftest import SECRET, Server, free_port, register
from signing_keys import ALGORITHMS, fresh_claims, signing_server


@pytest.fixture(scope="module", params=["HS256", *ALGORITHMS])
def limited_server(request, tmp_path_factory):
    if request.param == "HS256":
        running = Server(UPLOAD_LIMIT="3")
    else:
        running, _, _ = signing_server(tmp_path_factory.mktemp("partner-keys"), request.param, UPLOAD_LIMIT="3")
    running.algorithm = request.param
    yield running
    running.stop()


@pytest.fixture(scope="module")
def partner(limited_server):
    port = free_port()
    # Under a key the partner gets no secret at all: only our URL, from which it fetches the JWKS.
    env = {key: value for key, value in os.environ.items() if key not in ("JWT_SECRET", "JWT_ALGORITHM")}
    env.update({"AUTH_URL": limited_server.url, "JWT_ALGORITHM": limited_server.algorithm})
    if limited_server.algorithm == "HS256":
        env["JWT_SECRET"] = SECRET
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "partner_app:app", "--host", "127.0.0.1", "--port", str(port),
                                "--log-level", "warning"], cwd=Path(__file__).parent, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(url + "/secret-fingerprint", timeout=1)
            break
        except requests.ConnectionError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the partner app did not start")
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_uploads_count_until_our_limit_then_the_partner_answers_429(limited_server, partner):
    account = register(limited_server.url)
    auth = {"Authorization": f"Bearer {account['accessToken']}"}
    counts = [requests.post(partner + "/upload", headers=auth, timeout=10) for _ in range(4)]
    assert [r.status_code for r in counts] == [200, 200, 200, 429]
    assert [r.json().get("filesUploaded") for r in counts[:3]] == [1, 2, 3]
    usage = requests.get(limited_server.url + "/api/auth/user-uploads", headers=auth, timeout=10).json()
    assert usage == {"success": True, "filesUploaded": 3, "limit": 3, "remaining": 0, "canUpload": False}


def test_the_partner_refuses_tokens_it_cannot_verify(limited_server, partner):
    assert requests.post(partner + "/upload", headers={"Authorization": "Bearer a.b.c"}, timeout=10).status_code == 401
    # A token signed with the old shared secret means nothing to a partner that verifies with our keys.
    if limited_server.algorithm != "HS256":
        account = register(limited_server.url)
        forged = jwt.encode(fresh_claims(account["accessToken"]), SECRET, algorithm="HS256")
        assert requests.post(partner + "/upload", headers={"Authorization": f"Bearer {forged}"}, timeout=10).status_code == 401


def test_secret_fingerprints_match(limited_server, partner):
    ours = requests.get(limited_server.url + "/api/auth/jwt-info", timeout=10).json()["secretFingerprint"]
    theirs = requests.get(partner + "/secret-fingerprint", timeout=10).json()["fingerprint"]
    assert ours == theirs
    # Under a key neither side has a secret to compare.
    assert (ours is None) == (limited_server.algorithm != "HS256")
