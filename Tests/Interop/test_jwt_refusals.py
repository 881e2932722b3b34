"""Every refusal of issue 10 against the real server under an asymmetric algorithm, each its own
test, each answered 401 INVALID_TOKEN on verify-token and on /me (API.md, Signing keys and JWKS)."""
import json
import os
import select
import socket
import subprocess

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from conftest import ROOT, SECRET, register
from signing_keys import (JWKS_PATH, assert_accepted, assert_refused, compact, fresh_claims, hs256, load_private_key,
                          public_jwk, signature, signing_server, thumbprint)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """One server per algorithm, started on first use, each with its key file."""
    directory = tmp_path_factory.mktemp("refusal-keys")
    running = {}

    def get(algorithm: str):
        if algorithm not in running:
            server, path, kid = signing_server(directory, algorithm)
            running[algorithm] = (server, load_private_key(path), kid, register(server.url))
        return running[algorithm]

    yield get
    for server, *_ in running.values():
        server.stop()


def header(algorithm: str, kid: str | None, **extra) -> dict:
    return {"alg": algorithm, "typ": "JWT", **({"kid": kid} if kid else {}), **extra}


def test_a_correctly_crafted_token_is_accepted(servers):
    """The control: the crafting below is right, so each refusal is the server's."""
    for algorithm in ("EdDSA", "ES256", "RS256"):
        server, key, kid, account = servers(algorithm)
        token = compact(header(algorithm, kid), fresh_claims(account["accessToken"]), lambda m: signature(key, m))
        assert_accepted(server, token)


@pytest.mark.parametrize("algorithm", ["EdDSA", "RS256"])
def test_an_hs256_token_under_the_old_shared_secret_is_refused(servers, algorithm):
    server, _, _, account = servers(algorithm)
    assert_refused(server, jwt.encode(fresh_claims(account["accessToken"]), SECRET, algorithm="HS256"))


@pytest.mark.parametrize("algorithm", ["EdDSA", "RS256"])
def test_an_hs256_token_keyed_with_the_public_key_pem_is_refused(servers, algorithm):
    """The classic confusion: a verifier that HMACs with "the key" would accept this."""
    server, key, kid, account = servers(algorithm)
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for kid_header in (kid, None):
        assert_refused(server, compact(header("HS256", kid_header), fresh_claims(account["accessToken"]), hs256(pem)))


@pytest.mark.parametrize("algorithm", ["EdDSA", "RS256"])
def test_an_hs256_token_keyed_with_the_published_jwk_is_refused(servers, algorithm):
    server, _, kid, account = servers(algorithm)
    published = requests.get(server.url + JWKS_PATH, timeout=10)
    jwk = next(k for k in published.json()["keys"] if k["kid"] == kid)
    # The JWK exactly as served (members in order, no whitespace), and the whole set.
    jwk_bytes = json.dumps(jwk, separators=(",", ":")).encode()
    assert jwk_bytes in published.content
    for key in (jwk_bytes, published.content):
        assert_refused(server, compact(header("HS256", kid), fresh_claims(account["accessToken"]), hs256(key)))


def test_an_unsigned_alg_none_token_is_refused(servers):
    server, _, kid, account = servers("EdDSA")
    claims = fresh_claims(account["accessToken"])
    assert_refused(server, compact(header("none", kid), claims, lambda m: b""))
    assert_refused(server, jwt.encode(claims, None, algorithm="none"))


def test_an_unknown_kid_is_refused(servers):
    server, key, _, account = servers("EdDSA")
    claims = fresh_claims(account["accessToken"])
    stranger = ed25519.Ed25519PrivateKey.generate()
    # A stranger's key under its own kid, and our own valid signature under a kid we never issued.
    assert_refused(server, compact(header("EdDSA", thumbprint(stranger.public_key())), claims, lambda m: signature(stranger, m)))
    assert_refused(server, compact(header("EdDSA", "not-one-of-ours"), claims, lambda m: signature(key, m)))


def test_a_missing_kid_is_refused_even_with_our_own_signature(servers):
    server, key, _, account = servers("EdDSA")
    assert_refused(server, compact(header("EdDSA", None), fresh_claims(account["accessToken"]), lambda m: signature(key, m)))


