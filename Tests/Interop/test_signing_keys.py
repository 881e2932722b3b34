"""Signing keys with the real binary: `authserver keys generate`, the JWKS document, and a key
rotation across restarts that loses no session (API.md, Signing keys and JWKS)."""
import os
import stat
import subprocess

import jwt
import requests
from cryptography.hazmat.primitives import serialization

from conftest import Server, register
from signing_keys import JWKS_PATH, assert_accepted, assert_refused, fresh_claims, generate_key, load_private_key, me, thumbprint


def keys_generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([os.environ["AUTHSERVER_BINARY"], "keys", "generate", *args], capture_output=True, text=True, timeout=60)


def test_keys_generate_writes_an_owner_only_pkcs8_file_and_prints_its_kid(tmp_path):
    for algorithm in ("EdDSA", "ES256", "RS256"):
        path, kid = generate_key(tmp_path, algorithm)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----\n")
        assert kid == thumbprint(load_private_key(path).public_key())


def test_keys_generate_refuses_to_overwrite_unless_forced(tmp_path):
    path = tmp_path / "signing.pem"
    path.write_text("keep me")
    path.chmod(0o644)
    refused = keys_generate("--algorithm", "EdDSA", "--out", str(path))
    assert refused.returncode == 73 and "already exists" in refused.stderr and refused.stdout == ""
    assert path.read_text() == "keep me"
    forced = keys_generate("--algorithm", "EdDSA", "--out", str(path), "--force")
    assert forced.returncode == 0, forced.stderr
    # The replacement is a new file of mode 0600, not the old one's 0644.
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert forced.stdout.strip() == thumbprint(load_private_key(path).public_key())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["signing.pem"]
    assert keys_generate("--algorithm", "HS256", "--out", str(tmp_path / "x.pem")).returncode != 0


def test_the_jwks_is_public_cacheable_and_empty_under_hs256(server):
    response = requests.get(server.url + JWKS_PATH, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"keys": []}
    assert response.headers["Cache-Control"] == "public, max-age=300"
    info = requests.get(server.url + "/api/auth/jwt-info", timeout=10).json()
    assert info["algorithm"] == "HS256" and info["keyIds"] == [] and info["secretFingerprint"]


def test_without_a_key_file_a_development_server_signs_with_a_key_of_its_own(tmp_path):
    running = Server(JWT_ALGORITHM="ES256")
    try:
        keys = requests.get(running.url + JWKS_PATH, timeout=10).json()["keys"]
        assert [(k["kty"], k["crv"], k["alg"], k["use"]) for k in keys] == [("EC", "P-256", "ES256", "sig")]
        assert "d" not in keys[0]
        assert "JWT_PRIVATE_KEY_FILE is not set" in running.output()
        account = register(running.url)
        assert jwt.get_unverified_header(account["accessToken"]) == {"alg": "ES256", "typ": "JWT", "kid": keys[0]["kid"]}
        info = requests.get(running.url + "/api/auth/jwt-info", timeout=10).json()
        assert info["algorithm"] == "ES256" and info["keyIds"] == [keys[0]["kid"]]
        assert info["secretLength"] is None and info["secretFingerprint"] is None
    finally:
        running.stop()


def kids(server: Server) -> list[str]:
    return [key["kid"] for key in requests.get(server.url + JWKS_PATH, timeout=10).json()["keys"]]


def refresh(server: Server, refresh_token: str) -> dict:
    response = requests.post(server.url + "/api/auth/refresh", json={"refreshToken": refresh_token}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_rotation_loses_no_session(tmp_path):
    """README's steps: generate B; sign with B and keep A for verification; restart; finally drop A."""
    a_path, a_kid = generate_key(tmp_path, "EdDSA", "a.pem")
    before = Server(JWT_ALGORITHM="EdDSA", JWT_PRIVATE_KEY_FILE=str(a_path))
    try:
        email = register(before.url)["user"]["email"]
        login = requests.post(before.url + "/api/auth/login", json={"email": email, "password": "correct horse battery"}, timeout=10)
        assert login.status_code == 200, login.text
        old_access, old_refresh = login.json()["accessToken"], login.json()["tokens"]["refreshToken"]
        assert jwt.get_unverified_header(old_access)["kid"] == a_kid
        assert kids(before) == [a_kid]
    finally:
        before.stop()

    b_path, b_kid = generate_key(tmp_path, "EdDSA", "b.pem")
    during = Server(JWT_ALGORITHM="EdDSA", JWT_PRIVATE_KEY_FILE=str(b_path), JWT_VERIFY_KEY_FILES=str(a_path))
    try:
        assert kids(during) == [b_kid, a_kid]
        assert requests.get(during.url + "/api/auth/jwt-info", timeout=10).json()["keyIds"] == [b_kid, a_kid]
        assert_accepted(during, old_access)
        refreshed = refresh(during, old_refresh)
        new_access, new_refresh = refreshed["accessToken"], refreshed["tokens"]["refreshToken"]
        assert jwt.get_unverified_header(new_access)["kid"] == b_kid
        assert me(during, new_access).json()["user"]["email"] == email
    finally:
        during.stop()

    after = Server(JWT_ALGORITHM="EdDSA", JWT_PRIVATE_KEY_FILE=str(b_path))
    try:
        assert kids(after) == [b_kid]
        assert_refused(after, old_access)
        assert_accepted(after, new_access)
        assert jwt.get_unverified_header(refresh(after, new_refresh)["accessToken"])["kid"] == b_kid
    finally:
        after.stop()


def test_a_public_key_pem_also_verifies_during_a_rotation(tmp_path):
    """JWT_VERIFY_KEY_FILES takes the old key's public half (SPKI PEM) as well as the old key file itself."""
    a_path, a_kid = generate_key(tmp_path, "RS256", "a.pem")
    a_key = load_private_key(a_path)
    public = tmp_path / "a.pub.pem"
    public.write_bytes(a_key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    b_path, b_kid = generate_key(tmp_path, "RS256", "b.pem")
    running = Server(JWT_ALGORITHM="RS256", JWT_PRIVATE_KEY_FILE=str(b_path), JWT_VERIFY_KEY_FILES=f"{public}, {a_path}")
    try:
        assert kids(running) == [b_kid, a_kid]
        account = register(running.url)
        old = jwt.encode(fresh_claims(account["accessToken"]), a_key, algorithm="RS256", headers={"kid": a_kid})
        assert_accepted(running, old)
    finally:
        running.stop()