def test_an_embedded_jwk_header_is_refused(servers):
    server, key, kid, account = servers("EdDSA")
    claims = fresh_claims(account["accessToken"])
    stranger = ed25519.Ed25519PrivateKey.generate()
    # The attacker's key in the header, and even our own public key with our own signature.
    assert_refused(server, compact(header("EdDSA", kid, jwk=public_jwk(stranger.public_key())), claims, lambda m: signature(stranger, m)))
    assert_refused(server, compact(header("EdDSA", kid, jwk=public_jwk(key.public_key())), claims, lambda m: signature(key, m)))


@pytest.mark.parametrize("member", ["jku", "x5u"])
def test_a_key_url_header_is_refused_and_never_fetched(servers, member):
    server, key, kid, account = servers("EdDSA")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/keys.json"
        token = compact(header("EdDSA", kid, **{member: url}), fresh_claims(account["accessToken"]), lambda m: signature(key, m))
        assert_refused(server, token)
        readable, _, _ = select.select([listener], [], [], 0.5)
        assert not readable, f"the server connected to the {member} URL"


def test_a_der_encoded_es256_signature_is_refused(servers):
    server, key, kid, account = servers("ES256")
    assert_refused(server, compact(header("ES256", kid), fresh_claims(account["accessToken"]), lambda m: signature(key, m, der=True)))


@pytest.mark.parametrize("change", ["one byte short", "one byte long", "twice"])
def test_an_es256_signature_of_the_wrong_length_is_refused(servers, change):
    server, key, kid, account = servers("ES256")

    def wrong(message: bytes) -> bytes:
        raw = signature(key, message)
        return {"one byte short": raw[:-1], "one byte long": raw + b"\x00", "twice": raw + raw}[change]

    assert_refused(server, compact(header("ES256", kid), fresh_claims(account["accessToken"]), wrong))


def test_a_token_of_a_1024_bit_rsa_key_is_refused(servers):
    server, _, kid, account = servers("RS256")
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    claims = fresh_claims(account["accessToken"])
    assert_refused(server, compact(header("RS256", thumbprint(weak.public_key())), claims, lambda m: signature(weak, m)))
    assert_refused(server, compact(header("RS256", kid), claims, lambda m: signature(weak, m)))


def start_refused(tmp_path, **settings: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", ""), "HOST": "127.0.0.1", "PORT": "0", "APP_ENV": "test",
           "DATABASE_URL": os.environ["TEST_DATABASE_URL"], "MIGRATIONS_DIR": str(ROOT / "Migrations"), **settings}
    return subprocess.run([os.environ["AUTHSERVER_BINARY"], "serve"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30)


def test_a_1024_bit_rsa_key_file_stops_the_server_at_start(tmp_path):
    weak = tmp_path / "weak.pem"
    weak.write_bytes(rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    for settings in ({"JWT_PRIVATE_KEY_FILE": str(weak)}, {"JWT_VERIFY_KEY_FILES": str(weak)}):
        done = start_refused(tmp_path, JWT_ALGORITHM="RS256", **settings)
        assert done.returncode == 78, done.stdout + done.stderr
        assert "RSA key of 1024 bits; at least 2048 required" in done.stderr


def test_a_key_of_another_algorithm_stops_the_server_at_start(tmp_path):
    p256 = tmp_path / "p256.pem"
    p256.write_bytes(ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    done = start_refused(tmp_path, JWT_ALGORITHM="EdDSA", JWT_PRIVATE_KEY_FILE=str(p256))
    assert done.returncode == 78
    assert f"{p256} holds an ES256 key but JWT_ALGORITHM is EdDSA" in done.stderr


def test_production_refuses_an_asymmetric_algorithm_without_a_key_file(tmp_path):
    done = start_refused(tmp_path, APP_ENV="production", JWT_ALGORITHM="EdDSA", SERVER_SECRET="s" * 40)
    assert done.returncode == 78
    assert "JWT_ALGORITHM=EdDSA needs JWT_PRIVATE_KEY_FILE in production" in done.stderr
